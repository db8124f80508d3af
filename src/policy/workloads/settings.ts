// The workload table rules consult: (group, resource) -> compiled template paths. Built once from
// config at start (built-in Kubernetes kinds, the known custom resources unless turned off, then
// config entries, which replace a known kind with the same group and resource).
import { DEFAULT_MODEL_STORAGE_ENV } from "../../config/schema.ts";
import { compilePath, type CompiledPath } from "./paths.ts";
import { CUSTOM_RESOURCES, KUBERNETES_WORKLOADS, type WorkloadKindSpec } from "./known-kinds.ts";

export interface WorkloadKind {
  readonly group: string;
  readonly kind: string;
  readonly resource: string;
  readonly templates: readonly CompiledPath[];
  readonly podSpecs: readonly CompiledPath[];
  readonly containers: readonly CompiledPath[];
  readonly resources: readonly CompiledPath[];
  readonly modelStorage: readonly CompiledPath[];
  readonly modelStorageSpecs: readonly CompiledPath[];
  readonly podSpecPatches: readonly CompiledPath[];
}

export interface WorkloadSettings {
  /** Keyed by `group/resource` ("" group for core: `/replicationcontrollers`). */
  readonly kinds: ReadonlyMap<string, WorkloadKind>;
  /** Container env var names whose value is a model storage URI (KServe's STORAGE_URI). */
  readonly modelStorageEnv: ReadonlySet<string>;
}

export interface WorkloadConfig {
  readonly builtinCustomResources: boolean;
  readonly templates: readonly WorkloadKindSpec[];
  readonly modelStorageEnv: readonly string[];
}

/** The defaults of the `workloads` config section (the schema uses the same values). */

export function workloadKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

function compileKind(s: WorkloadKindSpec): WorkloadKind {
  const c = (paths: readonly string[] | undefined): readonly CompiledPath[] =>
    Object.freeze((paths ?? []).map(compilePath));
  return Object.freeze({
    group: s.group,
    kind: s.kind,
    resource: s.resource,
    templates: c(s.templates),
    podSpecs: c(s.podSpecs),
    containers: c(s.containers),
    resources: c(s.resources),
    modelStorage: c(s.modelStorage),
    modelStorageSpecs: c(s.modelStorageSpecs),
    podSpecPatches: c(s.podSpecPatches),
  });
}

export function compileWorkloads(cfg: WorkloadConfig): WorkloadSettings {
  const kinds = new Map<string, WorkloadKind>();
  const add = (list: readonly WorkloadKindSpec[]): void => {
    for (const s of list) kinds.set(workloadKey(s.group, s.resource), compileKind(s));
  };
  add(KUBERNETES_WORKLOADS);
  if (cfg.builtinCustomResources) add(CUSTOM_RESOURCES);
  add(cfg.templates);
  return Object.freeze({ kinds, modelStorageEnv: new Set(cfg.modelStorageEnv) });
}

/** For settings built without a workloads section (tests, older callers). */
export const DEFAULT_WORKLOADS: WorkloadSettings = compileWorkloads({
  builtinCustomResources: true,
  templates: [],
  modelStorageEnv: DEFAULT_MODEL_STORAGE_ENV,
});
