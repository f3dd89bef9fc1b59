// The policy pack's AUD-2 and AUD-4 policies on what SecurityAlerts really registers: resources
// recorded under the mocks, their property dependencies taken from the registration requests
// (as the engine sends them to the analyzer), and every value another resource computes, or that
// is built from one, turned into an unknown, as at a first `pulumi preview` (POL-2); and the same
// with the IDs known, as at every later preview.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { audFailedSshAlarmPresent, audSnsTopicEncrypted } from "../../policies/src/aud-alerts";
import { audAccountSingletonsInBaseline } from "../../policies/src/aud-baseline";
import { audGuardDutyPresent } from "../../policies/src/aud-detection";
import { audEventRulesPresent } from "../../policies/src/aud-events";
import { iamResourcePolicyNoWildcardPrincipal } from "../../policies/src/iam-privilege";
import { runResourcePolicy, runStackPolicy, stackResource, unknown } from "../../policies/src/testing";
import { installRecordingMocks, mockArns, Recorded, RecordingMocks } from "../testing/recording-mocks";
import { SecurityAlerts, SecurityAlertsArgs } from "./security-alerts";

interface DependencyRequest {
  getName(): string;
  getPropertydependenciesMap(): {
    forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}

let mocks: RecordingMocks;
// Property dependencies by resource name: property -> names of the resources it was built from.
const links = new Map<string, Record<string, string[]>>();

before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: DependencyRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const deps: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((d, key) => {
      const names = d.getUrnsList().map((urn) => urn.slice(urn.lastIndexOf("::") + 2));
      if (names.length > 0) {
        deps[key] = names;
      }
    });
    links.set(req.getName(), deps);
    return register(req, callback);
  };
});

// The tenant's network and key, whose IDs the cloud computes, and a node, which makes the stack a
// tenant cluster to the presence policies.
function tenantResources(): SecurityAlertsArgs["network"] & { keyArn: pulumi.Output<string> } {
  const vpc = new aws.ec2.Vpc("acme-net-vpc", { cidrBlock: "10.0.0.0/16" });
  const subnet = new aws.ec2.Subnet("acme-net-subnet", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" });
  const group = new aws.ec2.SecurityGroup("acme-net-sg", { vpcId: vpc.id });
  const table = new aws.ec2.RouteTable("acme-net-rt", { vpcId: vpc.id });
  const key = new aws.kms.Key("acme-key", {});
  new aws.ec2.Instance("acme-node", { instanceType: "t3.micro", iamInstanceProfile: "moat-acme-head" });
  return {
    vpcId: vpc.id,
    subnetIds: [subnet.id],
    securityGroupIds: [group.id],
    networkAclIds: [],
    routeTableIds: [table.id],
    internetGatewayIds: [],
    natGatewayIds: [],
    keyArn: key.arn,
  };
}

// What the cloud computes is unknown at a first preview: every `arn:mock:` ARN and `<name>-id`,
// and any string built from one (a JSON pattern naming an ID is one unknown string).
function atPreview(value: unknown, ids: readonly string[]): unknown {
  if (typeof value === "string") {
    return value.includes("arn:mock:") || ids.some((id) => value.includes(id)) ? unknown.string : value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => atPreview(v, ids));
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
      return atPreview(record.value, ids);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, atPreview(v, ids)]));
  }
  return value;
}

// Inputs as the analyzer receives them, by resource name, before the SDK's unknown-checking proxy.
const sent = new Map<string, Record<string, unknown>>();

/** The recorded resources named `prefix...` as the analyzer receives them, in registration order. */
function asStack(prefix: string, preview: boolean): PolicyResource[] {
  const recorded: Recorded[] = mocks.named(prefix);
  const ids = recorded.map((r) => `${r.name}-id`);
  const built = new Map<string, PolicyResource>();
  for (const r of recorded) {
    // A dependency always registers first, so it is built already.
    const propertyDependencies = Object.fromEntries(
      Object.entries(links.get(r.name) ?? {}).map(([key, deps]) => [
        key,
        deps.map((d) => built.get(d)).filter((d): d is PolicyResource => d !== undefined),
      ]),
    );
    const props = (preview ? atPreview(r.inputs, ids) : r.inputs) as Record<string, unknown>;
    sent.set(`${preview}:${r.name}`, props);
    built.set(r.name, stackResource({ type: r.type, name: r.name, props }, { propertyDependencies }));
  }
  return [...built.values()];
}

const clean = { violations: [] };
const namesOf = (resource: PolicyResource | undefined, key: string) =>
  (resource?.propertyDependencies[key] ?? []).map((r) => r.name).sort();

