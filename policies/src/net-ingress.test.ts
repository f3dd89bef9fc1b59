// NET policies on the way in from outside: SSH only, into the internet-facing groups (NET-6),
// world SSH refused unless acknowledged and then still reported (NET-6), access modes and the
// bastion (NET-7). Stack verdicts are asserted in every ID mode (POL-2).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  HARDENED_USER_DATA,
  OFFICE_CIDR,
  StackSpec,
  assertStackVerdict,
  compliantStack,
  urnIn,
  urnOf,
} from "./net-fixtures";
import {
  installsFail2ban,
  netAccessModeIngress,
  netBastionHardened,
  netExternalIngressSshOnly,
  netWorldSshAcknowledged,
  netWorldSshReported,
} from "./net-ingress";
import { NetType } from "./net-stack";
import { StackViolation, runResourcePolicy, unknown } from "./testing";

const on = (name: string, message: string) => ({ message, urn: urnIn(compliantStack(), name) });
const verdict = (
  policy: StackValidationPolicy,
  change: (s: StackSpec) => void,
  ...expected: StackViolation[]
) => assertStackVerdict(policy, change, expected);

// Opens `ports` from the office on the group with `role`, as rule "office-in".
const officeInto =
  (group: string, from: number, to = from) =>
  (s: StackSpec) => {
    s["office-in"] = {
      type: NetType.ingressRule,
      props: {
        description: "from the office",
        ipProtocol: "tcp",
        fromPort: from,
        toPort: to,
        cidrIpv4: OFFICE_CIDR,
      },
      links: { securityGroupId: [`${group}-sg`] },
    };
  };
const officeRule = (message: string) => ({ message, urn: urnOf(NetType.ingressRule, "office-in") });
const office = `cidrIpv4 "${OFFICE_CIDR}"`;

describe("net-external-ingress-ssh-only (NET-6)", () => {
  const policy = netExternalIngressSshOnly;

  it("passes SSH from the allowlist to the bastion, and HTTPS from the VPC's computed block to the endpoints", () =>
    verdict(policy, () => {}));

  it("passes SSH from the allowlist to head nodes", () => verdict(policy, officeInto("head", 22)));

  it("passes a legacy rule from two allowlist blocks", () =>
    verdict(policy, (s) => {
      s["bastion-ssh"] = {
        type: NetType.legacyRule,
        props: {
          type: "ingress",
          protocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrBlocks: [OFFICE_CIDR, "198.51.100.0/26"],
        },
        links: { securityGroupId: ["bastion-sg"] },
      };
    }));

  it("fails outside traffic into the cluster group", () =>
    verdict(
      policy,
      officeInto("cluster", 22),
      officeRule(
        `Remove ingress rule "office-in": it admits ${office} from outside the VPC into security group "cluster-sg" (moat:role cluster); only bastion and head groups accept traffic from outside, and only SSH (NET-6).`,
      ),
    ));

  for (const [group, port] of [
    ["head", 8888],
    ["head", 443],
    ["bastion", 8888],
  ] as const) {
    it(`fails JupyterLab on port ${port} of the ${group} group`, () =>
      verdict(
        policy,
        officeInto(group, port),
        officeRule(
          `Remove ingress rule "office-in": it exposes JupyterLab on security group "${group}-sg" (moat:role ${group}) to ${office}; reach JupyterLab through an SSH or Session Manager tunnel, never directly (NET-6).`,
        ),
      ));
  }

  it("fails any port but SSH on the bastion", () =>
    verdict(
      policy,
      officeInto("bastion", 22, 23),
      officeRule(
        `Narrow ingress rule "office-in" to tcp port 22: it admits ${office} from outside the VPC into security group "bastion-sg" (moat:role bastion), where only SSH is open to the outside, and a protocol or port unknown at preview cannot be verified (NET-6).`,
      ),
    ));

  it("treats a computed source not built from the VPC as outside (POL-2)", () =>
    verdict(
      policy,
      (s) => {
        s["endpoint-https"].links = { securityGroupId: ["endpoint-sg"] };
        s["endpoint-https"].props.cidrIpv4 = unknown.string;
      },
      on(
        "endpoint-https",
        'Remove ingress rule "endpoint-https": it admits cidrIpv4 from outside the VPC into security group "endpoint-sg" (moat:role endpoint); only bastion and head groups accept traffic from outside, and only SSH (NET-6).',
      ),
    ));
});

