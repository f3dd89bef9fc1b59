import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import type { NodeBootstrapSpec } from "./node-bootstrap";
import { validateNodeBootstrapSpec } from "./bootstrap-spec";
import { ed25519Key, rsaKey } from "./test-keys";

const arn = (name: string, region = "eu-west-1") =>
  `arn:aws:secretsmanager:${region}:123456789012:secret:moat/acme/${name}-AbC123`;

const head: NodeBootstrapSpec = {
  role: "head",
  tenantId: "acme",
  region: "eu-west-1",
  nodeName: "head-1",
  userKeys: [ed25519Key()],
  secretArns: {
    clusterKey: arn("cluster-ssh-key"),
    jupyterToken: arn("jupyter-token/head-1"),
    jupyterTls: arn("jupyter-tls/head-1"),
  },
};

const problems = (spec: NodeBootstrapSpec) =>
  Object.fromEntries(validateNodeBootstrapSpec(spec).map((p) => [p.propertyPath, p.reason]));

describe("validateNodeBootstrapSpec (CMP-4, CMP-7, CMP-8, DAT-2)", () => {
  it("accepts a complete head spec, and secret names in place of ARNs (known at preview, POL-2)", () => {
    assert.deepEqual(problems(head), {});
    assert.deepEqual(
      problems({
        ...head,
        secretArns: {
          clusterKey: "moat/acme/cluster-ssh-key",
          jupyterToken: "moat/acme/jupyter-token/head-1",
          jupyterTls: "moat/acme/jupyter-tls/head-1",
        },
      }),
      {},
    );
  });

  it("CMP-7: refuses another node's or another tenant's secrets, and secrets from another region", () => {
    const found = problems({
      ...head,
      secretArns: {
        clusterKey: arn("cluster-ssh-key").replace("moat/acme/", "moat/other/"),
        jupyterToken: arn("jupyter-token/head-10"),
        jupyterTls: arn("jupyter-tls/head-1", "us-east-1"),
      },
    });
    assert.match(found["secretArns.clusterKey"], /not the ARN \(or name\) of moat\/acme\/cluster-ssh-key/);
    assert.match(found["secretArns.jupyterToken"], /moat\/acme\/jupyter-token\/head-1;/);
    assert.match(found["secretArns.jupyterTls"], /in us-east-1 but the node runs in eu-west-1/);
  });

  it("CMP-7/NET-7: gives each role exactly its secrets: none on a bastion, only the key on compute", () => {
    assert.deepEqual(Object.keys(problems({ ...head, role: "bastion" })).sort(), [
      "secretArns.clusterKey",
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
    assert.deepEqual(Object.keys(problems({ ...head, role: "compute" })).sort(), [
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
    assert.deepEqual(Object.keys(problems({ ...head, secretArns: {} })).sort(), [
      "secretArns.clusterKey",
      "secretArns.jupyterTls",
      "secretArns.jupyterToken",
    ]);
  });

  it("CMP-4: refuses weak user keys and a cluster key that is not ed25519, naming each", () => {
    const found = problems({
      ...head,
      userKeys: [ed25519Key(), rsaKey(3072)],
      clusterPublicKey: rsaKey(4096),
    });
    assert.deepEqual(Object.keys(found), ["userKeys[1]", "clusterPublicKey"]);
    assert.match(found["userKeys[1]"], /is an RSA key of 3072 bits/);
    assert.match(
      problems({ ...head, role: "bastion", secretArns: {}, clusterPublicKey: ed25519Key() }).clusterPublicKey,
      /NET-7/,
    );
  });

  it("requires a node name on head nodes and well-formed identity fields", () => {
    const found = problems({ ...head, nodeName: undefined, tenantId: "Acme Corp", region: "eu-west-1a" });
    assert.deepEqual(Object.keys(found), ["tenantId", "region", "nodeName"]);
    assert.match(problems({ ...head, role: "admin" as "head" }).role, /use one of bastion, head, compute/);
  });

  it("DAT-2/CMP-7: checks the filesystem's path, type and parameter, which must be the tenant's", () => {
    const fs = { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" } as const;
    assert.deepEqual(problems({ ...head, sharedFilesystem: fs }), {});
    assert.deepEqual(problems({ ...head, sharedFilesystem: { ...fs, type: "lustre" } }), {});
    const found = problems({
      ...head,
      sharedFilesystem: {
        type: "nfs" as "efs",
        mountPath: "/fsx data",
        parameterName: "/moat/other/shared-filesystem",
      },
    });
    assert.deepEqual(Object.keys(found), [
      "sharedFilesystem.mountPath",
      "sharedFilesystem.type",
      "sharedFilesystem.parameterName",
    ]);
    assert.match(
      found["sharedFilesystem.parameterName"],
      /outside \/moat\/acme\/, the only parameters .* \(CMP-7\)/,
    );
    assert.match(
      problems({ ...head, sharedFilesystem: { ...fs, parameterName: "moat/acme/fs; rm -rf /" } })[
        "sharedFilesystem.parameterName"
      ],
      /is not an SSM parameter name/,
    );
    for (const mountPath of ["/", "/usr/local/shared", "shared", "/etc/shared"]) {
      const bad = problems({ ...head, sharedFilesystem: { ...fs, mountPath } });
      assert.deepEqual(Object.keys(bad), ["sharedFilesystem.mountPath"], mountPath);
      assert.match(bad["sharedFilesystem.mountPath"], /outside system directories, e\.g\. \/shared/);
    }
  });

  it("CMP-7: with an environment, holds secrets and the parameter to the environment's names", () => {
    const prod = (name: string) => arn(name).replace("moat/acme/", "moat/acme-prod/");
    const spec: NodeBootstrapSpec = {
      ...head,
      environment: "prod",
      secretArns: {
        clusterKey: prod("cluster-ssh-key"),
        jupyterToken: prod("jupyter-token/head-1"),
        jupyterTls: prod("jupyter-tls/head-1"),
      },
      sharedFilesystem: {
        type: "efs",
        mountPath: "/shared",
        parameterName: "/moat/acme-prod/shared-filesystem",
      },
    };
    assert.deepEqual(problems(spec), {});
    const otherEnvironment = problems({
      ...spec,
      secretArns: {
        ...spec.secretArns,
        clusterKey: arn("cluster-ssh-key").replace("moat/acme/", "moat/acme-dev/"),
      },
      sharedFilesystem: { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
    });
    assert.deepEqual(Object.keys(otherEnvironment), [
      "secretArns.clusterKey",
      "sharedFilesystem.parameterName",
    ]);
    assert.match(
      otherEnvironment["secretArns.clusterKey"],
      /not the ARN \(or name\) of moat\/acme-prod\/cluster-ssh-key/,
    );
    assert.match(otherEnvironment["sharedFilesystem.parameterName"], /outside \/moat\/acme-prod\//);
  });

  it("refuses an environment the stack schema does not know, without burying it under name mismatches", () => {
    const found = problems({ ...head, environment: "qa" });
    assert.deepEqual(Object.keys(found), ["environment"]);
    assert.match(found.environment, /^"qa" is not an environment; use one of dev, staging, prod/);
  });

  it("NET-8: keeps the shared filesystem off the bastion", () => {
    const found = problems({
      role: "bastion",
      tenantId: "acme",
      region: "eu-west-1",
      userKeys: [],
      secretArns: {},
      sharedFilesystem: { type: "efs", mountPath: "/shared", parameterName: "/moat/acme/shared-filesystem" },
    });
    assert.deepEqual(Object.keys(found), ["sharedFilesystem"]);
    assert.match(found.sharedFilesystem, /NET-8/);
  });

  it("CMP-9: refuses a refresh interval outside 1..1440 minutes", () => {
    for (const refreshMinutes of [0, 1441, 2.5]) {
      assert.match(problems({ ...head, refreshMinutes }).refreshMinutes, /rotated secrets reach nodes/);
    }
    assert.deepEqual(problems({ ...head, refreshMinutes: 1 }), {});
  });
});

const scheduler = {
  kind: "slurm",
  controllerHost: "head-0.acme.moat.internal",
  clusterName: "acme",
} as const;
const slurmHead: NodeBootstrapSpec = {
  ...head,
  scheduler,
  secretArns: { ...head.secretArns, mungeKey: arn("munge-key") },
};

describe("validateNodeBootstrapSpec: Slurm (CMP-7, CMP-8)", () => {
  it("accepts Slurm head and compute nodes with the MUNGE key, by ARN or by name", () => {
    assert.deepEqual(problems(slurmHead), {});
    assert.deepEqual(
      problems({
        ...slurmHead,
        role: "compute",
        computeGroup: "gpu-a",
        secretArns: { clusterKey: arn("cluster-ssh-key"), mungeKey: "moat/acme/munge-key" },
      }),
      {},
    );
  });

  it("CMP-7/CMP-8: requires the MUNGE key with a scheduler, refuses it without one, and checks whose it is", () => {
    assert.match(problems({ ...slurmHead, secretArns: head.secretArns })["secretArns.mungeKey"], /CMP-8/);
    assert.match(
      problems({ ...head, secretArns: slurmHead.secretArns })["secretArns.mungeKey"],
      /or set scheduler: only Slurm nodes need the MUNGE key \(CMP-7\)/,
    );
    assert.match(
      problems({ ...slurmHead, secretArns: { ...slurmHead.secretArns, mungeKey: arn("cluster-ssh-key") } })[
        "secretArns.mungeKey"
      ],
      /not the ARN \(or name\) of moat\/acme\/munge-key/,
    );
  });

  it("NET-7: refuses a scheduler and the MUNGE key on the bastion", () => {
    const found = problems({
      role: "bastion",
      tenantId: "acme",
      region: "eu-west-1",
      userKeys: [],
      secretArns: { mungeKey: arn("munge-key") },
      scheduler,
    });
    assert.deepEqual(Object.keys(found), ["secretArns.mungeKey", "scheduler"]);
    assert.match(found["secretArns.mungeKey"], /a bastion node must not be able to read it/);
  });

  it("reports every bad scheduler field at once", () => {
    const found = problems({
      ...slurmHead,
      scheduler: {
        kind: "pbs" as "slurm",
        controllerHost: "head 0",
        clusterName: "Acme Cluster",
        controllerNode: "Head-0",
        maxNodes: 0,
      },
    });
    assert.deepEqual(Object.keys(found), [
      "scheduler.kind",
      "scheduler.controllerHost",
      "scheduler.clusterName",
      "scheduler.controllerNode",
      "scheduler.maxNodes",
    ]);
    assert.match(found["scheduler.controllerHost"], /head-0\.acme\.moat\.internal/);
  });

  it("accepts a compute group only on a Slurm compute node, as a label", () => {
    assert.match(problems({ ...slurmHead, computeGroup: "gpu-a" }).computeGroup, /remove it/);
    assert.match(
      problems({
        ...head,
        role: "compute",
        secretArns: { clusterKey: arn("cluster-ssh-key") },
        computeGroup: "gpu-a",
      }).computeGroup,
      /remove it, or set scheduler/,
    );
    assert.match(
      problems({
        ...slurmHead,
        role: "compute",
        secretArns: { clusterKey: arn("cluster-ssh-key"), mungeKey: arn("munge-key") },
        computeGroup: "GPU A",
      }).computeGroup,
      /not a compute group name/,
    );
  });
});
