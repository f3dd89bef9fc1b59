// DAT-3: a tenant key's policy grants only principals of one account: the account whose root the
// policy names, which keeps the key manageable by that account's IAM and by nobody else's. AWS
// service principals (CloudWatch Logs, CloudTrail) act for that account and are allowed.
import { Principal, Statement, accountOf, isAccountRoot, isWildcardPrincipal } from "./iam-document";

const accountRoots = (statements: readonly Statement[]) =>
  statements.flatMap((s) =>
    (s.principals ?? [])
      .filter((p) => p.type === "AWS" && isAccountRoot(p.value))
      .map((p) => accountOf(p.value)),
  );

function principalProblem(principal: Principal, account: string | undefined): string | undefined {
  if (isWildcardPrincipal(principal)) {
    return `replace the "*" principal with principals of account ${account ?? "<account>"}`;
  }
  if (principal.type === "Service") {
    return undefined;
  }
  if (principal.type !== "AWS") {
    return `remove the ${principal.type} principal ${principal.value}: only principals of the account may use the key`;
  }
  const owner = accountOf(principal.value);
  if (owner === undefined) {
    return `name principal ${principal.value} by its ARN, so its account can be checked`;
  }
  if (account !== undefined && owner !== account) {
    return `remove principal ${principal.value}: it belongs to account ${owner}, not ${account}`;
  }
  return undefined;
}

/**
 * Every DAT-3 problem with the principals of a key policy: no account root (or roots of several
 * accounts), and Allow statements naming `*`, NotPrincipal, principals of another account or
 * principals whose account cannot be read. Deny statements only take access away and pass.
 * `subject` names the policy in messages, e.g. `the policy of KMS key "tenant"`.
 */
export function keyPolicyPrincipalProblems(statements: readonly Statement[], subject: string): string[] {
  const allows = statements.filter((s) => s.effect === "Allow");
  const roots = [...new Set(accountRoots(allows))];
  const problems: string[] = [];
  if (roots.length === 0) {
    problems.push(
      `Grant the account root (arn:aws:iam::<account>:root, with the account ID from aws.getCallerIdentity) in ${subject}: without it the key cannot be managed through the account's IAM policies and has no owning account (DAT-3).`,
    );
  } else if (roots.length > 1) {
    problems.push(
      `Name one account in ${subject}: it grants the roots of accounts ${roots.join(", ")}, so another account could use or manage the tenant's key (DAT-3).`,
    );
  }
  const account = roots.length === 1 ? roots[0] : undefined;
  for (const statement of allows) {
    if (statement.notPrincipals !== undefined) {
      problems.push(
        `Replace NotPrincipal in ${statement.label} of ${subject} with Principal: an Allow with NotPrincipal grants every account not listed (DAT-3).`,
      );
    }
    for (const principal of statement.principals ?? []) {
      const problem = principalProblem(principal, account);
      if (problem) {
        problems.push(`Scope ${statement.label} of ${subject} to one account: ${problem} (DAT-3).`);
      }
    }
  }
  return problems;
}
