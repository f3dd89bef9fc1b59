// The one place the CMP policies turn a node's user data into text or into a violation, so every
// user data policy treats absent, computed and unreadable user data the same way (POL-2).
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { LAUNCHED_FROM_TEMPLATE, labelOf } from "./cmp-types";
import { readUserData } from "./cmp-user-data";
import { readValue } from "./props";

/** What a user data policy checks, for its messages. */
export interface UserDataCheck {
  /** Requirement IDs the policy enforces, e.g. "CMP-5". */
  readonly ids: string;
  /** What the check verifies, e.g. "that sshd runs under systemd". */
  readonly verifies: string;
  /**
   * The message fragment asking for user data when a node has none, or undefined when a node
   * without user data is compliant (nothing in it can leak or misconfigure anything).
   */
  readonly whenAbsent?: string;
  /** Returns the problems in the decoded text, each a complete message. */
  readonly check: (text: string, property: string, label: string) => string[];
}

/**
 * Runs `check` on the decoded user data of the node in `args`. User data computed from an output
 * is a violation, as is user data that decodes to bytes that are not text: neither can be
 * verified. A node launched from a launch template inherits the template's user data, which is
 * checked on the template, so it may leave its own empty.
 */
export function checkUserData(
  args: ResourceValidationArgs,
  report: ReportViolation,
  check: UserDataCheck,
): void {
  const label = labelOf(args.type, args.name);
  const userData = readUserData(args.props);
  switch (userData.kind) {
    case "unknown":
      report(
        `Build the ${userData.property} of ${label} from values known at preview (config, secret names to fetch at boot): it is unknown, so this policy cannot verify ${check.verifies} (${check.ids}, POL-2).`,
      );
      return;
    case "opaque":
      report(
        `Provide the ${userData.property} of ${label} as text, base64 text or gzip-compressed text: it decodes to bytes that are not text, so this policy cannot verify ${check.verifies} (${check.ids}).`,
      );
      return;
    case "absent": {
      const template = LAUNCHED_FROM_TEMPLATE.includes(args.type)
        ? readValue(args.props, "launchTemplate")
        : undefined;
      // A template that is itself computed is still declared: the node inherits its user data.
      if (check.whenAbsent !== undefined && template === undefined) {
        report(`Add user data to ${label} that ${check.whenAbsent} (${check.ids}).`);
      }
      return;
    }
    case "text":
      check.check(userData.text, userData.property, label).forEach((m) => report(m));
  }
}
