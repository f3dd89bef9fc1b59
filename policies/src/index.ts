// The entry point the Pulumi CLI runs: the only module that starts the pack's analyzer server.
// Every policy is mandatory unless it says otherwise (REQUIREMENTS.md). The server is the pack's
// own runtime (runtime/serve.ts) rather than `new PolicyPack(...)`: same protocol and answers, but
// each resource reaches only the policies that check its type.
import { moatPolicies } from "./pack";
import { servePolicyPack } from "./runtime/serve";

servePolicyPack("moat", { policies: moatPolicies, enforcementLevel: "mandatory" });
