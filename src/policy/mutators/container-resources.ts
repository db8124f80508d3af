// Defaults one container's requests/limits from the tenant's podDefaults.resources, with the
// semantics of the LimitRanger admission plugin plus the API server's own pod defaulting:
// - a missing limit gets the default limit; a missing request gets, in this order, the container's
//   own limit (the API server defaults request = limit), the default request, or the limit just
//   defaulted (a LimitRange's defaultRequest defaults to its default limit);
// - nothing the user set is changed or lowered. Where LimitRanger would set a default limit below a
//   request the user set (a pod the API server then rejects), the limit is raised to that request:
//   a mutated pod must stay valid, and maxPerPod still bounds it;
// - resources that cannot be overcommitted (extended resources such as nvidia.com/gpu, huge pages)
//   always end with request == limit: one set by the user completes the other, and one the user
//   did not name is added only when the tenant's podDefaults name it;
// - a resource the pod sets at pod level (spec.resources) is left to the pod-level budget.
import { escapePointer, type PatchOp } from "../../admission/patch.ts";
import { own, type JsonRecord } from "../../k8s/access.ts";
import { parseQuantity } from "../../k8s/quantity.ts";
import { isOvercommitAllowed } from "../../k8s/resource-names.ts";
import type { ResourceDefault } from "../../tenancy/tenant-policy.ts";
import { mapField } from "./patch-maps.ts";

type Adds = [string, string | number][];

function quantity(map: JsonRecord | null, name: string): string | number | undefined {
  const v = map === null ? undefined : own(map, name);
  return typeof v === "string" || typeof v === "number" ? v : undefined;
}

function declaredAtPodLevel(podLevel: JsonRecord | undefined, name: string): boolean {
  if (podLevel === undefined) return false;
  return (
    quantity(mapField(podLevel, "requests") ?? null, name) !== undefined ||
    quantity(mapField(podLevel, "limits") ?? null, name) !== undefined
  );
}

export function defaultContainerResources(
  container: JsonRecord,
  base: string,
  defaults: ReadonlyMap<string, ResourceDefault>,
  podLevel: JsonRecord | undefined,
  out: PatchOp[],
): void {
  const resources = mapField(container, "resources");
  if (resources === undefined) return;
  const requests = resources === null ? null : mapField(resources, "requests");
  const limits = resources === null ? null : mapField(resources, "limits");
  if (requests === undefined || limits === undefined) return; // malformed: the API server rejects it
  const reqAdds: Adds = [];
  const limAdds: Adds = [];
  for (const d of defaults.values()) {
    if (declaredAtPodLevel(podLevel, d.name)) continue;
    const req = quantity(requests, d.name);
    const lim = quantity(limits, d.name);
    if (!d.overcommit) {
      if (req === undefined && lim === undefined && d.limit !== undefined) {
        reqAdds.push([d.name, d.limit.raw]);
        limAdds.push([d.name, d.limit.raw]);
      }
      continue; // a half set by the user is completed below
    }
    let newLimit: string | number | undefined;
    if (lim === undefined && d.limit !== undefined) {
      newLimit = d.limit.raw;
      if (req !== undefined) {
        const asked = parseQuantity(req);
        if (asked === undefined)
          newLimit = undefined; // unparsable: left for the API server to reject
        else if (asked > d.limit.value) newLimit = req; // never a limit below the user's request
      }
      if (newLimit !== undefined) limAdds.push([d.name, newLimit]);
    }
    if (req === undefined) {
      const value = lim ?? d.request?.raw ?? newLimit;
      if (value !== undefined) reqAdds.push([d.name, value]);
    }
  }
  completeNonOvercommit(requests, limits, limAdds);
  completeNonOvercommit(limits, requests, reqAdds);
  if (reqAdds.length === 0 && limAdds.length === 0) return;
  if (resources === null) {
    const value: JsonRecord = {};
    if (reqAdds.length > 0) value.requests = Object.fromEntries(reqAdds);
    if (limAdds.length > 0) value.limits = Object.fromEntries(limAdds);
    out.push({ op: "add", path: `${base}/resources`, value });
    return;
  }
  emit(out, `${base}/resources/requests`, requests, reqAdds);
  emit(out, `${base}/resources/limits`, limits, limAdds);
}

/** For each non-overcommittable resource set on one side only, the same value on the other side. */
function completeNonOvercommit(from: JsonRecord | null, other: JsonRecord | null, adds: Adds): void {
  if (from === null) return;
  for (const name of Object.keys(from)) {
    if (isOvercommitAllowed(name) || quantity(other, name) !== undefined) continue;
    const v = quantity(from, name);
    if (v !== undefined) adds.push([name, v]);
  }
}

function emit(out: PatchOp[], path: string, map: JsonRecord | null, adds: Adds): void {
  if (adds.length === 0) return;
  if (map === null) {
    out.push({ op: "add", path, value: Object.fromEntries(adds) });
    return;
  }
  for (const [name, value] of adds) out.push({ op: "add", path: `${path}/${escapePointer(name)}`, value });
}
