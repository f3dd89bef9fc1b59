// The matcher against the examples AWS documents for EventBridge patterns and those of Event Ruler,
// the library behind EventBridge: each row is an event, a pattern and the documented verdict.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Json, matchesPattern } from "./pattern-match";

interface Row {
  readonly name: string;
  readonly pattern: object;
  readonly event: Json;
  readonly matches: boolean;
}

const check = (rows: readonly Row[]) => {
  for (const row of rows) {
    assert.equal(matchesPattern(row.pattern, row.event), row.matches, row.name);
  }
};

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
const EC2_TERMINATED = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

// Event Ruler's README, "Ruler by Example".
const RULER_EVENT = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    state: "running",
  },
};

describe("matchesPattern: fields, values and nesting (eb-event-patterns)", () => {
  it("matches the documented EC2 termination pattern, and only a terminated instance", () => {
    const pattern = {
      source: ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      detail: { state: ["terminated"] },
    };
    check([
      { name: "terminated", pattern, event: EC2_TERMINATED, matches: true },
      {
        name: "running",
        pattern,
        event: { ...EC2_TERMINATED, detail: { ...EC2_TERMINATED.detail, state: "running" } },
        matches: false,
      },
      {
        name: "another source",
        pattern,
        event: { ...EC2_TERMINATED, source: "aws.fargate" },
        matches: false,
      },
    ]);
  });

  it("reads an array of values as OR, and requires every named field", () => {
    const either = { source: ["aws.ec2", "aws.fargate"] };
    check([
      { name: "ec2", pattern: either, event: EC2_TERMINATED, matches: true },
      { name: "fargate", pattern: either, event: { source: "aws.fargate" }, matches: true },
      { name: "neither", pattern: either, event: { source: "aws.s3" }, matches: false },
      {
        name: "missing field",
        pattern: { detail: { missing: ["x"] } },
        event: EC2_TERMINATED,
        matches: false,
      },
      { name: "empty pattern", pattern: {}, event: EC2_TERMINATED, matches: true },
    ]);
  });

  it("compares strings exactly, without case folding", () => {
    check([
      { name: "case", pattern: { source: ["AWS.EC2"] }, event: EC2_TERMINATED, matches: false },
      { name: "substring", pattern: { source: ["aws"] }, event: EC2_TERMINATED, matches: false },
    ]);
  });

  it("matches null and numbers as JSON values (the Auto Scaling and Macie examples)", () => {
    const autoScaling = {
      "detail-type": "EC2 Instance Launch Successful",
      source: "aws.autoscaling",
      detail: { eventVersion: "", responseElements: null },
    };
    const macie = {
      source: "aws.macie",
      "detail-type": "Macie Alert",
      detail: { "risk-score": 80, trigger: { "alert-type": "basic", risk: 8 } },
    };
    const riskPattern = { source: ["aws.macie"], detail: { "risk-score": [80], trigger: { risk: [8] } } };
    check([
      {
        name: "responseElements null",
        pattern: { source: ["aws.autoscaling"], detail: { responseElements: [null] } },
        event: autoScaling,
        matches: true,
      },
      { name: "risk 80 and 8", pattern: riskPattern, event: macie, matches: true },
      {
        name: "risk 7",
        pattern: riskPattern,
        event: { ...macie, detail: { ...macie.detail, trigger: { risk: 7 } } },
        matches: false,
      },
      { name: '"80" is not 80', pattern: { detail: { "risk-score": ["80"] } }, event: macie, matches: false },
    ]);
  });
});

describe("matchesPattern: arrays in events (eb-event-patterns-arrays, Event Ruler)", () => {
  it("matches when the pattern's values and the event's array intersect", () => {
    const pattern = {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    };
    const resources = (...arns: string[]) => ({ resources: arns });
    check([
      {
        name: "second element matches",
        pattern,
        event: resources(
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ),
        matches: true,
      },
      {
        name: "no element matches",
        pattern,
        event: resources("arn:aws:ec2:us-east-1:1:instance/i-1"),
        matches: false,
      },
      { name: "empty array", pattern, event: resources(), matches: false },
    ]);
  });

  it("crushes arrays of objects out, but keeps each match within one element", () => {
    const employees = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    };
    const nested = {
      employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]],
    };
    check([
      { name: "Anna", pattern: { employees: { firstName: ["Anna"] } }, event: employees, matches: true },
      {
        name: "Anna, nested arrays",
        pattern: { employees: { firstName: ["Anna"] } },
        event: nested,
        matches: true,
      },
      {
        name: "Anna Jones spans two elements",
        pattern: { employees: { firstName: ["Anna"], lastName: ["Jones"] } },
        event: employees,
        matches: false,
      },
      {
        name: "Anna Smith is one element",
        pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
        event: employees,
        matches: true,
      },
    ]);
  });
});

