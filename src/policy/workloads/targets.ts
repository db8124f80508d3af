// What the pod rules check in a request: the pod's own spec, or every pod template / pod-spec-like
// object / container / model URI of a workload kind, each with its field path. Found once per
// request and shared by all pod rules (they run one after another on the same RuleContext).
import { metadataOf, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import { perRequest } from "../per-request.ts";
import type { RuleContext } from "../types.ts";
import { walk } from "./paths.ts";
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

export interface StorageTarget {
  readonly uri: string;
  readonly path: string;
}

export interface PodTargets {
  /** True for a bare pod (the unowned-namespace rule speaks of pods, not templates). */
  readonly pod: boolean;
  readonly specs: readonly SpecTarget[];
  readonly containers: readonly ContainerTarget[];
  readonly storage: readonly StorageTarget[];
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
    return { pod: true, specs: [{ spec, path: "spec" }], containers: NONE, storage: NONE };
  }
  if (req.subResource !== "") return undefined;
  const kind = (ctx.settings.workloads ?? DEFAULT_WORKLOADS).kinds.get(workloadKey(group, resource));
  if (kind === undefined) return undefined;
  const specs: SpecTarget[] = [];
  const containers: ContainerTarget[] = [];
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
  for (const p of kind.containers) {
    walk(obj, p, (v, path) => {
      const container = rec(v);
      if (container !== undefined) containers.push({ container, path });
    });
  }
  for (const p of kind.modelStorage) {
    walk(obj, p, (v, path) => {
      const uri = str(v);
      if (uri !== undefined && uri !== "") storage.push({ uri, path });
    });
  }
  return { pod: false, specs, containers, storage };
}
