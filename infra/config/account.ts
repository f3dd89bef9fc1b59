/**
 * `aws:allowedAccountIds`: the AWS account a tenant stack deploys to. The AWS provider refuses to
 * act with credentials of any account not listed, so a wrong profile or role cannot put one tenant's
 * cluster into another tenant's account. Moat asks for exactly one: a tenant stack lives in one
 * account, and fleet checks (`moat plan --all`) group stacks by it.
 * https://www.pulumi.com/registry/packages/aws/api-docs/provider/#allowed_account_ids_nodejs
 */

import { ACCOUNT_ID } from "../../components/tenant-key/tenant-scope";

/** The stack-file key, read by the AWS provider as well as by Moat. */
export const ALLOWED_ACCOUNT_IDS = "aws:allowedAccountIds";

/** A documentation-style account id used in examples and messages. */
export const EXAMPLE_ACCOUNT = "111111111111";

/** The account a valid value names, with every problem otherwise (paths below the key). */
export interface AccountCheck {
  readonly account?: string;
  readonly problems: ReadonlyArray<readonly [path: PropertyKey[], message: string]>;
}

/**
 * Checks the decoded value of `aws:allowedAccountIds` (undefined when the key is absent): a list of
 * exactly one 12-digit account id, written as a string. `stackKind` names the stack in messages:
 * `tenant`, or `baseline` for an account baseline's stack file.
 */
export function checkAllowedAccountIds(value: unknown, stackKind = "tenant"): AccountCheck {
  const refuse = (path: PropertyKey[], message: string): AccountCheck => ({ problems: [[path, message]] });
  const example = `e.g. ["${EXAMPLE_ACCOUNT}"]`;
  if (value === undefined) {
    return refuse(
      [],
      `is required: name the AWS account this ${stackKind} deploys to, so the provider refuses credentials of any other account; add it to the stack file, e.g. ${ALLOWED_ACCOUNT_IDS}: ["${EXAMPLE_ACCOUNT}"]`,
    );
  }
  if (!Array.isArray(value)) {
    return refuse([], `${JSON.stringify(value)} should be a list holding one account id, ${example}`);
  }
  if (value.length !== 1) {
    const what = value.length === 0 ? "is empty" : `names ${value.length} accounts`;
    return refuse(
      [],
      `${what}; a ${stackKind} stack deploys to exactly one account: list that one, ${example}`,
    );
  }
  const [id] = value;
  if (typeof id === "number") {
    return refuse(
      [0],
      `${id} is a number; quote it ("${String(id).padStart(12, "0")}"): YAML reads an unquoted id as a number and drops its leading zeros`,
    );
  }
  if (typeof id !== "string" || !ACCOUNT_ID.test(id)) {
    return refuse([0], `${JSON.stringify(id)} is not a 12-digit AWS account id, e.g. "${EXAMPLE_ACCOUNT}"`);
  }
  return { account: id, problems: [] };
}
