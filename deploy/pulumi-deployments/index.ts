// The fleet's Pulumi Deployments configuration: `pulumi up` here declares deployment settings and a
// drift schedule for every stack file the repository holds when it runs (README.md).
import * as path from "path";
import { declareDeployments } from "./deployments";

const fleet = declareDeployments(path.resolve(__dirname, "..", ".."));

/** `<project>/<stack>` of every stack that has deployment settings and a drift schedule. */
export const stacks = fleet.stacks;
/** The tenant stacks grouped by policy pack configuration: one group, one `pulumi policy enable`. */
export const policyConfigs = fleet.policyConfigs;
