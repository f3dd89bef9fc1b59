// The account's home baseline (AccountBaseline in us-east-1, with the AuditTrail, its access-log
// bucket, key, detector and forwarding), under its provider, judged by the policy pack on what the
// mocks recorded: inputs, resource options, provider and property dependencies,
// as the engine would send them. Once with every value known, once with the IDs and ARNs the
// cloud computes left unknown, as at a first preview (POL-2).
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import type {
  Policy,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { audPolicies } from "../../policies/src/aud";
import { audTrailBucketRetained, audTrailPresent, audTrailSecured } from "../../policies/src/aud-trail";
import { cmpIamPolicyLeastPrivilege } from "../../policies/src/cmp-iam";
import { datBucketPolicies } from "../../policies/src/dat-buckets";
import { iamPolicies } from "../../policies/src/iam";
import { kmsPolicies } from "../../policies/src/kms";
import { netLogGroupEncryptedRetained } from "../../policies/src/net-flow-logs";
import { runStackPolicy, stackResource, unknown } from "../../policies/src/testing";
import { audTrailBucketLocked } from "../../policies/src/aud-lock";
import { createTenantProvider } from "../tenant/tenant-provider";
import { installRecordingMocks, mockArns, RecordingMocks } from "../testing/recording-mocks";
import { AccountBaseline } from "./account-baseline";

/** What the recording mocks leave out and the policies need: per-property links and the provider. */
interface Links {
  readonly urn: string;
  readonly provider: string;
  readonly propertyDependencies: Record<string, string[]>;
}

interface LinkRequest {
  getName(): string;
  getProvider(): string;
  getPropertydependenciesMap(): {
    forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
}

let mocks: RecordingMocks;
const links = new Map<string, Links>();

before(async () => {
  mocks = await installRecordingMocks({ computed: mockArns });
  const monitor = settings.getMonitor() as unknown as {
    registerResource(
      req: LinkRequest,
      callback: (err: unknown, resp?: { getUrn(): string }) => void,
    ): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  // The URN the monitor answers with, which later registrations name in their dependencies.
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (resp !== undefined) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        links.set(req.getName(), { urn: resp.getUrn(), provider: req.getProvider(), propertyDependencies });
      }
      callback(err, resp);
    });

  const provider = createTenantProvider("account-aws", {
    region: "us-east-1",
    allowedAccountIds: ["123456789012"],
    tenantId: "account",
    environment: "prod",
    owner: "platform@acme.example",
  });
  new AccountBaseline(
    "account",
    {
      accountId: "123456789012",
      region: "us-east-1",
      operatorEmails: ["secops@acme.example"],
      forwardGlobalEventsTo: ["eu-west-1"],
    },
    { providers: { aws: provider } },
  );
  await mocks.settle();
});

const COMPUTED = /^arn:mock:|-id$/;

// Leaves every value the mocks computed (IDs `<name>-id`, ARNs `arn:mock:...`) unknown.
function withUnknowns(value: unknown): unknown {
  if (typeof value === "string") {
    return COMPUTED.test(value) ? unknown.string : value;
  }
  if (Array.isArray(value)) {
    return value.map(withUnknowns);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknowns(v)]));
  }
  return value;
}

/** The recorded AWS resources as a stack policy receives them; dependencies come first in the record. */
function policyResources(unknowns: boolean): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const providerRecord = mocks.all().find((r) => r.type === "pulumi:providers:aws");
  assert.ok(providerRecord, "no tenant provider recorded");
  const providerLinks = links.get(providerRecord.name);
  // AWS resources, and the baseline component whose inputs say it is the account's home.
  const judged = (type: string) => type.startsWith("aws:") || type === "moat:account:AccountBaseline";
  for (const record of mocks.all().filter((r) => judged(r.type))) {
    const link = links.get(record.name);
    assert.ok(link, `no links for ${record.name}`);
    const propertyDependencies = Object.fromEntries(
      Object.entries(link.propertyDependencies).map(([key, urns]) => [
        key,
        urns.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined),
      ]),
    );
    const props = (unknowns ? withUnknowns(record.inputs) : record.inputs) as Record<string, unknown>;
    const resource = stackResource({ type: record.type, name: record.name, props }, { propertyDependencies });
    const onProvider = link.provider.startsWith(`${providerLinks?.urn}::`);
    byUrn.set(link.urn, {
      ...resource,
      urn: link.urn,
      opts: { ...resource.opts, protect: record.protect },
      provider: onProvider
        ? {
            type: providerRecord.type,
            name: providerRecord.name,
            urn: providerLinks?.urn ?? "",
            props: providerRecord.inputs,
          }
        : undefined,
    });
  }
  return [...byUrn.values()];
}