describe("matchesPattern: content filters (content-filtering-with-event-patterns)", () => {
  it("prefix, suffix and equals-ignore-case, alone and combined", () => {
    check([
      {
        name: "time prefix",
        pattern: { time: [{ prefix: "2017-10-02" }] },
        event: RULER_EVENT,
        matches: true,
      },
      {
        name: "time prefix, other day",
        pattern: { time: [{ prefix: "2017-10-03" }] },
        event: RULER_EVENT,
        matches: false,
      },
      {
        name: "prefix ignoring case",
        pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
        event: { detail: { service: "eventbridge" } },
        matches: true,
      },
      { name: "suffix", pattern: { source: [{ suffix: "ec2" }] }, event: RULER_EVENT, matches: true },
      {
        name: "suffix ignoring case",
        pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
        event: { detail: { FileName: "IMAGE.PNG" } },
        matches: true,
      },
      {
        name: "equals-ignore-case",
        pattern: { source: [{ "equals-ignore-case": "AWS.EC2" }] },
        event: RULER_EVENT,
        matches: true,
      },
      {
        name: "Name is alice, any case",
        pattern: { Name: [{ "equals-ignore-case": "alice" }] },
        event: { Name: "Alice" },
        matches: true,
      },
      {
        name: "equals-ignore-case, other text",
        pattern: { Name: [{ "equals-ignore-case": "alice" }] },
        event: { Name: "Alicia" },
        matches: false,
      },
      {
        name: "prefix on a number",
        pattern: { detail: { "c-count": [{ prefix: "5" }] } },
        event: RULER_EVENT,
        matches: false,
      },
    ]);
  });

  it("wildcard", () => {
    check([
      {
        name: "Simple*Service",
        pattern: { source: [{ wildcard: "Simple*Service" }] },
        event: { source: "SimpleQueueService" },
        matches: true,
      },
      {
        name: "no match",
        pattern: { source: [{ wildcard: "Simple*Service" }] },
        event: { source: "SimpleQueue" },
        matches: false,
      },
      { name: "escaped star", pattern: { f: [{ wildcard: "a\\*b" }] }, event: { f: "a*b" }, matches: true },
      {
        name: "escaped star is literal",
        pattern: { f: [{ wildcard: "a\\*b" }] },
        event: { f: "axb" },
        matches: false,
      },
      {
        name: "dot is literal",
        pattern: { f: [{ wildcard: "a.b*" }] },
        event: { f: "axbc" },
        matches: false,
      },
    ]);
  });

  it("anything-but: a value, a list, a prefix; never a missing field", () => {
    const state = (s: string) => ({ detail: { state: s, "x-limit": 123 } });
    check([
      {
        name: "not initializing",
        pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
        event: state("running"),
        matches: true,
      },
      {
        name: "initializing",
        pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
        event: state("initializing"),
        matches: false,
      },
      {
        name: "number",
        pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
        event: state("running"),
        matches: false,
      },
      {
        name: "list",
        pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
        event: state("stopped"),
        matches: false,
      },
      {
        name: "list, other",
        pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
        event: state("running"),
        matches: true,
      },
      {
        name: "prefix",
        pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
        event: state("initializing"),
        matches: false,
      },
      {
        name: "prefix, other",
        pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
        event: state("running"),
        matches: true,
      },
      {
        name: "missing field",
        pattern: { detail: { gone: [{ "anything-but": "x" }] } },
        event: state("running"),
        matches: false,
      },
    ]);
  });

  it("numeric ranges, all of whose bounds must hold", () => {
    const pattern = {
      detail: {
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ numeric: ["=", 3.018e2] }],
      },
    };
    check([
      { name: "Ruler event", pattern, event: RULER_EVENT, matches: true },
      {
        name: "c-count 6",
        pattern,
        event: { ...RULER_EVENT, detail: { ...RULER_EVENT.detail, "c-count": 6 } },
        matches: false,
      },
      {
        name: "a string is no number",
        pattern: { detail: { state: [{ numeric: [">", 0] }] } },
        event: RULER_EVENT,
        matches: false,
      },
    ]);
  });

  it("exists: on leaves, and false for an absent field or an intermediate node", () => {
    const noCount = {
      "detail-type": ["EC2 Instance State-change Notification"],
      detail: { state: ["initializing", "running"] },
    };
    const nodeCount = { ...noCount, detail: { ...noCount.detail, "c-count": { c1: 100 } } };
    const absent = { detail: { "c-count": [{ exists: false }] } };
    check([
      { name: "absent", pattern: absent, event: noCount, matches: true },
      { name: "not a leaf", pattern: absent, event: nodeCount, matches: true },
      { name: "present", pattern: absent, event: RULER_EVENT, matches: false },
      {
        name: "exists true",
        pattern: { detail: { "c-count": [{ exists: true }] } },
        event: RULER_EVENT,
        matches: true,
      },
      {
        name: "exists true, intermediate",
        pattern: { detail: { "c-count": [{ exists: true }] } },
        event: nodeCount,
        matches: false,
      },
      {
        name: "absent parent",
        pattern: { nothing: { here: [{ exists: false }] } },
        event: RULER_EVENT,
        matches: true,
      },
    ]);
  });

  it("the documented complex example, every filter at once", () => {
    const pattern = {
      time: [{ prefix: "2017-10-02" }],
      detail: {
        state: [{ "anything-but": "initializing" }],
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ "anything-but": [100, 200, 300] }],
      },
    };
    check([
      { name: "Ruler event", pattern, event: RULER_EVENT, matches: true },
      {
        name: "initializing",
        pattern,
        event: { ...RULER_EVENT, detail: { ...RULER_EVENT.detail, state: "initializing" } },
        matches: false,
      },
    ]);
  });
});

