/**
 * How many operations a fleet run lets loose at once, and the pool that keeps to it. Two limits
 * hold together: a global one (memory and cores of this machine) and one per account × region
 * (the AWS APIs' request rates, which are per account and region).
 */
import { DEFAULT_JOBS } from "../plan/pool";

export { DEFAULT_JOBS } from "../plan/pool";

/**
 * Operations at once in one account × region, by default. AWS throttles API requests per account and
 * region: EC2 with a token bucket per API action, and KMS with request quotas per second that
 * every stack of the account shares. CreateKey, which every tenant stack calls (its tenant key), is
 * allowed 5 per second per account and region
 * (https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html). Two stacks at
 * `parallel` 16 stay under that while a deploy creates keys, grants and aliases; a CDK user updating
 * 35 to 80 stacks of one account at once got "Rate exceeded" (aws/aws-cdk#5637). Raise it with
 * `--per-account` after a real run shows no throttling.
 */
export const DEFAULT_PER_ACCOUNT = 2;

/**
 * Resource operations one Pulumi operation runs at once (`--parallel`). Set explicitly rather than
 * left to the CLI's default so that a stack's load on its account is bounded: per account × region
 * at most {@link DEFAULT_PER_ACCOUNT} × 16 calls are in flight. A lower `--parallel` also cut the
 * CLI's memory sharply in pulumi/pulumi-aws#3020.
 */
export const DEFAULT_PARALLEL = 16;

/** The two caps of a run. */
export interface Limits {
  /** Operations at once over the whole run (`--jobs`). @default {@link DEFAULT_JOBS} */
  readonly jobs: number;
  /** Operations at once per account × region (`--per-account`). @default {@link DEFAULT_PER_ACCOUNT} */
  readonly perAccount: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: Limits = { jobs: DEFAULT_JOBS, perAccount: DEFAULT_PER_ACCOUNT };

/**
 * Runs `work` on items with at most `limits.jobs` calls in flight and at most `limits.perAccount`
 * in flight per key. Items start in their order, except that one whose key is full waits while later
 * items of other keys start. Once `mayStart()` is false no further item starts; those in flight
 * finish. Resolves with the items that never started; rejects if a call rejects.
 */
export function limitedPool<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limits: Limits,
  work: (item: T) => Promise<void>,
  mayStart: () => boolean = () => true,
): Promise<T[]> {
  const pending = [...items];
  const perKey = new Map<string, number>();
  let active = 0;
  let failed = false;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (failed) return;
      for (let i = 0; i < pending.length && active < limits.jobs && mayStart();) {
        const key = keyOf(pending[i]);
        if ((perKey.get(key) ?? 0) >= limits.perAccount) {
          i++;
          continue;
        }
        const [item] = pending.splice(i, 1);
        active++;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
        work(item).then(
          () => {
            active--;
            perKey.set(key, (perKey.get(key) ?? 1) - 1);
            pump();
          },
          (e: unknown) => {
            failed = true;
            reject(e);
          },
        );
      }
      // Nothing in flight: every item is done, or the rest may not start.
      if (active === 0) resolve(pending.splice(0));
    };
    pump();
  });
}
