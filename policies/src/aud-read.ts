// What the AUD, DAT-5 and NET-11 policies share: the type tokens of the audit resources (as
// @pulumi/aws 7.x registers them), readers for nested objects and lists that survive unknown
// values (POL-2), and how messages name resources and ask for literals.
import type { PolicyResource } from "@pulumi/policy";
import { linked } from "./net-stack";
import { Props, Read, UNKNOWN, readList, readString, readValue } from "./props";

/** Type tokens of the audit, alerting and threat-detection resources (AUD-1..AUD-4). */
export const AudType = {
  trail: "aws:cloudtrail/trail:Trail",
  topic: "aws:sns/topic:Topic",
  detector: "aws:guardduty/detector:Detector",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
} as const;

const LABELS: Readonly<Record<string, string>> = {
  [AudType.trail]: "CloudTrail trail",
  [AudType.topic]: "SNS topic",
  [AudType.detector]: "GuardDuty detector",
  [AudType.logGroup]: "log group",
  [AudType.metricFilter]: "metric filter",
  [AudType.metricAlarm]: "metric alarm",
  [AudType.eventRule]: "EventBridge rule",
  [AudType.eventTarget]: "EventBridge target",
};

/** How messages name a resource: its kind and name, e.g. `CloudTrail trail "audit"`. */
export function audLabel(type: string, name: string): string {
  return `${LABELS[type] ?? type} "${name}"`;
}

/** The violation for a setting a policy must compare but that is unknown at preview (POL-2). */
export function literalMessage(property: string, label: string, ids: string): string {
  return `Set ${property} on ${label} to a literal value: it is unknown at preview, so this policy cannot verify it (${ids}, POL-2).`;
}

/** Reads an object property; anything that is not an object reads as absent. */
export function readObject(props: Props, key: string): Read<Props> {
  const value = readValue(props, key);
  if (value === UNKNOWN) {
    return UNKNOWN;
  }
  return typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

/** Follows a path of object keys; the first absent or unknown step decides. */
export function readPath(props: Props, ...keys: string[]): Read<unknown> {
  let current: Read<unknown> = props;
  for (const [i, key] of keys.entries()) {
    if (current === UNKNOWN || current === undefined) {
      return current;
    }
    current = i === keys.length - 1 ? readValue(current as Props, key) : readObject(current as Props, key);
  }
  return current;
}

/**
 * Reads a list of objects element by element, so one computed element does not hide the others;
 * an element that is not an object reads as absent.
 */
export function readItems(props: Props, key: string): Read<readonly Read<Props>[]> {
  const list = readList(props, key);
  if (list === UNKNOWN || list === undefined) {
    return list;
  }
  return Array.from({ length: list.length }, (_, i) => readObject(list as unknown as Props, String(i)));
}

/** A list's length without reading its elements; UNKNOWN when the list itself is computed. */
export function readLength(props: Props, key: string): Read<number> {
  const list = readList(props, key);
  return list === UNKNOWN ? UNKNOWN : list?.length;
}

/**
 * The resources a reference property points at: by property dependency when it has one, else by
 * a literal name equal to the target's literal `nameKey` (names the program chooses are known at
 * preview).
 */
export function referenced(
  resource: PolicyResource,
  property: string,
  candidates: readonly PolicyResource[],
  nameKey: string,
): PolicyResource[] {
  const types = [...new Set(candidates.map((c) => c.type))];
  const byLink = linked(resource, property, ...types).filter((r) => candidates.some((c) => c.urn === r.urn));
  // A value built from other resources is computed: it is never read for a name.
  if ((resource.propertyDependencies[property] ?? []).length > 0) {
    return byLink;
  }
  const name = readString(resource.props, property);
  return typeof name === "string" ? candidates.filter((c) => readString(c.props, nameKey) === name) : [];
}