describe("SecurityAlerts passes the AUD-2 and AUD-4 policies at a first preview and later (POL-2)", () => {
  let preview: PolicyResource[];
  let known: PolicyResource[];
  before(async () => {
    const { keyArn, ...network } = tenantResources();
    new SecurityAlerts("acme", {
      tenantId: "acme",
      accountId: "123456789012",
      region: "us-east-1",
      kmsKeyArn: keyArn,
      subscriptions: { emails: ["security@acme.example"], httpsEndpoint: "https://pager.example/sns/x" },
      network,
    });
    await mocks.settle();
    preview = asStack("acme", true);
    known = asStack("acme", false);
  });

  it("records the links the policies follow: targets to their rule and topic, patterns to the resources they name", () => {
    const find = (name: string) => preview.find((r) => r.name === name);
    assert.deepEqual(namesOf(find("acme-iam-changes-target"), "rule"), ["acme-iam-changes"]);
    assert.deepEqual(namesOf(find("acme-iam-changes-target"), "arn"), ["acme-topic"]);
    assert.deepEqual(namesOf(find("acme-firewall-changes"), "eventPattern"), ["acme-net-sg", "acme-net-vpc"]);
    assert.deepEqual(namesOf(find("acme-kms-changes"), "eventPattern"), ["acme-key"]);
  });

  it("leaves IAM and GuardDuty patterns readable at preview (names and ARNs known), the ID-scoped ones unknown", () => {
    const pattern = (name: string) => sent.get(`true:${name}`)?.eventPattern;
    assert.equal(typeof JSON.parse(pattern("acme-iam-changes") as string), "object");
    assert.equal(typeof JSON.parse(pattern("acme-guardduty-findings") as string), "object");
    for (const key of ["firewall-changes", "route-changes", "gateway-changes", "kms-changes"]) {
      assert.equal(pattern(`acme-${key}`), unknown.string, key);
    }
  });

  it("aud-event-rules-present: present and scoped, from the tags at preview and from the patterns once known (AUD-2)", async () => {
    assert.deepEqual(await runStackPolicy(audEventRulesPresent, preview), clean);
    assert.deepEqual(await runStackPolicy(audEventRulesPresent, known), clean);
  });

  it("aud-failed-ssh-alarm-present and aud-guardduty-present (AUD-2, AUD-3, AUD-4)", async () => {
    for (const stack of [preview, known]) {
      assert.deepEqual(await runStackPolicy(audFailedSshAlarmPresent, stack), clean);
      assert.deepEqual(await runStackPolicy(audGuardDutyPresent, stack), clean);
    }
  });

  it("creates no GuardDuty detector: aud-account-singletons-in-baseline (AUD-4)", async () => {
    assert.equal(preview.filter((r) => r.type === "aws:guardduty/detector:Detector").length, 0);
    assert.deepEqual(await runStackPolicy(audAccountSingletonsInBaseline, preview), clean);
  });

  it("aud-sns-topic-encrypted and the no-wildcard resource policy check", async () => {
    const run = async (type: string, policy: Parameters<typeof runResourcePolicy>[0]) => {
      const resources = preview.filter((r) => r.type === type);
      assert.equal(resources.length, 1, type);
      const [resource] = resources;
      return runResourcePolicy(policy, { type, name: resource.name, props: resource.props });
    };
    assert.deepEqual(await run("aws:sns/topic:Topic", audSnsTopicEncrypted), clean);
    assert.deepEqual(
      await run("aws:sns/topicPolicy:TopicPolicy", iamResourcePolicyNoWildcardPrincipal),
      clean,
    );
  });

  it("the policies notice what the component prevents: missing rules, an unscoped pattern, a rule without its tag", async () => {
    const withoutRules = preview.filter((r) => r.type !== "aws:cloudwatch/eventRule:EventRule");
    assert.equal((await runStackPolicy(audEventRulesPresent, withoutRules)).violations.length, 1);
    assert.equal((await runStackPolicy(audGuardDutyPresent, withoutRules)).violations.length, 1);
    const withoutAlarm = preview.filter((r) => r.type !== "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal((await runStackPolicy(audFailedSshAlarmPresent, withoutAlarm)).violations.length, 1);

    // The firewall rule widened to every group of the account, as before AUD-2's scoping clause.
    const changed = (
      stack: PolicyResource[],
      name: string,
      change: (props: Record<string, unknown>) => void,
    ) =>
      stack.map((r) => {
        if (r.name !== name) {
          return r;
        }
        const props = structuredClone(sent.get(`${stack === preview}:${name}`)!);
        change(props);
        return stackResource({ type: r.type, name, props }, { propertyDependencies: r.propertyDependencies });
      });
    const widened = changed(known, "acme-firewall-changes", (props) => {
      const pattern = JSON.parse(props.eventPattern as string);
      pattern.detail = {
        eventSource: pattern.detail.eventSource,
        eventName: ["AuthorizeSecurityGroupIngress"],
      };
      props.eventPattern = JSON.stringify(pattern);
    });
    const unscoped = await runStackPolicy(audEventRulesPresent, widened);
    assert.equal(unscoped.violations.length, 1);
    assert.match(
      unscoped.violations[0].message,
      /^Scope eventPattern on EventBridge rule "acme-firewall-changes" .*\(AUD-2\)\.$/,
    );

    const untagged = changed(preview, "acme-kms-changes", (props) => delete props.tags);
    const undeclared = await runStackPolicy(audEventRulesPresent, untagged);
    assert.deepEqual(
      undeclared.violations.map((v) => v.urn),
      [preview.find((r) => r.name === "acme-kms-changes")!.urn, undefined],
    );
    assert.match(
      undeclared.violations[0].message,
      /^Set eventPattern on EventBridge rule "acme-kms-changes" to a literal value, or .* \(AUD-2, POL-2\)\.$/,
    );
  });
});
