// TG-POD-SERVICE-ACCOUNT, TG-POD-REFERENCE, TG-POD-NODE-POOL, TG-POD-REGISTRY, TG-POD-RESOURCES,
// TG-POD-PRIORITY-CLASS, TG-POD-RUNTIME-CLASS:
// the tenant-boundary checks of a pod spec, for pods and for every pod template of a workload
// (the finding's path says which). The checks themselves live in src/policy/pod/.
import { POD_CHECKS } from "../pod/check-pod-spec.ts";
import {
  POD_NODE_POOL,
  POD_PRIORITY_CLASS,
  POD_REFERENCE,
  POD_REGISTRY,
  POD_RESOURCES,
  POD_RUNTIME_CLASS,
  POD_SERVICE_ACCOUNT,
} from "../pod/codes.ts";
import { podCheck, podRule } from "../pod/pod-rule.ts";
import type { Rule } from "../types.ts";

export const podServiceAccountRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_SERVICE_ACCOUNT),
  "a pod (template) runs as a service account labelled for another tenant",
);

export const podReferenceRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_REFERENCE),
  "a pod (template) references a secret, config map or PVC labelled for another tenant",
);

export const podNodePoolRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_NODE_POOL),
  "a pod (template) selects, requires or tolerates another tenant's node pool",
);

export const podRegistryRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_REGISTRY),
  "a pod (template) uses an image outside its tenant's allowedRegistries",
);

export const podResourcesRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_RESOURCES),
  "a pod's effective requests or limits exceed its tenant's maxPerPod",
);

export const podPriorityClassRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_PRIORITY_CLASS),
  "a pod (template) names a priority class of another tenant, a system-* class, or one its tenant may not use",
);

export const podRuntimeClassRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_RUNTIME_CLASS),
  "a pod (template) names a runtime class outside its tenant's allowedRuntimeClasses",
);
