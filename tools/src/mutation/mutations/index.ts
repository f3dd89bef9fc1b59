import type { Mutation } from "../types";
import { audMutations } from "./aud";
import { cmpMutations } from "./cmp";
import { datMutations } from "./dat";
import { iamMutations } from "./iam";
import { k8sMutations } from "./k8s";
import { netMutations } from "./net";

/** Every mutation of the suite, in requirement-catalogue order (NET, CMP, IAM, DAT, AUD, K8S). */
export const MUTATIONS: readonly Mutation[] = [
  ...netMutations,
  ...cmpMutations,
  ...iamMutations,
  ...datMutations,
  ...audMutations,
  ...k8sMutations,
];
