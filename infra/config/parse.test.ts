import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyPath, parseStackConfig } from "./parse";
import { placeholder } from "./placeholders";
import { ACCOUNT, ALICE, FILE, problems, rawConfig } from "./test-config";
import { rsaKey } from "../../components/node-bootstrap/test-keys";

describe("parseStackConfig", () => {
  it("accepts a complete config and fills in the documented secure defaults", () => {
    const result = parseStackConfig(rawConfig(), FILE);
    assert.ok(result.ok);
    assert.equal(result.value.region, "us-east-1");
    assert.equal(result.value.account, ACCOUNT);
    assert.equal(result.value.moat.access.mode, "bastion");
    assert.equal(result.value.moat.access.acknowledgeWorldSsh, false);
    assert.deepEqual(result.value.moat.headNodes, { count: 1, instanceType: "m7i.2xlarge" });
    assert.deepEqual(result.value.moat.sharedFilesystem, { type: "lustre", mountPath: "/shared" });
    assert.deepEqual(result.value.moat.audit, {
      retentionDays: 365,
      alertEmails: ["secops@acme.example"],
    });
    assert.equal(result.value.moat.baseline, "acme-corp/moat-account/acme-production-us-east-1");
    assert.deepEqual(result.value.moat.quarantine, []);
  });

  it("names the file, the key, the problem and the fix for a bad CIDR", () => {
    assert.deepEqual(problems({ "moat:network": { cidr: "10.0.0.0/33", availabilityZone: "us-east-1b" } }), [
      `${FILE}: moat:network.cidr "10.0.0.0/33" is not an IPv4 CIDR block (a.b.c.d/n); use a private range between /16 and /24, e.g. 10.42.0.0/16`,
    ]);
  });

  it("reports every problem at once", () => {
    const found = problems({
      "moat:tenant": { id: "Acme", environment: "production", owner: "nobody" },
      "moat:computeGroups": [{ name: "gpu-a", instanceType: "p5.48xlarge", nodeCount: 0 }],
    });
    assert.deepEqual(
      found.map((p) => p.split(" ")[1]),
      ["moat:tenant.id", "moat:tenant.environment", "moat:tenant.owner", "moat:computeGroups[0].nodeCount"],
    );
    assert.ok(found.every((p) => p.startsWith(`${FILE}: `)));
  });

  it("treats unknown keys as errors and suggests the key that was meant", () => {
    assert.deepEqual(problems({ "moat:computeGroup": [] }), [
      `${FILE}: moat:computeGroup is not a Moat setting; did you mean 'computeGroups'?`,
    ]);
    const nested = problems({
      "moat:network": { cidr: "10.42.0.0/16", availabilityZone: "us-east-1b", natt: true },
    });
    assert.deepEqual(nested, [
      `${FILE}: moat:network.natt is not a Moat setting; known keys here: cidr, availabilityZone`,
    ]);
  });

  it("requires the account baseline as <organization>/moat-account/<stack>, and keeps its name from tenants (AUD-1, AUD-4)", () => {
    assert.deepEqual(problems({ "moat:baseline": undefined }), [
      `${FILE}: moat:baseline is required; add it to the stack file, e.g. moat:baseline: acme-corp/moat-account/acme-production-us-east-1`,
    ]);
    assert.deepEqual(problems({ "moat:baseline": "acme-production-us-east-1" }), [
      `${FILE}: moat:baseline "acme-production-us-east-1" must name the account baseline stack of the tenant's account and region as <organization>/moat-account/<stack>, e.g. acme-corp/moat-account/acme-production-us-east-1 (README, "Account models")`,
    ]);
    assert.deepEqual(
      problems({ "moat:tenant": { id: "account", environment: "prod", owner: "a@b.example" } }),
      [`${FILE}: moat:tenant.id must not be "account": the account baseline's resources carry that name`],
    );
  });

  it("says how to add a missing required key", () => {
    assert.deepEqual(problems({ "moat:tenant": undefined }), [
      `${FILE}: moat:tenant is required; add it to the stack file, e.g. moat:tenant: { id: acme, environment: prod, owner: gpu-admins@acme.example }`,
    ]);
    assert.deepEqual(problems({ "aws:region": undefined }), [
      `${FILE}: aws:region is required; add it to the stack file, e.g. aws:region: us-east-1`,
    ]);
  });

  it("pins the stack to exactly one 12-digit account in aws:allowedAccountIds, naming the file and key", () => {
    assert.deepEqual(problems({ "aws:allowedAccountIds": undefined }), [
      `${FILE}: aws:allowedAccountIds is required: name the AWS account this tenant deploys to, so the provider refuses credentials of any other account; add it to the stack file, e.g. aws:allowedAccountIds: ["111111111111"]`,
    ]);
    const refused: [unknown, string][] = [
      [
        "111111111111",
        `aws:allowedAccountIds 111111111111 should be a list holding one account id, e.g. ["111111111111"]`,
      ],
      [
        [],
        `aws:allowedAccountIds is empty; a tenant stack deploys to exactly one account: list that one, e.g. ["111111111111"]`,
      ],
      [
        ["111111111111", "222222222222"],
        `aws:allowedAccountIds names 2 accounts; a tenant stack deploys to exactly one account: list that one, e.g. ["111111111111"]`,
      ],
      [
        [12345678901],
        `aws:allowedAccountIds[0] 12345678901 is a number; quote it ("012345678901"): YAML reads an unquoted id as a number and drops its leading zeros`,
      ],
      [
        ["1234-5678-9012"],
        `aws:allowedAccountIds[0] "1234-5678-9012" is not a 12-digit AWS account id, e.g. "111111111111"`,
      ],
    ];
    for (const [value, message] of refused) {
      assert.deepEqual(problems({ "aws:allowedAccountIds": value }), [`${FILE}: ${message}`]);
    }
    assert.deepEqual(problems({ "aws:allowedAccountIds": [placeholder("the account id")] }), [
      `${FILE}: aws:allowedAccountIds[0] is still a placeholder written by moat tenant new: the account id`,
    ]);
  });

  it("refuses SSH from 0.0.0.0/0 without the acknowledgement, naming the key (NET-6)", () => {
    const access = { allowSshFrom: ["0.0.0.0/0"], sshPublicKeys: [{ name: "alice", publicKey: ALICE }] };
    const [problem] = problems({ "moat:access": access });
    assert.match(
      problem,
      /^stacks\/Pulumi\.acme-prod\.yaml: moat:access\.allowSshFrom\[0\] "0\.0\.0\.0\/0" opens SSH/,
    );
    assert.match(problem, /moat:access\.acknowledgeWorldSsh: true/);
    const acknowledged = parseStackConfig(
      rawConfig({ "moat:access": { ...access, acknowledgeWorldSsh: true } }),
      FILE,
    );
    assert.ok(acknowledged.ok);
  });

  it("refuses an RSA-2048 user key naming which key (CMP-4)", () => {
    const access = {
      allowSshFrom: ["203.0.113.0/24"],
      sshPublicKeys: [
        { name: "alice", publicKey: ALICE },
        { name: "bob", publicKey: rsaKey(2048) },
      ],
    };
    assert.deepEqual(problems({ "moat:access": access }), [
      `${FILE}: moat:access.sshPublicKeys[1].publicKey is an RSA key of 2048 bits; RSA keys must have at least 4096 bits; use an ssh-ed25519 key (ssh-keygen -t ed25519) or ssh-rsa of at least 4096 bits`,
    ]);
  });

  it("requires an allowlist unless access is through SSM (NET-6, NET-7)", () => {
    const noAllowlist = { sshPublicKeys: [{ name: "alice", publicKey: ALICE }] };
    assert.match(problems({ "moat:access": noAllowlist })[0], /moat:access\.allowSshFrom is empty/);
    assert.ok(parseStackConfig(rawConfig({ "moat:access": { ...noAllowlist, mode: "ssm" } }), FILE).ok);
  });

  it("keeps audit retention at six months or more (AUD-1)", () => {
    assert.deepEqual(
      problems({ "moat:audit": { retentionDays: 30, alertEmails: ["secops@acme.example"] } }),
      [`${FILE}: moat:audit.retentionDays 30 must be at least 180 days (six months, AUD-1)`],
    );
  });

  it("refuses duplicate compute group names and a zone outside the region", () => {
    const group = { name: "gpu-a", instanceType: "p5.48xlarge", nodeCount: 1 };
    assert.deepEqual(problems({ "moat:computeGroups": [group, group] }), [
      `${FILE}: moat:computeGroups[1].name "gpu-a" is used by two compute groups; names must be unique`,
    ]);
    assert.deepEqual(problems({ "moat:network": { cidr: "10.42.0.0/16", availabilityZone: "eu-west-1a" } }), [
      `${FILE}: moat:network.availabilityZone "eu-west-1a" is not in aws:region us-east-1; pick a zone of that region, e.g. us-east-1a`,
    ]);
  });

  it("takes a quarantine of head or a compute group, and refuses anything else, naming the groups (NET-11)", () => {
    const group = { name: "gpu-a", instanceType: "p5.48xlarge", nodeCount: 1 };
    const accepted = parseStackConfig(
      rawConfig({ "moat:computeGroups": [group], "moat:quarantine": ["head", "gpu-a"] }),
      FILE,
    );
    assert.ok(accepted.ok);
    assert.deepEqual(accepted.value.moat.quarantine, ["head", "gpu-a"]);
    assert.deepEqual(
      problems({ "moat:computeGroups": [group], "moat:quarantine": ["gpu-b", "head", "head"] }),
      [
        `${FILE}: moat:quarantine[0] "gpu-b" is not a node group; use one of head, gpu-a`,
        `${FILE}: moat:quarantine[2] "head" is listed twice`,
      ],
    );
  });

  it("refuses alerts that reach nobody (AUD-2)", () => {
    assert.deepEqual(problems({ "moat:audit": { alertEmails: [] } }), [
      `${FILE}: moat:audit.alertEmails must name at least one address (or set alertHttpsEndpoint): security alerts that reach nobody protect nobody (AUD-2)`,
    ]);
  });

  it("keeps the name head for the head nodes (NET-11)", () => {
    assert.deepEqual(
      problems({ "moat:computeGroups": [{ name: "head", instanceType: "p5.48xlarge", nodeCount: 1 }] }),
      [
        `${FILE}: moat:computeGroups[0].name "head" names the head nodes in moat:quarantine; give the compute group another name`,
      ],
    );
  });

  it("takes an https pager endpoint and an organisation-level GuardDuty (AUD-2, AUD-4)", () => {
    const accepted = parseStackConfig(
      rawConfig({
        "moat:audit": {
          alertHttpsEndpoint: "https://events.pager.example/v2/moat",
        },
      }),
      FILE,
    );
    assert.ok(accepted.ok);
    assert.equal(accepted.value.moat.audit.alertHttpsEndpoint, "https://events.pager.example/v2/moat");
    assert.deepEqual(problems({ "moat:audit": { alertHttpsEndpoint: "http://pager.example" } }), [
      `${FILE}: moat:audit.alertHttpsEndpoint "http://pager.example" must be an https:// URL, e.g. a pager's events endpoint`,
    ]);
  });

  it("lists every placeholder left by moat tenant new by key, instead of the schema's complaints about it", () => {
    assert.deepEqual(
      problems({
        "moat:tenant": { id: "acme", environment: "prod", owner: placeholder("the owner's e-mail") },
        "moat:access": {
          allowSshFrom: [placeholder("your office range")],
          sshPublicKeys: [{ name: placeholder("who owns the key"), publicKey: placeholder("their key") }],
        },
        "moat:audit": { alertEmails: [placeholder("where alerts go")] },
      }),
      [
        `${FILE}: moat:tenant.owner is still a placeholder written by moat tenant new: the owner's e-mail`,
        `${FILE}: moat:access.allowSshFrom[0] is still a placeholder written by moat tenant new: your office range`,
        `${FILE}: moat:access.sshPublicKeys[0].name is still a placeholder written by moat tenant new: who owns the key`,
        `${FILE}: moat:access.sshPublicKeys[0].publicKey is still a placeholder written by moat tenant new: their key`,
        `${FILE}: moat:audit.alertEmails[0] is still a placeholder written by moat tenant new: where alerts go`,
      ],
    );
  });

  it("still reports the other problems of a stack that holds placeholders", () => {
    assert.deepEqual(
      problems({
        "moat:tenant": { id: "Acme", environment: "prod", owner: placeholder("the owner's e-mail") },
      }),
      [
        `${FILE}: moat:tenant.owner is still a placeholder written by moat tenant new: the owner's e-mail`,
        `${FILE}: moat:tenant.id "Acme" must be 3 to 20 lowercase letters, digits or hyphens, starting with a letter, e.g. acme`,
      ],
    );
  });

  it("renders key paths the way users write them", () => {
    assert.equal(keyPath(["computeGroups", 1, "nodeCount"]), "moat:computeGroups[1].nodeCount");
  });
});
