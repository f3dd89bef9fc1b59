// CMP-6, CMP-8 and CMP-9: no secret value leaves its store. User data and tags are readable by
// anyone who may describe an instance, and a node built from a secret's value is replaced when the
// secret rotates, so nodes receive secret names and fetch the values at boot.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { NODE_TYPES, SECRET_SOURCE_TYPES, labelOf } from "./cmp-types";
import { jupyterProblems, secretMaterial } from "./cmp-user-data";
import { checkUserData } from "./cmp-user-data-check";
import { Props, UNKNOWN, forTypes, readList, readValue } from "./props";

/** A piece of text to scan and where it sits, e.g. `tag "Name"`. */
interface Located {
  readonly where: string;
  readonly text: string;
}

const literal = (where: string, label: string) =>
  `Set ${where} of ${label} to a literal value: it is unknown at preview, so this policy cannot verify that it holds no secret (CMP-8, POL-2).`;

// Each tag as "key=value", so a secret in either half is found.
function tagTexts(tags: unknown, where: string, label: string, problems: string[]): Located[] {
  if (tags === UNKNOWN) {
    problems.push(literal(where, label));
    return [];
  }
  if (typeof tags !== "object" || tags === undefined || tags === null) {
    return [];
  }
  const found: Located[] = [];
  for (const key of Object.keys(tags)) {
    const value = readValue(tags as Props, key);
    if (value === UNKNOWN) {
      problems.push(literal(`${where} "${key}"`, label));
    } else {
      found.push({ where: `${where} "${key}"`, text: `${key}=${String(value ?? "")}` });
    }
  }
  return found;
}

/**
 * The tags a node resource declares: its own `tags`, and on a launch template the tags of each
 * `tagSpecifications` entry, which the instances it launches will carry.
 */
function nodeTags(props: Props, label: string, problems: string[]): Located[] {
  const found = tagTexts(readValue(props, "tags"), "tag", label, problems);
  const specs = readList(props, "tagSpecifications");
  if (specs === UNKNOWN) {
    problems.push(literal("tagSpecifications", label));
    return found;
  }
  for (let i = 0; i < (specs?.length ?? 0); i++) {
    const spec = readValue(specs as unknown as Props, String(i));
    const where = `tagSpecifications[${i}]`;
    if (spec === UNKNOWN) {
      problems.push(literal(where, label));
    } else if (typeof spec === "object" && spec !== null) {
      found.push(...tagTexts(readValue(spec as Props, "tags"), `${where} tag`, label, problems));
    }
  }
  return found;
}

/**
 * CMP-4, CMP-8: node user data and tags carry no PEM private key (the cluster key included) and no
 * AWS access key ID. Base64, gzip and MIME-encoded user data are decoded first.
 */
export const cmpNodeNoSecretMaterial: ResourceValidationPolicy = {
  name: "cmp-node-no-secret-material",
  description:
    "Checks that node user data and tags contain no PEM private key and no AWS access key ID, so the cluster key and credentials never appear in plain text (CMP-4, CMP-8).",
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) => {
    checkUserData(args, reportViolation, {
      ids: "CMP-4, CMP-8",
      verifies: "that it holds no private key or access key",
      check: (text, property, label) =>
        secretMaterial(text).map(
          (kind) =>
            `Remove ${kind} from the ${property} of ${label}: store it in Secrets Manager under the tenant key and fetch it at boot by name (CMP-4, CMP-8).`,
        ),
    });
    const label = labelOf(args.type, args.name);
    const problems: string[] = [];
    for (const { where, text } of nodeTags(args.props, label, problems)) {
      for (const kind of secretMaterial(text)) {
        problems.push(
          `Remove ${kind} from ${where} of ${label}: tags are readable by anyone who may describe the resource (CMP-8).`,
        );
      }
    }
    problems.forEach((m) => reportViolation(m));
  }),
};

/**
 * CMP-6: Jupyter tokens never appear in node user data, and a Jupyter server started there binds
 * 127.0.0.1 so it is reached only through an SSH or Session Manager tunnel.
 */
export const cmpUserDataJupyterProtected: ResourceValidationPolicy = {
  name: "cmp-user-data-jupyter-protected",
  description:
    "Checks that node user data writes no literal or empty JupyterLab token and binds any Jupyter server it starts to 127.0.0.1 (CMP-6).",
  validateResource: forTypes(NODE_TYPES, (args, reportViolation) =>
    checkUserData(args, reportViolation, {
      ids: "CMP-6",
      verifies: "how it runs JupyterLab",
      check: (text, property, label) =>
        jupyterProblems(text).map(
          (problem) =>
            `Fix how the ${property} of ${label} runs JupyterLab: it ${problem}. Read the token at boot from the node's "jupyter-token" secret and serve on 127.0.0.1 only (CMP-6).`,
        ),
    }),
  ),
};

// Properties of a node that end up where anyone who may describe it can read them.
const EXPOSED_PROPERTIES = ["userData", "userDataBase64", "tags", "tagSpecifications"];

/** One finding per property of a node built from a secret-generating resource. */
function secretDependencies(node: PolicyResource): { property: string; source: PolicyResource }[] {
  return EXPOSED_PROPERTIES.flatMap((property) =>
    (node.propertyDependencies[property] ?? [])
      .filter((source) => SECRET_SOURCE_TYPES.includes(source.type))
      .map((source) => ({ property, source })),
  );
}

/**
 * CMP-8, CMP-9: no node's user data or tags is built from a RandomPassword, a tls.PrivateKey or a
 * SecretVersion. Such a value lands in plain text on the instance description, and because a
 * change to user data replaces the node, every rotation would replace it too. A stack policy:
 * the link is the engine's record of which resources an input was built from, as the values
 * themselves are secret or unknown at preview.
 */
export const cmpNodeNoSecretDependency: StackValidationPolicy = {
  name: "cmp-node-no-secret-dependency",
  description:
    "Checks that no node's user data or tags is built from a RandomPassword, tls.PrivateKey or SecretVersion, so secrets stay out of plain text and rotating them replaces no node (CMP-8, CMP-9).",
  validateStack: (args, reportViolation) => {
    for (const node of args.resources.filter((r) => NODE_TYPES.includes(r.type))) {
      for (const { property, source } of secretDependencies(node)) {
        reportViolation(
          `Stop building the ${property} of ${labelOf(node.type, node.name)} from ${labelOf(source.type, source.name)}: its secret value would be readable in plain text and every rotation would replace the node; pass the secret's name and fetch the value at boot (CMP-8, CMP-9).`,
          node.urn,
        );
      }
    }
  },
};
