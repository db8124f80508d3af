// TG-POD-SERVICE-ACCOUNT, TG-POD-REFERENCE, TG-POD-NODE-POOL, TG-POD-REGISTRY, TG-POD-RESOURCES,
// TG-POD-PRIORITY-CLASS, TG-POD-RUNTIME-CLASS:
// the tenant-boundary checks of a pod spec, for pods and for every pod template of a workload
// (the finding's path says which). The checks themselves live in src/policy/pod/.
import {
  POD_NODE_POOL,
  POD_PRIORITY_CLASS,
  POD_REFERENCE,
  POD_REGISTRY,
  POD_RESOURCES,
  POD_RUNTIME_CLASS,
  POD_SERVICE_ACCOUNT,
} from "../pod/codes.ts";
import { checkNodePool } from "../pod/node-pool.ts";
import { podRule, type PodRule } from "../pod/pod-rule.ts";
import { checkPriorityClass } from "../pod/priority-class.ts";
import { checkContainerReferences, checkReferences } from "../pod/references.ts";
import { checkContainerImage, checkRegistries } from "../pod/registries.ts";
import { checkContainerResources, checkResourceRequirements, checkResources } from "../pod/resources.ts";
import { checkRuntimeClass } from "../pod/runtime-class.ts";
import { checkServiceAccount } from "../pod/service-account.ts";

export const podServiceAccountRule: PodRule = podRule({
  code: POD_SERVICE_ACCOUNT,
  summary: "a pod (template) runs as a service account labelled for another tenant",
  spec: checkServiceAccount,
});

export const podReferenceRule: PodRule = podRule({
  code: POD_REFERENCE,
  summary: "a pod (template) references a secret, config map or PVC labelled for another tenant",
  spec: checkReferences,
  container: checkContainerReferences,
});

export const podNodePoolRule: PodRule = podRule({
  code: POD_NODE_POOL,
  summary: "a pod (template) selects, requires or tolerates another tenant's node pool",
  spec: checkNodePool,
});

export const podRegistryRule: PodRule = podRule({
  code: POD_REGISTRY,
  summary: "a pod (template) uses an image outside its tenant's allowedRegistries",
  spec: checkRegistries,
  container: (s, c, path, out) => checkContainerImage(s, c, () => path, out),
});

export const podResourcesRule: PodRule = podRule({
  code: POD_RESOURCES,
  summary: "a pod's effective requests or limits exceed its tenant's maxPerPod",
  spec: checkResources,
  container: checkContainerResources,
  resources: checkResourceRequirements,
});

export const podPriorityClassRule: PodRule = podRule({
  code: POD_PRIORITY_CLASS,
  summary:
    "a pod (template) names a priority class of another tenant, a system-* class, or one its tenant may not use",
  spec: checkPriorityClass,
});

export const podRuntimeClassRule: PodRule = podRule({
  code: POD_RUNTIME_CLASS,
  summary: "a pod (template) names a runtime class outside its tenant's allowedRuntimeClasses",
  spec: checkRuntimeClass,
});
