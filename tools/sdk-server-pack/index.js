// Moat's policies served by @pulumi/policy's own server (`new PolicyPack`) instead of the pack's
// runtime (policies/src/runtime). tests/pack-runtime.test.ts sends both the same requests and
// compares the answers; `npm run bench` shows both speeds. Needs `npm run build` first.
const { PolicyPack } = require("@pulumi/policy");
const { moatPolicies } = require("../../policies/bin/pack");

new PolicyPack("moat", { policies: moatPolicies, enforcementLevel: "mandatory" });
