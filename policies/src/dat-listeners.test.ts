import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TLS_ENDPOINT_TYPES as T, datHttpsEndpointTls12 } from "./dat-listeners";
import { runResourcePolicy, unknown } from "./testing";

const run = (type: string, props: Record<string, unknown>) =>
  runResourcePolicy(datHttpsEndpointTls12, { type, name: "front", props });
const violations = async (type: string, props: Record<string, unknown>) =>
  (await run(type, props)).violations;

describe("dat-https-endpoint-tls12 (DAT-2)", () => {
  it("passes TLS 1.2+ policies on every endpoint type, and plain HTTP or TCP listeners", async () => {
    for (const [type, props] of [
      [T.lbListener, { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }],
      [T.albListener, { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" }],
      [T.lbListener, { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" }],
      [T.lbListener, { protocol: "HTTP" }],
      [T.lbListener, { protocol: "TCP" }],
      [T.restDomain, { securityPolicy: "TLS_1_2" }],
      [T.httpDomain, { domainNameConfiguration: { securityPolicy: "TLS_1_2" } }],
      [T.distribution, { viewerCertificate: { minimumProtocolVersion: "TLSv1.2_2021" } }],
    ] as const) {
      assert.deepEqual(await violations(type, props), [], `${type} ${JSON.stringify(props)}`);
    }
  });

  it("fails a TLS 1.0 policy on an HTTPS listener, naming the setting and a fix", async () => {
    const [message] = await violations(T.lbListener, {
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04",
    });
    assert.equal(
      message,
      'Set sslPolicy on aws:lb/listener:Listener "front" to a policy accepting only TLS 1.2 or later (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06): "ELBSecurityPolicy-TLS-1-0-2015-04" accepts older TLS (DAT-2).',
    );
    assert.equal(
      (await violations(T.albListener, { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })).length,
      1,
    );
  });

  it("fails a missing policy, whose AWS default may accept TLS 1.0, and old API Gateway and CloudFront settings", async () => {
    assert.match(
      (await violations(T.lbListener, { protocol: "HTTPS" }))[0],
      /it is not set, and the default may accept TLS 1\.0/,
    );
    assert.equal((await violations(T.restDomain, { securityPolicy: "TLS_1_0" })).length, 1);
    assert.equal((await violations(T.restDomain, {})).length, 1);
    assert.equal(
      (await violations(T.httpDomain, { domainNameConfiguration: { securityPolicy: "TLS_1_0" } })).length,
      1,
    );
    assert.match(
      (await violations(T.distribution, { viewerCertificate: { cloudfrontDefaultCertificate: true } }))[0],
      /viewerCertificate\.minimumProtocolVersion .* \(e\.g\. TLSv1\.2_2021\)/,
    );
    assert.equal(
      (await violations(T.distribution, { viewerCertificate: { minimumProtocolVersion: "TLSv1.1_2016" } }))
        .length,
      1,
    );
  });

  it("asks for literals when the protocol or the policy is unknown at preview (POL-2)", async () => {
    assert.deepEqual(
      await violations(T.lbListener, {
        protocol: unknown.string,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      }),
      [],
      "a TLS 1.2 policy settles it whatever the protocol",
    );
    for (const props of [
      { protocol: unknown.string, sslPolicy: "ELBSecurityPolicy-2016-08" },
      { protocol: "HTTPS", sslPolicy: unknown.string },
    ]) {
      const result = await run(T.lbListener, props);
      assert.equal(result.previewError, undefined);
      assert.match(
        result.violations[0],
        /literal values accepting TLS 1\.2 or later: they are unknown at preview/,
      );
    }
  });
});
