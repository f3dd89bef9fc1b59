// Test harness shared by the Network's component tests: the shared recording mocks answering like
// the tenant provider, and a builder that returns a Network's children by role. Not used by the program.
import * as assert from "node:assert/strict";
import {
  installRecordingMocks as installSharedMocks,
  Recorded,
  RecordingMocks,
  waitForRegistrations,
} from "../testing/recording-mocks";
import { Network, NetworkArgs } from "./network";

export { Recorded, valueOf, waitForRegistrations } from "../testing/recording-mocks";

let mocks: RecordingMocks | undefined;

/** The account every test network deploys to. */
export const ACCOUNT = "123456789012";

/** The tenant key every test network encrypts its flow logs with. */
export const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** Compliant args for tenant `acme` in the bastion access mode. */
export const goodArgs: NetworkArgs = {
  tenantId: "acme",
  environment: "prod",
  cidr: "10.42.0.0/16",
  availabilityZone: "us-east-1a",
  accessMode: "bastion",
  kmsKeyArn: KEY,
  accountId: ACCOUNT,
};

/** Every recorded resource named `prefix` or `prefix-...`. */
export function recordedNamed(prefix: string): Recorded[] {
  assert.ok(mocks, "call installRecordingMocks() first");
  return mocks.named(prefix);
}

/**
 * Installs the shared recording mocks, answering the provider functions the Network calls as a
 * `us-east-1` tenant provider would, and computing what AWS returns for a new VPC.
 */
export async function installRecordingMocks(): Promise<void> {
  mocks = await installSharedMocks({
    computed: (type, name) =>
      type === "aws:ec2/vpc:Vpc"
        ? { defaultRouteTableId: `${name}-main-rtb`, defaultNetworkAclId: `${name}-default-acl` }
        : {},
    call: (token, inputs) => {
      switch (token) {
        case "aws:index/getRegion:getRegion":
          return { id: "us-east-1", name: "us-east-1", region: "us-east-1" };
        case "aws:index/getPartition:getPartition":
          return {
            id: "aws",
            partition: "aws",
            dnsSuffix: "amazonaws.com",
            reverseDnsPrefix: "com.amazonaws",
          };
        default:
          return inputs;
      }
    },
  });
}

/** A default route as a test compares it: its child role and inputs, without the table. */
export type RecordedRoute = Record<string, unknown> & { readonly name: string };

/** A built Network with its children, a finder by role and its default routes by tier. */
export interface BuiltNetwork {
  /** The component. */
  readonly network: Network;
  /** Every child, in registration order. */
  readonly children: readonly Recorded[];
  /** The child named `${name}-${role}`; fails the test if there is none. */
  readonly child: (role: string) => Recorded;
  /** The default route of each tier that has one, keyed by tier. */
  readonly routes: Readonly<Record<string, RecordedRoute>>;
}

/** Instantiates a Network under the mocks and returns it once every child is registered. */
export async function buildNetwork(name: string, args: NetworkArgs): Promise<BuiltNetwork> {
  const network = new Network(name, args);
  await waitForRegistrations();
  const children = recordedNamed(name).filter((r) => r.name !== name);
  const child = (role: string) => {
    const found = children.find((c) => c.name === `${name}-${role}`);
    assert.ok(found, `no child ${name}-${role}`);
    return found;
  };
  const routes = Object.fromEntries(
    children
      .filter((c) => c.type === "aws:ec2/route:Route")
      .map((r): [string, RecordedRoute] => {
        const { routeTableId, ...rest } = r.inputs;
        const tier = String(routeTableId).slice(`${name}-`.length, -"-rt-id".length);
        return [tier, { name: r.name.slice(`${name}-`.length), ...rest }];
      }),
  );
  return { network, children, child, routes };
}
