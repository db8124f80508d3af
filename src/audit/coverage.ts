// Whether tenant-guard checks an object's kind at all. Rules decide for themselves what they apply
// to; an object no kind-specific rule or mutator matches (a Service, a HorizontalPodAutoscaler) was
// not checked, and a report must say so instead of counting it as clean. Rules that match every
// kind ("*") look at who writes, at pod templates of configured workload kinds, or at the tenant
// label of the kinds that carry ownership (LABELLED_RESOURCES), not at the kind.
import type { AdmissionRequest } from "../admission/types.ts";
import type { Engine } from "../policy/engine.ts";
import { LABELLED_RESOURCES } from "../policy/rules/tenant-label.ts";
import { DEFAULT_WORKLOADS, workloadKey } from "../policy/workloads/settings.ts";

const LABELLED = new Set(LABELLED_RESOURCES.map((m) => workloadKey(m.group, m.resource)));

export function isCheckedKind(req: AdmissionRequest, engine: Engine): boolean {
  const { group, resource } = req.resource;
  if (LABELLED.has(workloadKey(group, resource))) return true;
  if ((engine.settings.workloads ?? DEFAULT_WORKLOADS).kinds.has(workloadKey(group, resource))) return true;
  return (
    engine.rules.forRequest(req).some((r) => r.match !== "*") || engine.mutators.forRequest(req).length > 0
  );
}
