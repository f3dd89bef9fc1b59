// CMP-1 (EFA isolation) as one explicit list, in report order, for pack.ts to include: the launch
// template's EFA layout (cmp-efa-template.ts), then placement and sizing of the groups that launch
// it (cmp-efa-groups.ts). The instance type table behind them is cmp-efa-catalogue.ts.
import type { Policies } from "@pulumi/policy";
import {
  cmpAutoscalingGroupFixedSize,
  cmpAutoscalingGroupNoInstanceRefresh,
  cmpAutoscalingGroupSingleSubnet,
  cmpPlacementGroupClusterStrategy,
} from "./cmp-efa-groups";
import { cmpLaunchTemplateEfaEveryCard } from "./cmp-efa-template";

/** Every CMP-1 policy, each mandatory by the pack's default. */
export const cmpEfaPolicies: Policies = [
  cmpLaunchTemplateEfaEveryCard,
  cmpPlacementGroupClusterStrategy,
  cmpAutoscalingGroupSingleSubnet,
  cmpAutoscalingGroupFixedSize,
  cmpAutoscalingGroupNoInstanceRefresh,
];
