// Forwarding of global-service events (AUD-2): EventBridge receives the CloudTrail events of IAM
// only in us-east-1, so the account's home baseline sends them on to the default event bus of
// every region that holds tenants, where each tenant's own rules pick out its roles' events.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
import type { PolicyDocument } from "../tenant-key/policy-document";
import { servicePrincipal } from "../tenant-key/audit-statements";
import type { TenantScope } from "../tenant-key/tenant-scope";
import { accountResourceName, GLOBAL_EVENTS_REGION } from "./account-scope";

/** Event sources whose CloudTrail events reach EventBridge in us-east-1 only. */
export const GLOBAL_EVENT_SOURCES: readonly string[] = ["aws.iam"];

/** The pattern of the forwarding rule: every CloudTrail event of a global service. */
export function globalEventsPattern(): object {
  return { source: [...GLOBAL_EVENT_SOURCES], "detail-type": ["AWS API Call via CloudTrail"] };
}

/** Name of the forwarding rule in the home baseline. */
export const FORWARDING_RULE_NAME = accountResourceName("forward-global-events");

/** Name of the role EventBridge assumes to put the events on other regions' buses (IAM: global). */
export const FORWARDER_ROLE_NAME = accountResourceName("events-forwarder");

/** ARN of a region's default event bus. */
export function defaultBusArn(scope: Pick<TenantScope, "partition" | "accountId">, region: string): string {
  return `arn:${scope.partition}:events:${region}:${scope.accountId}:event-bus/default`;
}

/** ARN of the forwarding rule, known from its name. */
export function forwardingRuleArn(scope: TenantScope): string {
  return `arn:${scope.partition}:events:${scope.region}:${scope.accountId}:rule/${FORWARDING_RULE_NAME}`;
}

/** The forwarder's trust: EventBridge, for this account's forwarding rule only (IAM-3). */
export function forwarderTrustPolicy(scope: TenantScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeForwardingRuleOnly",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("events") },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId, "aws:SourceArn": forwardingRuleArn(scope) },
        },
      },
    ],
  };
}

/** The forwarder's permissions: put events on the named regions' default buses, nothing else. */
export function forwarderPermissions(scope: TenantScope, regions: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PutOnTenantRegionBuses",
        Effect: "Allow",
        Action: "events:PutEvents",
        Resource: regions.map((region) => defaultBusArn(scope, region)),
      },
    ],
  };
}

/** Problems with the regions to forward to: the home region itself, duplicates, bad names. */
export function forwardingProblems(homeRegion: string, regions: readonly string[]): string[] {
  const problems: string[] = [];
  if (regions.length > 0 && homeRegion !== GLOBAL_EVENTS_REGION) {
    problems.push(
      `only the baseline in ${GLOBAL_EVENTS_REGION} receives global-service events; forward them from there, not from ${homeRegion}`,
    );
  }
  for (const [i, region] of regions.entries()) {
    if (region === GLOBAL_EVENTS_REGION) {
      problems.push(`${region} receives global-service events itself; leave it out`);
    } else if (regions.indexOf(region) !== i) {
      problems.push(`${region} is listed twice`);
    }
  }
  return problems;
}
