// What the pod rules check in a request: the pod's own spec, or every pod template / pod-spec-like
// object / container / model URI of a workload kind, each with its field path. Found once per
// request and shared by all pod rules (they run one after another on the same RuleContext).
import { metadataOf, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import { perRequest } from "../per-request.ts";
import type { RuleContext } from "../types.ts";
import { walk } from "./paths.ts";
import { POD_SPEC_PATCHES_TOTAL_MAX, readPodSpecPatch, type PatchReading } from "./pod-spec-patch.ts";
import { DEFAULT_WORKLOADS, workloadKey } from "./settings.ts";

export interface SpecTarget {
  readonly spec: JsonRecord;
  /** Field path of the spec: "spec", "spec.template.spec", "spec.predictor". */
  readonly path: string;
}

export interface ContainerTarget {
  readonly container: JsonRecord;
  readonly path: string;
}

/** A ResourceRequirements ({requests, limits}) that one pod of the workload gets. */
export interface ResourcesTarget {
  readonly resources: JsonRecord;
  readonly path: string;
}

export interface StorageTarget {
  readonly uri: string;
  readonly path: string;
}

/** A KServe StorageSpec ({key, path, parameters}) and the secret its credentials come from. */
export interface StorageSpecTarget {
  readonly spec: JsonRecord;
  readonly path: string;
  readonly secret: string;
}

/** A string-encoded pod spec patch (Argo's podSpecPatch) as read: TG-POD-SPEC-PATCH judges it. */
export interface PatchTarget {
  readonly reading: PatchReading;
  readonly path: string;
}

export interface PodTargets {
  /** True for a bare pod (the unowned-namespace rule speaks of pods, not templates). */
  readonly pod: boolean;
  readonly specs: readonly SpecTarget[];
  readonly containers: readonly ContainerTarget[];
  readonly resources: readonly ResourcesTarget[];
  readonly storage: readonly StorageTarget[];
  readonly storageSpecs: readonly StorageSpecTarget[];
  readonly patches: readonly PatchTarget[];
}

const NONE: readonly never[] = Object.freeze([]);

/** The request's pod specs, or undefined when it carries none (another kind, a subresource, DELETE). */
export const podTargets: (ctx: RuleContext) => PodTargets | undefined = perRequest((ctx) => locate(ctx));

/** The pod specs of the request's oldObject (an UPDATE), found the same way; not memoised. */
export function oldPodTargets(ctx: RuleContext): PodTargets | undefined {
  const old = ctx.request.oldObject;
  return old === undefined ? undefined : locate(ctx, old);
}

function locate(ctx: RuleContext, obj: JsonRecord | undefined = ctx.request.object): PodTargets | undefined {
  const req = ctx.request;
  if (obj === undefined || req.namespace === "") return undefined;
  // An object on its way out (finalizers being removed) is never blocked: that would wedge deletion.
  if (req.operation === "UPDATE" && own(metadataOf(obj), "deletionTimestamp") != null) return undefined;
  const { group, resource } = req.resource;
  if (group === "" && resource === "pods") {
    if (req.subResource !== "" && req.subResource !== "ephemeralcontainers") return undefined;
    const spec = rec(own(obj, "spec"));
    if (spec === undefined) return undefined;
    return {
      pod: true,
      specs: [{ spec, path: "spec" }],
      containers: NONE,
      resources: NONE,
      storage: NONE,
      storageSpecs: NONE,
      patches: NONE,
    };
  }
  if (req.subResource !== "") return undefined;
  const kind = (ctx.settings.workloads ?? DEFAULT_WORKLOADS).kinds.get(workloadKey(group, resource));
  if (kind === undefined) return undefined;
  const specs: SpecTarget[] = [];
  const containers: ContainerTarget[] = [];
  const resources: ResourcesTarget[] = [];
  const storage: StorageTarget[] = [];
  for (const p of kind.templates) {
    walk(obj, p, (v, path) => {
      const spec = rec(own(rec(v), "spec"));
      if (spec !== undefined) specs.push({ spec, path: `${path}.spec` });
    });
  }
  for (const p of kind.podSpecs) {
    walk(obj, p, (v, path) => {
      const spec = rec(v);
      if (spec !== undefined) specs.push({ spec, path });
    });
  }
  const patches: PatchTarget[] = [];
  let budget = POD_SPEC_PATCHES_TOTAL_MAX;
  for (const p of kind.podSpecPatches) {
    walk(obj, p, (v, path) => {
      const patch = str(v);
      if (patch === undefined) return; // not a string: the API server's schema rejects it
      const reading: PatchReading =
        patch.length > budget
          ? {
              ok: false,
              why: `the object's patches are over ${POD_SPEC_PATCHES_TOTAL_MAX} characters together`,
            }
          : readPodSpecPatch(patch);
      budget -= Math.min(budget, patch.length);
      patches.push({ reading, path });
      if (reading.ok && reading.spec !== undefined) specs.push({ spec: reading.spec, path });
    });
  }
  for (const p of kind.containers) {
    walk(obj, p, (v, path) => {
      const container = rec(v);
      if (container !== undefined) containers.push({ container, path });
    });
  }
  for (const p of kind.resources) {
    walk(obj, p, (v, path) => {
      const r = rec(v);
      if (r !== undefined) resources.push({ resources: r, path });
    });
  }
  for (const p of kind.modelStorage) {
    walk(obj, p, (v, path) => {
      const uri = str(v);
      if (uri !== undefined && uri !== "") storage.push({ uri, path });
    });
  }
  const storageSpecs: StorageSpecTarget[] = [];
  for (const p of kind.modelStorageSpecs) {
    walk(obj, p, (v, path) => {
      const spec = rec(v);
      if (spec !== undefined) storageSpecs.push({ spec, path, secret: storageSecretName(obj) });
    });
  }
  return { pod: false, specs, containers, resources, storage, storageSpecs, patches };
}

/**
 * KServe reads a StorageSpec's credentials (and, for a bare key, its type and bucket) from the
 * secret `storage-config` in the object's namespace, or the one the
 * `serving.kserve.io/storageSecretName` annotation names (KServe's defaults).
 */
function storageSecretName(obj: JsonRecord): string {
  const named = str(own(rec(own(metadataOf(obj), "annotations")), "serving.kserve.io/storageSecretName"));
  return named === undefined || named === "" ? "storage-config" : named;
}