/** Runs one policy, resource or stack, over the stack and returns every message it reported. */
async function violationsOf(policy: Policy, resources: PolicyResource[]): Promise<string[]> {
  if ("validateStack" in policy) {
    const run = await runStackPolicy(policy as StackValidationPolicy, resources);
    assert.equal(run.previewError, undefined, `${policy.name}: ${run.previewError}`);
    return run.violations.map((v) => v.message);
  }
  const messages: string[] = [];
  const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
  for (const r of resources) {
    // What the analyzer hands a resource policy: the resource with its options and provider.
    const args: ResourceValidationArgs = {
      type: r.type,
      props: r.props,
      urn: r.urn,
      name: r.name,
      opts: r.opts,
      provider: r.provider,
      stackTags: new Map(),
      isType: r.isType,
      asType: r.asType as ResourceValidationArgs["asType"],
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => {
        throw Object.assign(new Error(reason), { notApplicable: true });
      },
    };
    for (const validate of validations) {
      try {
        await validate(args, (message: string) => messages.push(`${r.name}: ${message}`));
      } catch (err) {
        if (!(err as { notApplicable?: boolean }).notApplicable) {
          throw err;
        }
      }
    }
  }
  return messages;
}

const POLICIES: Policy[] = [
  ...audPolicies,
  audTrailPresent,
  audTrailBucketLocked,
  ...datBucketPolicies,
  ...iamPolicies,
  cmpIamPolicyLeastPrivilege,
  ...kmsPolicies,
  netLogGroupEncryptedRetained,
];

for (const unknowns of [false, true]) {
  describe(`The home baseline under the policy pack, ${unknowns ? "IDs and ARNs unknown (POL-2)" : "values known"}`, () => {
    it("records the trail, its bucket with every setting, the log group, the role and the key", () => {
      const types = policyResources(unknowns).map((r) => r.type);
      for (const type of [
        "aws:cloudtrail/trail:Trail",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:iam/role:Role",
        "aws:kms/key:Key",
      ]) {
        assert.ok(types.includes(type), type);
      }
    });

    it("links the trail to its bucket, log group and role by property dependencies", () => {
      const trail = policyResources(unknowns).find((r) => r.type === "aws:cloudtrail/trail:Trail");
      assert.deepEqual(
        trail?.propertyDependencies.s3BucketName?.map((r) => r.name),
        ["account-audit-bucket"],
      );
      assert.deepEqual(
        trail?.propertyDependencies.cloudWatchLogsGroupArn?.map((r) => r.name),
        ["account-audit-logs"],
      );
      assert.deepEqual(
        trail?.propertyDependencies.kmsKeyId?.map((r) => r.name),
        ["account-key"],
      );
    });

    for (const policy of POLICIES) {
      it(`AUD-1, AUD-5, DAT-3, DAT-4, DAT-5, IAM-3, CMP-7, NET-10: ${policy.name} reports nothing`, async () => {
        assert.deepEqual(await violationsOf(policy, policyResources(unknowns)), []);
      });
    }
  });
}

describe("The home baseline under the policy pack: the checks bite (AUD-1, DAT-4)", () => {
  it("a lifecycle shortened to 30 days fails aud-trail-bucket-retained with AUD-1", async () => {
    const resources = policyResources(false).map((r) =>
      r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
        ? stackResource(
            {
              type: r.type,
              name: r.name,
              props: { rules: [{ id: "short", status: "Enabled", expiration: { days: 30 } }] },
            },
            { propertyDependencies: r.propertyDependencies },
          )
        : r,
    );
    const [violation, ...rest] = await violationsOf(audTrailBucketRetained, resources);
    assert.deepEqual(rest, []);
    assert.match(violation, /expires objects after 30 days in rule "short".*\(AUD-1\)/);
  });

  it("an audit bucket whose Object Lock configuration is gone fails aud-trail-bucket-locked", async () => {
    const unlocked = policyResources(false).filter(
      (r) => r.type !== "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    );
    const [violation, ...rest] = await violationsOf(audTrailBucketLocked, unlocked);
    assert.deepEqual(rest, []);
    assert.match(violation, /BucketObjectLockConfiguration.*"account-audit-bucket".*COMPLIANCE.*\(AUD-1\)/);
  });

  it("a trail without protect fails aud-trail-secured with DAT-4", async () => {
    const resources = policyResources(false).map((r) =>
      r.type === "aws:cloudtrail/trail:Trail" ? { ...r, opts: { ...r.opts, protect: false } } : r,
    );
    const [violation, ...rest] = await violationsOf(audTrailSecured, resources);
    assert.deepEqual(rest, []);
    assert.match(
      violation,
      /^account-audit-trail: Create CloudTrail trail "account-audit-trail" with the resource option protect: true.*DAT-4/,
    );
  });
});
