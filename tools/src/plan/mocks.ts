import type * as pulumi from "@pulumi/pulumi";
import { Fixtures } from "./fixtures";
import type { StackReferences } from "./stack-references";

/** The type of a stack reference: read, not created, so its outputs are known in every preview. */
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * Mocks that answer like a cloud during `pulumi preview`. Inputs always come back as the resource's
 * state. With `unknowns`, nothing else does: IDs, ARNs and every computed output stay unknown, as in
 * a first preview of a new stack. Without it, IDs, ARNs and the outputs listed in the fixtures are
 * filled with stable fake values, as in a preview of a stack that already exists.
 */
export function previewMocks(
  fixtures: Fixtures,
  unknowns: boolean,
  stack: string,
  project: string,
  references: StackReferences,
): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      if (args.type === STACK_REFERENCE) {
        const name = String(args.inputs.name ?? args.name);
        return { id: name, state: { name, outputs: references.outputs(name), secretOutputNames: [] } };
      }
      if (unknowns) {
        return { id: undefined, state: args.inputs };
      }
      if (!args.custom) {
        return { id: undefined, state: {} };
      }
      // A stable seed per resource: the same stack, type and name always get the same fake ID.
      const seed = `${stack}::${project}::${args.type}::${args.name}`;
      const { id, outputs } = fixtures.computed(args.type, seed, args.name);
      return { id, state: { ...outputs, ...args.inputs } };
    },
    call(args) {
      return fixtures.invoke(args.token, args.inputs);
    },
  };
}
