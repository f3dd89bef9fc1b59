// AUD-5: every AWS resource is attributable to its tenant. Moat creates everything through the
// tenant's provider, whose default tags put moat:tenant, moat:environment and moat:owner on every
// taggable resource, so the check reads the provider the engine sends with each resource; a
// resource under another provider must carry the three tags itself. The provider's inputs are
// config values, known at preview (POL-2).
import type { PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { Props, readValue, UNKNOWN } from "./props";

/** The tags that attribute a resource to its tenant (components/tenant/tags.ts). */
export const TENANT_TAG_KEYS = ["moat:tenant", "moat:environment", "moat:owner"] as const;

type TagRead = Record<string, unknown> | undefined | typeof UNKNOWN;

// The AWS provider's object inputs travel JSON-encoded (its constructor stringifies them).
function providerTags(provider: PolicyProviderResource | undefined): TagRead {
  if (provider === undefined) {
    return undefined;
  }
  let defaults = readValue(provider.props as Props, "defaultTags");
  if (typeof defaults === "string") {
    try {
      defaults = JSON.parse(defaults) as unknown;
    } catch {
      return undefined;
    }
  }
  if (defaults === UNKNOWN) {
    return UNKNOWN;
  }
  const tags =
    typeof defaults === "object" && defaults !== null ? readValue(defaults as Props, "tags") : undefined;
  return tags === UNKNOWN ? UNKNOWN : typeof tags === "object" && tags !== null ? (tags as Props) : undefined;
}

function ownTags(props: Props): TagRead {
  const tags = readValue(props, "tags");
  return tags === UNKNOWN ? UNKNOWN : typeof tags === "object" && tags !== null ? (tags as Props) : undefined;
}

/** The tenant tag keys neither the provider's default tags nor the resource's own tags give a literal value. */
function missingKeys(sources: TagRead[]): { missing: string[]; unknown: boolean } {
  let unknown = false;
  const missing = TENANT_TAG_KEYS.filter((key) =>
    sources.every((tags) => {
      if (tags === UNKNOWN) {
        unknown = true;
        return true;
      }
      const value = tags === undefined ? undefined : readValue(tags, key);
      if (value === UNKNOWN) {
        unknown = true;
      }
      return typeof value !== "string" || value.trim() === "";
    }),
  );
  return { missing, unknown };
}

/** AUD-5: tenant, environment and owner tags on every AWS resource, by provider default or its own. */
export const audResourceTenantTagged: ResourceValidationPolicy = {
  name: "aud-resource-tenant-tagged",
  description:
    "Checks that every AWS resource is created with moat:tenant, moat:environment and moat:owner tags, through its provider's default tags or its own tags (AUD-5).",
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("aws:")) {
      return;
    }
    const { missing, unknown } = missingKeys([providerTags(args.provider), ownTags(args.props)]);
    if (missing.length === 0) {
      return;
    }
    const label = `${args.type} "${args.name}"`;
    reportViolation(
      unknown
        ? `Give ${missing.join(", ")} literal values on ${label}, in its provider's defaultTags or its tags: they are unknown at preview, so this policy cannot verify them (AUD-5, POL-2).`
        : `Create ${label} with the tenant's provider (components/tenant: defaultTags carry ${TENANT_TAG_KEYS.join(", ")}), or set ${missing.join(", ")} in its tags: without them nothing attributes it to its tenant (AUD-5).`,
    );
  },
};
