/**
 * The AWS commercial regions and the letters of their availability zones, for the zone a new tenant
 * starts in. From AWS's documentation:
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html and
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 * (GovCloud, China and the isolated partitions need accounts of their own and are left out).
 *
 * In the oldest regions AWS maps zone letters to physical zones per account, and an account may not
 * be offered every letter (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html);
 * the stack file says so and how to check: `aws ec2 describe-availability-zones --region <region>`.
 */
export const REGION_ZONES: Readonly<Record<string, string>> = {
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-east-2": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-6": "abc",
  "ap-southeast-7": "abc",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "il-central-1": "abc",
  "me-central-1": "abc",
  "me-south-1": "abc",
  "mx-central-1": "abc",
  "sa-east-1": "abc",
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
};

/** Every known region, sorted. */
export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONES).sort();

/** The availability zones of `region`, e.g. `["eu-central-1a", ...]`; empty for an unknown region. */
export function availabilityZones(region: string): string[] {
  return [...(Object.hasOwn(REGION_ZONES, region) ? REGION_ZONES[region] : "")].map((l) => `${region}${l}`);
}

/**
 * Why `region` cannot be used, or undefined if it is a known region. Suggests the known regions of
 * the same area (`us-east-3` -> us-east-1, us-east-2) before listing them all.
 */
export function regionProblem(region: string): string | undefined {
  if (availabilityZones(region).length > 0) {
    return undefined;
  }
  const area = region.replace(/-?\d*$/, "");
  const near = area === "" ? [] : KNOWN_REGIONS.filter((r) => r.startsWith(`${area}-`));
  const fix =
    near.length > 0 ? `did you mean ${near.join(" or ")}?` : `known regions: ${KNOWN_REGIONS.join(", ")}`;
  return `--region ${JSON.stringify(region)} is not an AWS commercial region Moat knows; ${fix}`;
}
