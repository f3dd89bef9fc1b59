/**
 * What the offline preview records of one resource registration. Property values are kept in the
 * Pulumi wire form (secrets as signature objects, unknowns as the unknown sentinel) so that they are
 * sent to the policy pack exactly as the Pulumi CLI would send them; reports redact them.
 */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  /** URN of the explicit provider, when the resource has one. */
  readonly provider?: string;
  /** The provider reference as registered (`urn::id`), kept to resolve the provider's properties. */
  readonly providerRef?: string;
  readonly inputs: Record<string, unknown>;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
  /** Aliases as URNs where given as URNs, otherwise as the alias spec rendered to a string. */
  readonly aliases: string[];
  readonly additionalSecretOutputs: string[];
}

/** How the program run ended. */
export type ProgramFailure =
  | { readonly kind: "config"; readonly problems: string[] }
  | { readonly kind: "invoke"; readonly message: string }
  /** A component refused its arguments (the SDK's InputPropertiesError): bad input, no stack trace. */
  | { readonly kind: "input"; readonly message: string }
  | { readonly kind: "program"; readonly message: string };

/** Everything the program runner hands back to the CLI. */
export interface ProgramRun {
  readonly project: string;
  readonly stack: string;
  readonly resources: RecordedResource[];
  /** Stack outputs in wire form. */
  readonly outputs: Record<string, unknown>;
  readonly failure?: ProgramFailure;
}
