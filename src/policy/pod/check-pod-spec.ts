// The pod checks by rule code, each over a PodSpec at a base path (`spec` for a pod,
// `spec.template.spec` for a Deployment, `spec.predictor` for an InferenceService), plus the
// checks that also make sense for a lone container (an operator's model or trainer container).
import type { JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { checkContainerStorageEnv, checkSpecStorageEnv } from "../workloads/model-storage.ts";
import {
  MODEL_STORAGE,
  POD_HOST_NAMESPACE,
  POD_HOSTPATH,
  POD_NODE_POOL,
  POD_PRIORITY_CLASS,
  POD_PRIVILEGED,
  POD_REFERENCE,
  POD_REGISTRY,
  POD_RESOURCES,
  POD_RUNTIME_CLASS,
  POD_SERVICE_ACCOUNT,
} from "./codes.ts";
import { PVC_DATA_SOURCE, PVC_VOLUME } from "./claim-spec.ts";
import { checkEphemeralDataSources, checkEphemeralStorageClasses, checkEphemeralVolumes } from "./claims.ts";
import { checkContainerPrivileged, checkHostNamespaces, checkHostPath, checkPrivileged } from "./host.ts";
import { checkNodePool } from "./node-pool.ts";
import { checkPriorityClass } from "./priority-class.ts";
import { checkContainerReferences, checkReferences } from "./references.ts";
import { checkContainerImage, checkRegistries } from "./registries.ts";
import { checkContainerResources, checkResourceRequirements, checkResources } from "./resources.ts";
import type { PodScope } from "./scope.ts";
import { checkRuntimeClass } from "./runtime-class.ts";
import { checkServiceAccount } from "./service-account.ts";
import { PVC_STORAGE_CLASS } from "./storage-class.ts";

export type SpecCheck = (scope: PodScope, spec: JsonRecord, base: string, out: Finding[]) => void;
export type ContainerCheck = (scope: PodScope, c: JsonRecord, path: string, out: Finding[]) => void;
/** Over a ResourceRequirements that one pod gets (path: the requirements object itself). */
export type ResourcesCheck = (scope: PodScope, r: JsonRecord, path: string, out: Finding[]) => void;

export interface PodCheck {
  readonly code: string;
  readonly spec: SpecCheck;
  readonly container?: ContainerCheck;
  readonly resources?: ResourcesCheck;
}

export const POD_CHECKS: readonly PodCheck[] = [
  { code: POD_SERVICE_ACCOUNT, spec: checkServiceAccount },
  { code: POD_REFERENCE, spec: checkReferences, container: checkContainerReferences },
  { code: POD_NODE_POOL, spec: checkNodePool },
  {
    code: POD_REGISTRY,
    spec: checkRegistries,
    container: (s, c, path, out) => checkContainerImage(s, c, () => path, out),
  },
  {
    code: POD_RESOURCES,
    spec: checkResources,
    container: checkContainerResources,
    resources: checkResourceRequirements,
  },
  { code: POD_PRIORITY_CLASS, spec: checkPriorityClass },
  { code: POD_RUNTIME_CLASS, spec: checkRuntimeClass },
  { code: POD_HOST_NAMESPACE, spec: checkHostNamespaces },
  { code: POD_HOSTPATH, spec: checkHostPath },
  {
    code: POD_PRIVILEGED,
    spec: checkPrivileged,
    container: (s, c, path, out) => checkContainerPrivileged(s, c, () => path, out),
  },
  { code: MODEL_STORAGE, spec: checkSpecStorageEnv, container: checkContainerStorageEnv },
  // generic ephemeral volumes' claim templates (PVCs and StatefulSet claim templates: rules/pvc-*.ts)
  { code: PVC_DATA_SOURCE, spec: checkEphemeralDataSources },
  { code: PVC_VOLUME, spec: checkEphemeralVolumes },
  { code: PVC_STORAGE_CLASS, spec: checkEphemeralStorageClasses },
];

/** Every pod check over one PodSpec: for callers that want all findings (audit, tests). */
export function checkPodSpec(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  for (const c of POD_CHECKS) c.spec(scope, spec, base, out);
}
