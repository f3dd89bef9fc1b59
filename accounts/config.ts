/**
 * The settings of an account baseline stack, `accounts/stacks/Pulumi.<stack>.yaml`, validated all
 * at once; each problem names the stack file and the key (README, "Account models").
 */
import { z } from "zod";
import { EMAIL, ROLE_ARN } from "../components/account-baseline/account-baseline-args";
import { checkAllowedAccountIds, ALLOWED_ACCOUNT_IDS } from "../infra/config/account";
import { configKeyPath } from "../infra/config/parse";
import { ENVIRONMENTS, regionSchema } from "../infra/config/schema";

/** The configuration namespace of the baseline project (its name in Pulumi.yaml). */
export const NAMESPACE = "moat-account";

/** Every `moat-account:` key, keyed by the part after the namespace. */
const schema = z.strictObject({
  owner: z.string().regex(EMAIL, "must be the contact e-mail of the team that runs the account"),
  environment: z.enum(ENVIRONMENTS, { message: `must be one of ${ENVIRONMENTS.join(", ")}` }).default("prod"),
  operatorAlertEmails: z
    .array(z.string().regex(EMAIL, "must be an e-mail address"))
    .min(
      1,
      "must name at least one address: account-wide alerts (trail or GuardDuty tampering, findings) go there",
    ),
  auditRetentionDays: z
    .number()
    .int()
    .min(180, "must be at least 180 days (six months, AUD-1)")
    .max(3653)
    .default(365),
  forwardGlobalEventsTo: z.array(regionSchema).default([]),
  auditAdministratorRoleArns: z
    .array(z.string().regex(ROLE_ARN, "must be an IAM role ARN, arn:aws:iam::<account>:role/<name>"))
    .default([]),
});

/** A validated baseline stack. */
export interface BaselineConfig extends z.infer<typeof schema> {
  readonly region: string;
  readonly account: string;
}

/** The validated configuration, or every problem as a sentence naming the file and key. */
export function parseBaselineConfig(
  raw: Readonly<Record<string, string>>,
  stackFile: string,
): { ok: true; value: BaselineConfig } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const say = (key: string, message: string) => problems.push(`${stackFile}: ${key} ${message}`);
  const decoded: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    decoded[key] = decode(text);
    if (key.startsWith(`${NAMESPACE}:`)) {
      own[key.slice(NAMESPACE.length + 1)] = decoded[key];
    }
  }
  const region = regionSchema.safeParse(raw["aws:region"]);
  if (!region.success) {
    say(
      "aws:region",
      raw["aws:region"] === undefined
        ? "is required, e.g. aws:region: us-east-1"
        : region.error.issues[0].message,
    );
  }
  const account = checkAllowedAccountIds(decoded[ALLOWED_ACCOUNT_IDS], "baseline");
  for (const [path, message] of account.problems) {
    say(configKeyPath(ALLOWED_ACCOUNT_IDS, path), message);
  }
  const parsed = schema.safeParse(own);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        issue.keys.forEach((k) =>
          say(
            `${NAMESPACE}:${k}`,
            `is not a baseline setting; known keys: ${Object.keys(schema.shape).join(", ")}`,
          ),
        );
        continue;
      }
      const [first, ...rest] = issue.path;
      const key = configKeyPath(`${NAMESPACE}:${String(first)}`, rest as PropertyKey[]);
      say(
        key,
        issue.code === "invalid_type" && rest.length === 0 && own[String(first)] === undefined
          ? "is required"
          : issue.message,
      );
    }
  }
  if (!region.success || !parsed.success || account.account === undefined || problems.length > 0) {
    return { ok: false, problems };
  }
  return { ok: true, value: { ...parsed.data, region: region.data, account: account.account } };
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
