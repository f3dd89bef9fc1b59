// CMP-2 (IMDSv2) and CMP-3 (volume encryption) on every node type that declares them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cmpInstanceMetadataImdsv2Required, cmpVolumeEncryptedCustomerKey } from "./cmp-compute";
import { CmpType } from "./cmp-types";
import { neverRead, runResourcePolicy, unknown } from "./testing";

const passes = { violations: [] };
const fails = (...violations: string[]) => ({ violations });

const imdsv2 = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 };
// The key's ARN is computed by the cloud: a first preview sees it unknown.
const rootVolume = { encrypted: true, kmsKeyId: unknown.string, volumeSize: 200 };

describe("cmp-instance-metadata-imdsv2-required (CMP-2)", () => {
  const policy = cmpInstanceMetadataImdsv2Required;
  const node = (type: string, metadataOptions?: unknown) => ({
    type,
    name: "head-0",
    props: neverRead(metadataOptions === undefined ? {} : { metadataOptions }, "id", "arn"),
  });

  for (const type of [
    CmpType.instance,
    CmpType.launchTemplate,
    CmpType.launchConfiguration,
    CmpType.spotInstanceRequest,
  ]) {
    it(`passes IMDSv2 with hop limit 2 on ${type}`, async () => {
      assert.deepEqual(await runResourcePolicy(policy, node(type, imdsv2)), passes);
    });
  }

  it("passes a hop limit left to AWS's default of 1", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance, { httpTokens: "required" })),
      passes,
    );
  });

  it("fails missing metadata options, which let IMDSv1 answer", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, node(CmpType.instance)),
      fails(
        'Set metadataOptions on instance "head-0" with httpTokens "required": without them AWS also accepts IMDSv1, whose tokenless requests let a forged request read the node\'s credentials (CMP-2).',
      ),
    );
  });

  it("fails optional tokens on a legacy launch configuration", async () => {
    const run = await runResourcePolicy(
      policy,
      node(CmpType.launchConfiguration, { httpTokens: "optional" }),
    );
    assert.deepEqual(
      run,
      fails(
        'Set metadataOptions.httpTokens on launch configuration "head-0" to "required" so only IMDSv2 answers: it is "optional" (CMP-2).',
      ),
    );
  });

  it("fails unset tokens and a hop limit above 2 on a spot request", async () => {
    const run = await runResourcePolicy(
      policy,
      node(CmpType.spotInstanceRequest, { httpPutResponseHopLimit: 3 }),
    );
    assert.deepEqual(
      run,
      fails(
        'Set metadataOptions.httpTokens on spot instance request "head-0" to "required" so only IMDSv2 answers: it is unset, which allows IMDSv1 (CMP-2).',
        'Lower metadataOptions.httpPutResponseHopLimit on spot instance request "head-0" to at most 2: 3 lets IMDS answers travel further than a container on the node (CMP-2).',
      ),
    );
  });

  it("takes a lower maximum hop limit from policy config", async () => {
    const run = await runResourcePolicy(policy, node(CmpType.launchTemplate, imdsv2), { maxHopLimit: 1 });
    assert.deepEqual(
      run,
      fails(
        'Lower metadataOptions.httpPutResponseHopLimit on launch template "head-0" to at most 1: 2 lets IMDS answers travel further than a container on the node (CMP-2).',
      ),
    );
  });

  it("fails unknown metadata options and unknown fields instead of skipping them (POL-2)", async () => {
    const whole = await runResourcePolicy(policy, node(CmpType.instance, unknown.object));
    assert.deepEqual(
      whole,
      fails(
        'Set metadataOptions on instance "head-0" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-2, POL-2).',
      ),
    );
    const fields = await runResourcePolicy(
      policy,
      node(CmpType.instance, { httpTokens: unknown.string, httpPutResponseHopLimit: unknown.number }),
    );
    assert.equal(fields.violations.length, 2);
    assert.equal(fields.previewError, undefined);
    assert.match(
      fields.violations[0],
      /^Set metadataOptions\.httpTokens on instance "head-0" to a literal value/,
    );
    assert.match(fields.violations[1], /^Set metadataOptions\.httpPutResponseHopLimit on instance "head-0"/);
  });

  it("does not apply to volumes", async () => {
    const run = await runResourcePolicy(policy, { type: CmpType.volume, props: {} });
    assert.match(run.notApplicable ?? "", /^Policy only applies to resources of type/);
  });
});

