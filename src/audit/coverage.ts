// Whether tenant-guard checks an object's kind at all. Rules decide for themselves what they apply
// to; an object no kind-specific rule or mutator matches (a Service, a HorizontalPodAutoscaler) was
// not checked, and a report must say so instead of counting it as clean. Rules that match every
// kind ("*") look at who writes or at pod templates of configured workload kinds, not at the kind.
import type { AdmissionRequest } from "../admission/types.ts";
import type { Engine } from "../policy/engine.ts";
import { DEFAULT_WORKLOADS, workloadKey } from "../policy/workloads/settings.ts";

export function isCheckedKind(req: AdmissionRequest, engine: Engine): boolean {
  const { group, resource } = req.resource;
  if (group === "" && resource === "pods") return true;
  if ((engine.settings.workloads ?? DEFAULT_WORKLOADS).kinds.has(workloadKey(group, resource))) return true;
  return (
    engine.rules.forRequest(req).some((r) => r.match !== "*") || engine.mutators.forRequest(req).length > 0
  );
}
