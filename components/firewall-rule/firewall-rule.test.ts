import { before, describe, it, mock } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { FirewallRule, FirewallRuleArgs } from "./firewall-rule";
import { Recorded, installRecordingMocks, valueOf, waitForRegistrations } from "../testing/recording-mocks";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

let recorded: () => Recorded[];
before(async () => {
  recorded = (await installRecordingMocks()).all;
});

const named = (name: string) => recorded().filter((r) => r.name === name || r.name.startsWith(`${name}-`));

const context = { tenantCidrs: ["10.42.0.0/16", "203.0.113.0/24"] };
const ssh: FirewallRuleArgs = {
  securityGroupId: "sg-head",
  description: "NET-6: SSH to head nodes from office VPN (203.0.113.0/24)",
  protocol: "tcp",
  fromPort: 22,
  source: { cidr: "203.0.113.0/24" },
  context,
};

async function create(name: string, args: FirewallRuleArgs) {
  const rule = new FirewallRule(name, args);
  await waitForRegistrations();
  return { rule, children: named(name).filter((r) => r.name !== name) };
}

describe("FirewallRule (NET-1, NET-9)", () => {
  it("registers as moat:network:FirewallRule with exactly one ingress rule, parented to it", async () => {
    const { rule, children } = await create("fw-ssh", ssh);
    assert.equal(named("fw-ssh").find((r) => r.name === "fw-ssh")?.type, "moat:network:FirewallRule");
    assert.deepEqual(
      children.map((c) => `${c.type} ${c.name}`),
      [`${INGRESS} fw-ssh-ingress`],
    );
    assert.equal(children[0].parent, await valueOf(rule.urn));
    assert.equal(await valueOf(rule.ruleId), "fw-ssh-ingress-id");
  });

  it("NET-9: declares description, protocol, ports and the one CIDR source", async () => {
    const { children } = await create("fw-cidr", ssh);
    assert.deepEqual(children[0].inputs, {
      securityGroupId: "sg-head",
      description: "NET-6: SSH to head nodes from office VPN (203.0.113.0/24)",
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "203.0.113.0/24",
    });
  });

  it("NET-3: all traffic from a security group becomes ipProtocol -1 with no ports", async () => {
    const sourceGroup = pulumi.output("sg-cluster");
    const { children } = await create("fw-self", {
      ...ssh,
      description: "NET-3: all traffic within the cluster",
      protocol: "all",
      fromPort: undefined,
      securityGroupId: sourceGroup,
      source: { securityGroupId: sourceGroup, label: "cluster security group" },
    });
    assert.deepEqual(children[0].inputs, {
      securityGroupId: "sg-cluster",
      description: "NET-3: all traffic within the cluster",
      ipProtocol: "-1",
      referencedSecurityGroupId: "sg-cluster",
    });
  });

  it("NET-6: creates acknowledged world SSH but warns about it", async (t) => {
    const warn = t.mock.method(console, "warn", () => undefined);
    const { children } = await create("fw-world", {
      ...ssh,
      source: { cidr: "0.0.0.0/0" },
      context: { ...context, acknowledgeWorldSsh: true },
    });
    assert.equal(children[0].inputs.cidrIpv4, "0.0.0.0/0");
    const messages = warn.mock.calls.map((c) => String(c.arguments[0]));
    assert.ok(
      messages.some((m) => /fw-world opens SSH to the whole internet \(0\.0\.0\.0\/0\).*\(NET-6\)/.test(m)),
      messages.join("\n"),
    );
  });

  it("does not warn about a rule from the tenant's own ranges", async () => {
    const warn = mock.method(console, "warn", () => undefined);
    await create("fw-quiet", ssh);
    assert.equal(warn.mock.callCount(), 0);
    warn.mock.restore();
  });
});

describe("FirewallRule: invalid rules (NET-4, NET-6, NET-9)", () => {
  it("throws every problem at once and registers nothing", async () => {
    assert.throws(
      () =>
        new FirewallRule("fw-bad", {
          ...ssh,
          description: "",
          protocol: "all",
          fromPort: undefined,
          source: { cidr: "0.0.0.0/0" },
        }),
      (err: pulumi.InputPropertiesError) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(err));
        assert.deepEqual(
          err.errors.map((e) => e.propertyPath),
          ["description", "protocol", "source.cidr"],
        );
        assert.match(err.message, /^Invalid FirewallRule "fw-bad" args:\n {2}- description: is missing/);
        assert.match(err.message, /protocol: all traffic from CIDR 0\.0\.0\.0\/0 opens every port/);
        assert.match(
          err.message,
          /source\.cidr: 0\.0\.0\.0\/0 opens all traffic to the whole internet \(NET-6\)/,
        );
        return true;
      },
    );
    await waitForRegistrations();
    assert.deepEqual(named("fw-bad"), []);
  });

  it("NET-4: refuses a source outside the tenant's ranges", () => {
    assert.throws(
      () => new FirewallRule("fw-foreign", { ...ssh, source: { cidr: "198.51.100.0/24" } }),
      /source\.cidr: 198\.51\.100\.0\/24 is outside the tenant's VPC and allowlists/,
    );
  });
});
