// The policy pack's AUD-2 and AUD-4 policies on what SecurityAlerts really registers: resources
// recorded under the mocks, their property dependencies taken from the registration requests
// (as the engine sends them to the analyzer), and every value another resource computes turned
// into an unknown, as at a first `pulumi preview` (POL-2).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { audFailedSshAlarmPresent, audSnsTopicEncrypted } from "../../policies/src/aud-alerts";
import { audGuardDutyDetectorEnabled, audGuardDutyPresent } from "../../policies/src/aud-detection";
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

const args: SecurityAlertsArgs = {
  tenantId: "acme",
  accountId: "123456789012",
  region: "us-east-1",
  kmsKeyArn: pulumi.output("arn:mock:acme-key"),
  subscriptions: { emails: ["security@acme.example"], httpsEndpoint: "https://pager.example/sns/x" },
};

// What the cloud computes is unknown at a first preview: every `arn:mock:` ARN and `<name>-id`.
function atPreview(value: unknown, ids: ReadonlySet<string>): unknown {
  if (typeof value === "string") {
    return value.startsWith("arn:mock:") || ids.has(value) ? unknown.string : value;
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

/** The recorded resources named `prefix...` as the analyzer receives them, in registration order. */
function asStack(prefix: string): PolicyResource[] {
  const recorded: Recorded[] = mocks.named(prefix);
  const ids = new Set(recorded.map((r) => `${r.name}-id`));
  const built = new Map<string, PolicyResource>();
  for (const r of recorded) {
    // A dependency always registers first, so it is built already.
    const propertyDependencies = Object.fromEntries(
      Object.entries(links.get(r.name) ?? {}).map(([key, deps]) => [
        key,
        deps.map((d) => built.get(d)).filter((d): d is PolicyResource => d !== undefined),
      ]),
    );
    const props = atPreview(r.inputs, ids) as Record<string, unknown>;
    built.set(r.name, stackResource({ type: r.type, name: r.name, props }, { propertyDependencies }));
  }
  return [...built.values()];
}

const clean = { violations: [] };

describe("SecurityAlerts passes the AUD-2 and AUD-4 policies at a first preview (POL-2)", () => {
  let stack: PolicyResource[];
  before(async () => {
    new SecurityAlerts("acme", args);
    await mocks.settle();
    stack = asStack("acme");
  });

  it("records the links the policies follow: targets to their rule and topic", () => {
    const target = stack.find((r) => r.name === "acme-iam-changes-target");
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(target?.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((r) => r.name)]),
      ),
      { rule: ["acme-iam-changes"], arn: ["acme-topic"] },
    );
  });

  it("aud-failed-ssh-alarm-present (AUD-2, AUD-3)", async () => {
    assert.deepEqual(await runStackPolicy(audFailedSshAlarmPresent, stack), clean);
  });

  it("aud-event-rules-present (AUD-2)", async () => {
    assert.deepEqual(await runStackPolicy(audEventRulesPresent, stack), clean);
  });

  it("aud-guardduty-present, with the default config (AUD-4)", async () => {
    assert.deepEqual(await runStackPolicy(audGuardDutyPresent, stack), clean);
  });

  it("aud-sns-topic-encrypted, aud-guardduty-detector-enabled and the no-wildcard resource policy check", async () => {
    const run = async (type: string, policy: Parameters<typeof runResourcePolicy>[0]) => {
      const resources = stack.filter((r) => r.type === type);
      assert.equal(resources.length, 1, type);
      const [resource] = resources;
      return runResourcePolicy(policy, { type, name: resource.name, props: resource.props });
    };
    assert.deepEqual(await run("aws:sns/topic:Topic", audSnsTopicEncrypted), clean);
    assert.deepEqual(await run("aws:guardduty/detector:Detector", audGuardDutyDetectorEnabled), clean);
    assert.deepEqual(
      await run("aws:sns/topicPolicy:TopicPolicy", iamResourcePolicyNoWildcardPrincipal),
      clean,
    );
  });

  it("the policies notice what the component prevents: without rules or alarm they fail", async () => {
    const withoutRules = stack.filter((r) => r.type !== "aws:cloudwatch/eventRule:EventRule");
    assert.equal((await runStackPolicy(audEventRulesPresent, withoutRules)).violations.length, 1);
    assert.equal((await runStackPolicy(audGuardDutyPresent, withoutRules)).violations.length, 1);
    const withoutAlarm = stack.filter((r) => r.type !== "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal((await runStackPolicy(audFailedSshAlarmPresent, withoutAlarm)).violations.length, 1);
  });
});

describe("SecurityAlerts with an organisation detector (AUD-4)", () => {
  let stack: PolicyResource[];
  before(async () => {
    new SecurityAlerts("globex", {
      ...args,
      tenantId: "globex",
      guardDuty: { organizationDetector: true },
      subscriptions: { emails: ["sec@globex.example"] },
    });
    await mocks.settle();
    stack = asStack("globex");
  });

  it("has no detector and passes aud-guardduty-present configured { organizationDetector: true }", async () => {
    assert.equal(stack.filter((r) => r.type === "aws:guardduty/detector:Detector").length, 0);
    assert.deepEqual(await runStackPolicy(audGuardDutyPresent, stack, { organizationDetector: true }), clean);
  });

  it("fails aud-guardduty-present without that config, naming the missing detector", async () => {
    const run = await runStackPolicy(audGuardDutyPresent, stack);
    assert.equal(run.violations.length, 1);
    assert.match(run.violations[0].message, /^Add an aws\.guardduty\.Detector/);
  });

  it("still passes the AUD-2 presence policies", async () => {
    assert.deepEqual(await runStackPolicy(audEventRulesPresent, stack), clean);
    assert.deepEqual(await runStackPolicy(audFailedSshAlarmPresent, stack), clean);
  });
});
