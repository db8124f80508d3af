// Stable rule codes of the pod checks. Workload templates reuse them: the field path in each
// finding (spec.template.spec...) shows that a template, not a pod, crossed the boundary.
export const POD_UNOWNED_NAMESPACE = "TG-POD-UNOWNED-NAMESPACE";
export const POD_SERVICE_ACCOUNT = "TG-POD-SERVICE-ACCOUNT";
export const POD_REFERENCE = "TG-POD-REFERENCE";
export const POD_NODE_POOL = "TG-POD-NODE-POOL";
export const POD_REGISTRY = "TG-POD-REGISTRY";
export const POD_RESOURCES = "TG-POD-RESOURCES";
export const POD_PRIORITY_CLASS = "TG-POD-PRIORITY-CLASS";
export const POD_HOST_NAMESPACE = "TG-POD-HOST-NAMESPACE";
export const POD_HOSTPATH = "TG-POD-HOSTPATH";
export const POD_PRIVILEGED = "TG-POD-PRIVILEGED";
export const MODEL_STORAGE = "TG-MODEL-STORAGE";
export const POD_RUNTIME_CLASS = "TG-POD-RUNTIME-CLASS";
export const POD_SPEC_PATCH = "TG-POD-SPEC-PATCH";
