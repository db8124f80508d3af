// The device requests of a resource.k8s.io ResourceClaimSpec in every served shape, flattened:
// v1 and v1beta2 put a plain request under requests[].exactly and alternatives under
// requests[].firstAvailable[]; v1beta1 has the plain request's fields on requests[] itself (with
// the same firstAvailable). Each entry carries the path of its deviceClassName for findings.
import { arr, own, rec, str, type JsonRecord } from "../../k8s/access.ts";

export interface DeviceRequest {
  readonly className: string | undefined;
  /** Path of the request object (deviceClassName, count and allocationMode are under it). */
  readonly path: string;
  /** "ExactCount" (the default) or "All" (every matching device of a pool: no upper bound). */
  readonly allocationMode: string;
  /** Devices asked for; ExactCount defaults to one. */
  readonly count: number;
  /** Index of the top-level request this one belongs to (alternatives share it). */
  readonly request: number;
}

function one(r: JsonRecord, path: string, request: number): DeviceRequest {
  const count = own(r, "count");
  return {
    className: str(own(r, "deviceClassName")),
    path,
    allocationMode: str(own(r, "allocationMode")) ?? "ExactCount",
    count: typeof count === "number" ? count : 1,
    request,
  };
}

/** `base` is the path of the ResourceClaimSpec (spec, or spec.spec for a template). */
export function deviceRequests(claimSpec: JsonRecord | undefined, base: string): DeviceRequest[] {
  const out: DeviceRequest[] = [];
  const requests = arr(own(rec(own(claimSpec, "devices")), "requests"));
  for (let i = 0; i < requests.length; i++) {
    const r = rec(requests[i]);
    if (r === undefined) continue;
    const path = `${base}.devices.requests[${i}]`;
    const exactly = rec(own(r, "exactly"));
    if (exactly !== undefined) out.push(one(exactly, `${path}.exactly`, i));
    else if (own(r, "deviceClassName") !== undefined) out.push(one(r, path, i)); // v1beta1
    const alternatives = arr(own(r, "firstAvailable"));
    for (let j = 0; j < alternatives.length; j++) {
      const a = rec(alternatives[j]);
      if (a !== undefined) out.push(one(a, `${path}.firstAvailable[${j}]`, i));
    }
  }
  return out;
}
