import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { secretArnPattern } from "../tenant-key/tenant-scope";
import { clusterSecretNames, parseSecretArn, secretName } from "./secret-names";

const scope = { partition: "aws", region: "eu-west-1", accountId: "123456789012", tenantId: "acme" } as const;

describe("secret names (CMP-4, CMP-6, CMP-7, CMP-8, DAT-2)", () => {
  it("CMP-4/CMP-6/CMP-8/DAT-2: names every cluster secret moat/<tenant>/<purpose>", () => {
    assert.equal(secretName("acme", "x"), "moat/acme/x");
    assert.deepEqual(clusterSecretNames("acme", ["head-0", "head-1"]), {
      clusterKey: "moat/acme/cluster-ssh-key",
      jupyterTokens: {
        "head-0": "moat/acme/jupyter-token/head-0",
        "head-1": "moat/acme/jupyter-token/head-1",
      },
      jupyterTls: { "head-0": "moat/acme/jupyter-tls/head-0", "head-1": "moat/acme/jupyter-tls/head-1" },
      mungeKey: "moat/acme/munge-key",
    });
  });

  it("CMP-7: the IAM pattern of a secret name matches exactly that secret", () => {
    assert.equal(
      secretArnPattern(scope, "moat/acme/jupyter-token/head-1"),
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:moat/acme/jupyter-token/head-1-??????",
    );
  });

  it("parses secret ARNs and refuses anything else", () => {
    assert.deepEqual(
      parseSecretArn(
        "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:moat/acme/cluster-ssh-key-Ab12Cd",
      ),
      {
        partition: "aws-us-gov",
        region: "us-gov-west-1",
        accountId: "123456789012",
        name: "moat/acme/cluster-ssh-key",
      },
    );
    for (const bad of [
      "moat/acme/cluster-ssh-key",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:moat/acme/cluster-ssh-key",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/moat/acme/x-Ab12Cd",
      "arn:aws:secretsmanager:eu-west-1:1234:secret:moat/acme/x-Ab12Cd",
    ]) {
      assert.equal(parseSecretArn(bad), undefined, bad);
    }
  });

  it("CMP-7: the pattern of one secret matches its real ARNs and no other node's (property)", () => {
    const toRegex = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\?/g, ".")
          .replace(/\*/g, ".*")}$`,
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.stringMatching(/^[A-Za-z0-9]{6}$/),
        (a, b, suffix) => {
          const pattern = toRegex(secretArnPattern(scope, `moat/acme/jupyter-token/head-${a}`));
          const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:moat/acme/jupyter-token/head-${b}-${suffix}`;
          assert.equal(pattern.test(arn), a === b);
          assert.equal(parseSecretArn(arn)?.name, `moat/acme/jupyter-token/head-${b}`);
        },
      ),
    );
  });
});
