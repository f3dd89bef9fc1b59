import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AccessGuideInput, renderCommands, renderSshConfig } from "./access-guide";

const heads = [{ name: "head-0", instanceId: "i-0abc", privateIp: "10.42.192.10", publicIp: "198.18.0.20" }];
const base: AccessGuideInput = {
  mode: "bastion",
  tenantId: "acme",
  region: "us-east-1",
  bastionPublicIp: "198.18.0.10",
  heads,
};

describe("access guide (NET-6, NET-7)", () => {
  it("bastion mode: head nodes behind ProxyJump through the bastion", () => {
    assert.equal(
      renderSshConfig(base),
      [
        "Host acme-bastion",
        "  HostName 198.18.0.10",
        "  User ec2-user",
        "  IdentityFile ~/.ssh/id_ed25519",
        "  IdentitiesOnly yes",
        "",
        "Host acme-head-0",
        "  HostName 10.42.192.10",
        "  ProxyJump acme-bastion",
        "  User ec2-user",
        "  IdentityFile ~/.ssh/id_ed25519",
        "  IdentitiesOnly yes",
        "",
      ].join("\n"),
    );
    const commands = renderCommands(base)["head-0"];
    assert.equal(commands.ssh, "ssh acme-head-0");
    assert.match(commands.jupyterTunnel, /^ssh -N -L 8888:127\.0\.0\.1:8888 acme-head-0 /);
    assert.equal(commands.computeHop, "ssh -J acme-head-0 ec2-user@<compute-node-private-ip>");
  });

  it("direct mode: head nodes by public address, no bastion", () => {
    const config = renderSshConfig({ ...base, mode: "direct", bastionPublicIp: undefined });
    assert.doesNotMatch(config, /bastion/);
    assert.match(config, /^Host acme-head-0\n {2}HostName 198\.18\.0\.20$/m);
  });

  it("ssm mode: no address at all, SSH and the tunnel through Session Manager", () => {
    const input: AccessGuideInput = { ...base, mode: "ssm", bastionPublicIp: undefined };
    assert.match(
      renderSshConfig(input),
      /HostName i-0abc\n {2}ProxyCommand aws ssm start-session --region us-east-1 --target %h --document-name AWS-StartSSHSession/,
    );
    assert.match(renderCommands(input)["head-0"].jupyterTunnel, /AWS-StartPortForwardingSession/);
  });

  it("fetches the JupyterLab token by name, never printing it (CMP-6)", () => {
    assert.equal(
      renderCommands(base)["head-0"].jupyterToken,
      "aws secretsmanager get-secret-value --region us-east-1 --secret-id moat/acme/jupyter-token/head-0 --query SecretString --output text",
    );
  });

  it("fetches the token of the stack's environment, whose secrets carry it in their names (CMP-6)", () => {
    assert.equal(
      renderCommands({ ...base, environment: "prod" })["head-0"].jupyterToken,
      "aws secretsmanager get-secret-value --region us-east-1 --secret-id moat/acme-prod/jupyter-token/head-0 --query SecretString --output text",
    );
  });

  it("needs the bastion address in bastion mode", () => {
    assert.throws(() => renderSshConfig({ ...base, bastionPublicIp: undefined }), /needs the bastion IP/);
  });
});
