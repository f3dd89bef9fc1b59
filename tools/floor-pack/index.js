// The benchmark's floor: one policy that reads nothing and reports nothing, so its start-up time and
// analyze throughput are the analyzer protocol's own cost. Plain JavaScript, like the built Moat pack.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("floor", {
  policies: [
    {
      name: "floor-no-op",
      description: "Checks nothing; measures the protocol (benchmark only).",
      enforcementLevel: "advisory",
      validateResource: () => undefined,
    },
  ],
});