describe("net-world-ssh-acknowledged / net-world-ssh-reported (NET-6)", () => {
  const rule = (props: Record<string, unknown>, type: string = NetType.ingressRule) => ({
    type,
    name: "bastion-ssh",
    props: {
      securityGroupId: unknown.string,
      description: "SSH",
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      ...props,
    },
  });
  const world = rule({ cidrIpv4: "0.0.0.0/0" });
  const refused = (what = 'cidrIpv4 "0.0.0.0/0"', label = 'ingress rule "bastion-ssh"') =>
    `Replace ${what} on ${label} with the SSH allowlist (moat:access.allowSshFrom): SSH is open to the whole internet; if that is intended, set acknowledgeWorldSsh: true in this policy's config (NET-6).`;
  const reported =
    'Narrow cidrIpv4 "0.0.0.0/0" on ingress rule "bastion-ssh" to the SSH allowlist when you can: SSH is open to the whole internet (NET-6).';

  it("passes SSH from the allowlist", async () => {
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, rule({ cidrIpv4: OFFICE_CIDR })), {
      violations: [],
    });
    assert.deepEqual(await runResourcePolicy(netWorldSshReported, rule({ cidrIpv4: OFFICE_CIDR })), {
      violations: [],
    });
  });

  it("refuses world SSH by default", async () => {
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, world), { violations: [refused()] });
  });

  it("accepts acknowledged world SSH, which the advisory policy still reports", async () => {
    const config = { acknowledgeWorldSsh: true };
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, world, config), { violations: [] });
    assert.deepEqual(await runResourcePolicy(netWorldSshReported, world, config), { violations: [reported] });
    assert.equal(netWorldSshReported.enforcementLevel, "advisory");
    assert.equal(netWorldSshAcknowledged.enforcementLevel, undefined, "mandatory through the pack default");
  });

  it("refuses ::/0 in a legacy rule and all traffic from the world", async () => {
    const legacy = rule({ type: "ingress", protocol: "tcp", ipv6CidrBlocks: ["::/0"] }, NetType.legacyRule);
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, legacy), {
      violations: [refused('ipv6CidrBlocks[0] "::/0"', 'security group rule "bastion-ssh"')],
    });
    const all = rule({ cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", fromPort: undefined, toPort: undefined });
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, all), { violations: [refused()] });
  });

  it("refuses an SSH source unknown at preview: it may be the whole internet (NET-6, POL-2)", async () => {
    const run = await runResourcePolicy(netWorldSshAcknowledged, rule({ cidrIpv4: unknown.string }));
    assert.equal(run.previewError, undefined);
    assert.equal(run.violations.length, 1);
    assert.match(
      run.violations[0],
      /^Set cidrIpv4 on .* to a literal CIDR from the SSH allowlist: it is unknown at preview/,
    );
    assert.match(run.violations[0], /\(NET-6, POL-2\)\.$/);
    const acknowledged = { acknowledgeWorldSsh: true };
    assert.deepEqual(
      (await runResourcePolicy(netWorldSshAcknowledged, rule({ cidrIpv4: unknown.string }), acknowledged))
        .violations,
      [],
    );
  });

  it("leaves world traffic on other ports to net-external-ingress-ssh-only", async () => {
    const https = rule({ cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 });
    assert.deepEqual(await runResourcePolicy(netWorldSshAcknowledged, https), { violations: [] });
  });
});

