// The entry point the Pulumi CLI runs: the only module that starts the pack's analyzer server.
// Every policy is mandatory unless it says otherwise (REQUIREMENTS.md).
import { PolicyPack } from "@pulumi/policy";
import { moatPolicies } from "./pack";

new PolicyPack("moat", { policies: moatPolicies, enforcementLevel: "mandatory" });
