// Inputs of an AccountBaseline and their validation: every problem at once, each with the
// property path and the fix (STYLE 4).
import type * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  MAX_AUDIT_RETENTION_DAYS,
  MIN_AUDIT_RETENTION_DAYS,
} from "../audit-trail/audit-trail-args";
import { ACCOUNT_SCOPE_ID } from "./account-scope";
import { forwardingProblems } from "./global-events";
import { validateTenantScope, type ArgsProblem } from "../tenant-key/tenant-scope";

/** Inputs of {@link AccountBaseline}; tags come from the provider in the resource options. */
export interface AccountBaselineArgs {
  /** The 12-digit account ID, e.g. `aws.getCallerIdentityOutput().accountId`. No default. */
  readonly accountId: pulumi.Input<string>;
  /** The provider's region. The baseline in us-east-1 is the account's home. No default. */
  readonly region: string;
  /**
   * AWS partition of the account.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * Days the audit logs are kept and locked (home only): 180 (AUD-1) to 3653. Object Lock keeps
   * each log this long in compliance mode, so lowering it later shortens only new logs.
   * @default 365
   */
  readonly retentionDays?: number;
  /** Who receives the account-wide alerts (operator email addresses). At least one. No default. */
  readonly operatorEmails: readonly string[];
  /**
   * Regions, besides us-east-1, whose tenants must receive IAM events (home only): the home
   * baseline forwards every global-service event to their default event bus.
   * @default []
   */
  readonly forwardGlobalEventsTo?: readonly string[];
  /**
   * Roles that may still change the audit bucket's settings (see AuditTrail).
   * @default [] (only the account's root user)
   */
  readonly auditAdministratorRoleArns?: readonly string[];
}

/** An e-mail address, as an operator alert subscription takes it. */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** An IAM role ARN in any partition. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Every problem of the args; empty when they are usable. */
export function validateAccountBaselineArgs(args: AccountBaselineArgs): ArgsProblem[] {
  const problems = validateTenantScope({ ...args, tenantId: ACCOUNT_SCOPE_ID });
  const days = args.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < MIN_AUDIT_RETENTION_DAYS || days > MAX_AUDIT_RETENTION_DAYS) {
    problems.push({
      propertyPath: "retentionDays",
      reason: `${JSON.stringify(args.retentionDays)} is not a whole number of days from ${MIN_AUDIT_RETENTION_DAYS} to ${MAX_AUDIT_RETENTION_DAYS} (AUD-1 keeps audit logs at least six months)`,
    });
  }
  if (args.operatorEmails.length === 0) {
    problems.push({
      propertyPath: "operatorEmails",
      reason:
        "name at least one operator address: account-wide alerts (trail or GuardDuty tampering, findings) go there",
    });
  }
  args.operatorEmails.forEach((email, i) => {
    if (!EMAIL.test(email)) {
      problems.push({
        propertyPath: `operatorEmails[${i}]`,
        reason: `${JSON.stringify(email)} is not an email address`,
      });
    }
  });
  for (const reason of forwardingProblems(args.region, args.forwardGlobalEventsTo ?? [])) {
    problems.push({ propertyPath: "forwardGlobalEventsTo", reason });
  }
  (args.auditAdministratorRoleArns ?? []).forEach((arn, i) => {
    if (!ROLE_ARN.test(arn)) {
      problems.push({
        propertyPath: `auditAdministratorRoleArns[${i}]`,
        reason: `${JSON.stringify(arn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
      });
    }
  });
  return problems;
}