describe("net-access-mode-ingress (NET-7)", () => {
  const policy = netAccessModeIngress;
  const mode = (value: unknown) => (s: StackSpec) => (s.vpc.props.tags = { "moat:access-mode": value });

  it("passes bastion mode with SSH from outside only into the bastion", () => verdict(policy, () => {}));

  it("passes direct mode with SSH from outside into head nodes", () =>
    verdict(policy, (s) => {
      mode("direct")(s);
      officeInto("head", 22)(s);
    }));

  it("fails SSH from outside into head nodes in bastion mode", () =>
    verdict(
      policy,
      officeInto("head", 22),
      officeRule(
        `Remove ingress rule "office-in": VPC "vpc" is in bastion access mode, where only the bastion group faces the internet, but it admits ${office} into security group "head-sg" (moat:role head); reach it through the bastion with ssh -J (NET-7).`,
      ),
    ));

  it("fails any ingress from outside the VPC in ssm mode; traffic from inside still passes", () =>
    verdict(
      policy,
      mode("ssm"),
      on(
        "bastion-ssh",
        `Remove ingress rule "bastion-ssh": VPC "vpc" is in ssm access mode, which admits nothing from outside the VPC (here ${office} into security group "bastion-sg" (moat:role bastion)); people connect through Session Manager (NET-7).`,
      ),
    ));

  for (const [value, why] of [
    [undefined, "it has none"],
    ["open", '"open" is none of them'],
    [unknown.string, "it is unknown at preview"],
  ] as const) {
    it(`fails a VPC whose access mode tag ${why}`, () =>
      verdict(
        policy,
        mode(value),
        on(
          "vpc",
          `Tag VPC "vpc" with moat:access-mode set to a literal bastion, direct, ssm: ${why}, so this policy cannot tell what may come in from outside (NET-7).`,
        ),
      ));
  }

  it("fails a second bastion instance", () =>
    verdict(policy, (s) => (s["bastion-2"] = { ...s.bastion }), {
      message:
        'Remove instance "bastion-2" or its moat:role bastion tag: the stack declares 2 bastion instances ("bastion", "bastion-2"), and the bastion must be the single internet-facing SSH endpoint (NET-7).',
      urn: urnOf(NetType.instance, "bastion-2"),
    }));
});

describe("net-bastion-hardened (NET-7)", () => {
  const policy = netBastionHardened;
  const bastion = (props: Record<string, unknown>, type: string = NetType.instance) => ({
    type,
    name: "bastion",
    props: { tags: { "moat:role": "bastion" }, ...props },
  });
  const fail2ban =
    'Install fail2ban in the userData of bastion instance "bastion", e.g. "dnf install -y fail2ban": the internet-facing SSH endpoint must ban repeated failed logins (NET-7).';
  const password =
    'Disable password login in the userData of bastion instance "bastion" with "PasswordAuthentication no" (and no later "yes"): the bastion accepts keys only (NET-7).';

  it("passes a shell script that installs fail2ban and turns password login off", async () => {
    assert.deepEqual(await runResourcePolicy(policy, bastion({ userData: HARDENED_USER_DATA })), {
      violations: [],
    });
  });

  it("passes cloud-config, and base64 user data on a launch template", async () => {
    const cloudConfig = "#cloud-config\npackages:\n  - fail2ban\nssh_pwauth: false\n";
    assert.deepEqual(await runResourcePolicy(policy, bastion({ userData: cloudConfig })), { violations: [] });
    const encoded = Buffer.from(HARDENED_USER_DATA).toString("base64");
    const template = bastion({ userData: encoded }, NetType.launchTemplate);
    assert.deepEqual(await runResourcePolicy(policy, template), { violations: [] });
  });

  it("fails user data without fail2ban", async () => {
    const userData = HARDENED_USER_DATA.replace(/.*fail2ban.*\n/g, "");
    assert.deepEqual(await runResourcePolicy(policy, bastion({ userData })), { violations: [fail2ban] });
  });

  it("fails user data that leaves password login on", async () => {
    const userData = "#!/bin/bash\napt-get install -y fail2ban\n";
    assert.deepEqual(await runResourcePolicy(policy, bastion({ userData })), { violations: [password] });
  });

  it("fails user data unknown at preview (POL-2) and absent user data", async () => {
    const computed = await runResourcePolicy(policy, bastion({ userData: unknown.string }));
    assert.deepEqual(computed.violations, [
      'Build the userData of instance "bastion" from values known at preview (config, secret names to fetch at boot): it is unknown, so this policy cannot verify that the bastion installs fail2ban and disables password login (NET-7, POL-2).',
    ]);
    const absent = await runResourcePolicy(policy, bastion({}));
    assert.deepEqual(absent.violations, [
      'Add user data to instance "bastion" that installs fail2ban and sets PasswordAuthentication no (NET-7).',
    ]);
  });

  it("does not apply to other nodes", async () => {
    const run = await runResourcePolicy(policy, { ...bastion({}), props: { tags: { "moat:role": "head" } } });
    assert.equal(run.notApplicable, "Policy only applies to bastion nodes");
  });

  it("recognises fail2ban installs by package manager or package list only", () => {
    assert.ok(installsFail2ban("yum -y install epel-release fail2ban"));
    assert.ok(installsFail2ban("packages:\n - 'fail2ban'\n"));
    assert.ok(!installsFail2ban("systemctl restart fail2ban"));
    assert.ok(!installsFail2ban("# TODO: fail2ban"));
  });
});