describe("matchesPattern: $or (eb-create-pattern-operators, Event Ruler)", () => {
  const metric = (fields: Record<string, Json>) => ({ source: "aws.cloudwatch", ...fields });

  it('"source" && ("metricName" || "namespace")', () => {
    const pattern = {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    };
    check([
      { name: "metricName", pattern, event: metric({ metricName: "CPUUtilization" }), matches: true },
      { name: "namespace", pattern, event: metric({ namespace: "AWS/ES" }), matches: true },
      {
        name: "neither",
        pattern,
        event: metric({ metricName: "Other", namespace: "AWS/S3" }),
        matches: false,
      },
      {
        name: "other source",
        pattern,
        event: { source: "aws.ec2", metricName: "CPUUtilization" },
        matches: false,
      },
    ]);
  });

  it("parallel ORs at two levels, and an AND inside an OR branch", () => {
    const parallel = {
      $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }],
      detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    };
    const andInside = {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization"] },
        { metricType: ["MetricType"], namespace: ["AWS/EC2"] },
        { scope: ["Service"] },
      ],
    };
    check([
      {
        name: "both ORs hold",
        pattern: parallel,
        event: { namespace: "AWS/EC2", detail: { source: "aws.cloudwatch" } },
        matches: true,
      },
      {
        name: "second OR fails",
        pattern: parallel,
        event: { namespace: "AWS/EC2", detail: { source: "aws.s3" } },
        matches: false,
      },
      {
        name: "AND branch",
        pattern: andInside,
        event: metric({ metricType: "MetricType", namespace: "AWS/EC2" }),
        matches: true,
      },
      {
        name: "AND branch, half",
        pattern: andInside,
        event: metric({ metricType: "MetricType" }),
        matches: false,
      },
    ]);
  });

  it("treats $or as a plain field unless it holds two or more objects", () => {
    const single = { $or: [{ metricName: ["CPUUtilization"] }] };
    const asField = { source: ["aws.cloudwatch"], $or: ["x"] };
    check([
      {
        name: "one branch is no OR",
        pattern: single,
        event: metric({ metricName: "CPUUtilization" }),
        matches: false,
      },
      {
        name: "$or as a field name",
        pattern: asField,
        event: { source: "aws.cloudwatch", $or: "x" },
        matches: true,
      },
      { name: "$or field absent", pattern: asField, event: { source: "aws.cloudwatch" }, matches: false },
    ]);
  });
});

describe("matchesPattern: what it refuses", () => {
  it("throws on operators it does not model and on malformed matchers", () => {
    assert.throws(
      () => matchesPattern({ ip: [{ cidr: "10.0.0.0/24" }] }, { ip: "10.0.0.1" }),
      /not modelled/,
    );
    assert.throws(
      () => matchesPattern({ f: [{ prefix: "a", suffix: "b" }] }, { f: "ab" }),
      /exactly one operator/,
    );
    assert.throws(() => matchesPattern({ f: "a" }, { f: "a" }), /array of matchers or an object/);
    assert.throws(() => matchesPattern({ f: [{ numeric: [">"] }] }, { f: 1 }), /operator, number pairs/);
  });
});
