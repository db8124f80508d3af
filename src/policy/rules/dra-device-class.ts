// TG-DRA-DEVICE-CLASS: Dynamic Resource Allocation hands out devices (GPUs) through ResourceClaims
// and ResourceClaimTemplates (resource.k8s.io) instead of a container's `nvidia.com/gpu` limit, so
// neither the tenant's device classes nor its per-pod device cap (podDefaults.maxPerPod, which
// TG-POD-RESOURCES enforces on containers) would see them. For a claim or template in a tenant
// namespace:
// - with spec.allowedDeviceClasses, every request (and every firstAvailable alternative) must name
//   one of them; absent list: any class;
// - when maxPerPod caps an extended resource (a device), a claim may ask for at most the largest
//   such cap: ExactCount requests are summed (firstAvailable alternatives count as the largest one,
//   only one is allocated), and allocationMode All (every matching device of a pool) is denied as
//   unbounded. The webhook cannot map a DeviceClass to a resource name (DeviceClasses are not
//   cached), so the largest device cap is the bound. Limit: a pod may reference several claims, and
//   ResourceClaims are not cached, so the cap holds per claim, not per pod.
// Pods reference claims and templates by name only, in their own namespace (PodResourceClaim has no
// namespace field), so a pod cannot reach another tenant's claim: nothing to check on the pod.
import { own, rec } from "../../k8s/access.ts";
import { isExtendedResource } from "../../k8s/resource-names.ts";
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import { deviceRequests, type DeviceRequest } from "../dra/device-requests.ts";
import { objectRef, tenantRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const DRA_DEVICE_CLASS = "TG-DRA-DEVICE-CLASS";
const GROUP = "resource.k8s.io";

/** The largest maxPerPod of a device (extended) resource, with its name; undefined: no device cap. */
function deviceCap(p: TenantPolicy): { name: string; value: number } | undefined {
  let cap: { name: string; value: number } | undefined;
  for (const [name, amount] of p.maxPerPod)
    if (isExtendedResource(name) && (cap === undefined || amount.value > cap.value))
      cap = { name, value: amount.value };
  return cap;
}

function check(ctx: RuleContext, obj: unknown, out: Finding[]): void {
  const tenant = ctx.namespaceTenant;
  const policy = tenant === undefined ? undefined : ctx.view.tenant(tenant);
  if (policy === undefined) return;
  const template = ctx.request.resource.resource === "resourceclaimtemplates";
  const spec = rec(own(rec(obj), "spec"));
  const base = template ? "spec.spec" : "spec";
  const requests = deviceRequests(template ? rec(own(spec, "spec")) : spec, base);
  if (requests.length === 0) return;
  const who = objectRef(ctx.request);
  const allowed = policy.allowedDeviceClasses;
  if (allowed !== undefined)
    for (const r of requests)
      if (r.className !== undefined && !allowed.has(r.className))
        out.push({
          code: DRA_DEVICE_CLASS,
          message:
            `${who} requests devices of class "${r.className}", which ${tenantRef(tenant)} may not use; ` +
            (allowed.size === 0
              ? "its allowedDeviceClasses list is empty"
              : `use one of ${[...allowed]
                  .sort()
                  .map((c) => `"${c}"`)
                  .join(", ")}`),
          path: `${r.path}.deviceClassName`,
        });
  const cap = deviceCap(policy);
  if (cap !== undefined) checkCount(who, tenant as string, cap, requests, `${base}.devices.requests`, out);
}

function checkCount(
  who: string,
  tenant: string,
  cap: { name: string; value: number },
  requests: readonly DeviceRequest[],
  path: string,
  out: Finding[],
): void {
  const perRequest = new Map<number, number>();
  for (const r of requests) {
    if (r.allocationMode !== "ExactCount") {
      out.push({
        code: DRA_DEVICE_CLASS,
        message:
          `${who} asks for allocationMode "${r.allocationMode}" (every matching device), but ` +
          `${tenantRef(tenant)} may use at most ${cap.value} per pod (maxPerPod ${cap.name}); ` +
          `use allocationMode ExactCount with a count`,
        path: `${r.path}.allocationMode`,
      });
      return;
    }
    perRequest.set(r.request, Math.max(perRequest.get(r.request) ?? 0, r.count));
  }
  let total = 0;
  for (const n of perRequest.values()) total += n;
  if (total <= cap.value) return;
  out.push({
    code: DRA_DEVICE_CLASS,
    message:
      `${who} asks for ${total} devices, but ${tenantRef(tenant)} may use at most ${cap.value} per pod ` +
      `(maxPerPod ${cap.name}); lower the requests' count`,
    path,
  });
}

export const draDeviceClassRule: Rule = {
  code: DRA_DEVICE_CLASS,
  summary:
    "a DRA ResourceClaim (template) requests a device class outside allowedDeviceClasses, or more devices than the tenant's maxPerPod device cap",
  match: [
    { group: GROUP, resource: "resourceclaims" },
    { group: GROUP, resource: "resourceclaimtemplates" },
  ],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const req = ctx.request;
    if (req.subResource !== "" || req.namespace === "") return;
    const before = out.length;
    check(ctx, req.object, out);
    if (out.length === before || req.operation !== "UPDATE") return;
    // The spec is immutable: an UPDATE (labels, finalizers) of a claim admitted before is let through.
    const had: Finding[] = [];
    check(ctx, req.oldObject, had);
    const seen = new Set(had.map((f) => `${f.path ?? ""}\n${f.message}`));
    let w = before;
    for (let r = before; r < out.length; r++) {
      const f = out[r] as Finding;
      if (!seen.has(`${f.path ?? ""}\n${f.message}`)) out[w++] = f;
    }
    out.length = w;
  },
};
