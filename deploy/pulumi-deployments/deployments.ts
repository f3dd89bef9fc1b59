/**
 * Declares, for every stack file of the repository, its Pulumi Deployments settings and its
 * drift-detection schedule. The list is read from the stack files each time the program runs: a new
 * tenant's stack file gets its settings at the next `pulumi up`, a removed one loses them. What each
 * stack gets is decided by tools/src/deployments/settings.ts, tested there.
 */
import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import {
  DEPLOYMENTS_PROJECT,
  parseDeploymentsConfig,
  policyConfigGroups,
  stackDeployments,
  type PolicyConfigGroup,
} from "../../tools/src/deployments/settings";
import { readProjectStacks } from "../../tools/src/deployments/stack-files";

/** What the program exports. */
export interface FleetDeployments {
  readonly stacks: readonly string[];
  readonly policyConfigs: readonly PolicyConfigGroup[];
}

/** Registers the settings and schedules of every stack file under `root`; throws every problem at once. */
export function declareDeployments(root: string): FleetDeployments {
  const config = new pulumi.Config(DEPLOYMENTS_PROJECT);
  const parsed = parseDeploymentsConfig(
    {
      repoUrl: config.get("repoUrl"),
      github: config.get("github"),
      branch: config.get("branch"),
      awsRoles: config.getObject<unknown>("awsRoles"),
      driftCron: config.get("driftCron"),
    },
    config.get("organization") ?? pulumi.getOrganization(),
  );
  const stacks = readProjectStacks(root);
  const planned = parsed.config ? stackDeployments(stacks, parsed.config) : { deployments: [], problems: [] };
  const problems = [...parsed.problems, ...planned.problems];
  if (problems.length > 0) {
    throw new pulumi.RunError(
      `${DEPLOYMENTS_PROJECT} cannot configure the fleet:\n  ${problems.join("\n  ")}`,
    );
  }
  for (const deployment of planned.deployments) {
    const settings = new pulumiservice.DeploymentSettings(deployment.name, deployment.settings);
    // Pulumi Cloud refuses a schedule for a stack without deployment settings.
    new pulumiservice.DriftSchedule(`${deployment.name}-drift`, deployment.drift, { dependsOn: [settings] });
  }
  const policyConfigs = policyConfigGroups(stacks);
  if (policyConfigs.length > 1) {
    pulumi.log.warn(
      `the tenant stacks have ${policyConfigs.length} different policy pack configurations: ` +
        "one `pulumi policy enable --config` cannot serve them all; see the policyConfigs output and README.md",
    );
  }
  return { stacks: planned.deployments.map((d) => d.name), policyConfigs };
}
