// The pack keeps its own EFA table because it is built from policies/src alone; this pins it to the
// program's instance catalogue, so a type the program lays out for EFA is one the pack agrees on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { INSTANCE_CATALOGUE } from "../../components/compute-group/instance-catalogue";
import { EFA_CAPABILITIES } from "./cmp-efa-catalogue";

describe("the pack's EFA table (CMP-1)", () => {
  it("knows every EFA type of the program's catalogue, with the same network cards", () => {
    for (const [type, spec] of Object.entries(INSTANCE_CATALOGUE).filter(([, s]) => s.efa)) {
      assert.deepEqual(EFA_CAPABILITIES[type], { networkCards: spec.networkCards, efa: true }, type);
    }
  });

  it("agrees with the program's catalogue on every type both list", () => {
    for (const [type, capability] of Object.entries(EFA_CAPABILITIES)) {
      const spec = INSTANCE_CATALOGUE[type];
      if (spec !== undefined) {
        assert.deepEqual(capability, { networkCards: spec.networkCards, efa: spec.efa }, type);
      }
    }
  });
});