describe("cmp-volume-encrypted-customer-key (CMP-3)", () => {
  const policy = cmpVolumeEncryptedCustomerKey;
  const resource = (type: string, props: Record<string, unknown>) => ({ type, name: "compute-a", props });

  it("passes an instance whose root and data volumes name the tenant key (unknown ARN counts as set)", async () => {
    const props = {
      rootBlockDevice: rootVolume,
      ebsBlockDevices: [{ deviceName: "/dev/sdf", ...rootVolume }],
    };
    assert.deepEqual(await runResourcePolicy(policy, resource(CmpType.instance, props)), passes);
    assert.deepEqual(await runResourcePolicy(policy, resource(CmpType.spotInstanceRequest, props)), passes);
  });

  it("passes a launch template with string-typed encryption and an instance-store mapping", async () => {
    const props = {
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" },
        },
        { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
      ],
    };
    assert.deepEqual(await runResourcePolicy(policy, resource(CmpType.launchTemplate, props)), passes);
  });

  it("passes an EBS volume encrypted with a key", async () => {
    const props = { encrypted: true, kmsKeyId: unknown.string, availabilityZone: "eu-west-1a", size: 100 };
    assert.deepEqual(await runResourcePolicy(policy, resource(CmpType.volume, props)), passes);
  });

  it("fails an instance without a root volume declaration", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.instance, {})),
      fails(
        'Declare rootBlockDevice on instance "compute-a" with encrypted true and kmsKeyId set to the tenant\'s customer-managed KMS key: left out, the volume is unencrypted or uses the AWS-managed key (CMP-3).',
      ),
    );
  });

  it("fails a data volume encrypted with the AWS-managed key", async () => {
    const props = {
      rootBlockDevice: rootVolume,
      ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
    };
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.instance, props)),
      fails(
        "Encrypt ebsBlockDevices[0] of instance \"compute-a\" with the tenant's customer-managed KMS key: set kmsKeyId to the key's ARN (CMP-3).",
      ),
    );
  });

  it("fails a launch template without mappings, and one with an unencrypted mapping", async () => {
    const none = await runResourcePolicy(policy, resource(CmpType.launchTemplate, {}));
    assert.equal(none.violations.length, 1);
    assert.match(
      none.violations[0],
      /^Declare blockDeviceMappings on launch template "compute-a", at least one/,
    );
    const props = { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] };
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.launchTemplate, props)),
      fails(
        "Encrypt blockDeviceMappings[0].ebs of launch template \"compute-a\" with the tenant's customer-managed KMS key: set encrypted to true and kmsKeyId to the key's ARN (CMP-3).",
      ),
    );
  });

  it("fails an unencrypted EBS volume", async () => {
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.volume, { size: 100 })),
      fails(
        "Encrypt volume \"compute-a\" with the tenant's customer-managed KMS key: set encrypted to true and kmsKeyId to the key's ARN (CMP-3).",
      ),
    );
  });

  it("fails a legacy launch configuration, which cannot name a customer-managed key", async () => {
    const props = { rootBlockDevice: { encrypted: true } };
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.launchConfiguration, props)),
      fails(
        'Replace launch configuration "compute-a" with a launch template: a launch configuration cannot name a customer-managed KMS key for its volumes (CMP-3).',
      ),
    );
  });

  it("fails unknown encryption flags and device lists instead of skipping them (POL-2)", async () => {
    const props = {
      rootBlockDevice: { encrypted: unknown.boolean, kmsKeyId: "k" },
      ebsBlockDevices: unknown.array,
    };
    assert.deepEqual(
      await runResourcePolicy(policy, resource(CmpType.instance, props)),
      fails(
        'Set rootBlockDevice.encrypted on instance "compute-a" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-3, POL-2).',
        'Set ebsBlockDevices on instance "compute-a" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-3, POL-2).',
      ),
    );
    const mappings = { blockDeviceMappings: [unknown.object] };
    const run = await runResourcePolicy(policy, resource(CmpType.launchTemplate, mappings));
    assert.deepEqual(
      run,
      fails(
        'Set blockDeviceMappings[0] on launch template "compute-a" to a literal value: it is unknown at preview, so this policy cannot verify it (CMP-3, POL-2).',
      ),
    );
  });
});
