// TG-POD-RESOURCES: a pod's requests and limits must stay within its tenant's maxPerPod, for every
// resource the tenant caps (cpu, memory, nvidia.com/gpu and other extended resources).
//
// The amount compared is the pod's effective request/limit as the scheduler computes it:
// max(sum of app containers + sum of sidecars, max over init containers of (init + sidecars started
// before it)). Init containers run one at a time, so they take the max, not the sum; sidecars
// (init containers with restartPolicy: Always) keep running and add up. A pod-level
// `spec.resources` (PodLevelResources) replaces the container sum when it sets the resource.
//
// A value that is not a quantity (a CRD keeps strings the API server never parsed), negative or
// absurdly large is a finding of its own for every resource the tenant caps: never counted as 0.
import { arr, own, rec, type JsonRecord } from "../../k8s/access.ts";
import {
  KINDS,
  amountOf,
  effectiveAmount,
  formatAmount,
  rawAmount,
  valueOf,
  type EffectiveAmount,
  type Kind,
} from "../../k8s/pod-amounts.ts";
import { MAX_QUANTITY_LENGTH } from "../../k8s/quantity.ts";
import type { ResourceAmount } from "../../tenancy/tenant-policy.ts";
import type { Finding } from "../types.ts";
import { POD_RESOURCES } from "./codes.ts";
import { at, field, key } from "./paths.ts";
import { subject, type PodScope } from "./scope.ts";

/** The field path an effective amount points at, built only for a finding. */
function amountPath(base: string, kind: Kind, resource: string, eff: EffectiveAmount): string {
  const list =
    eff.from === "pod"
      ? field(base, "resources")
      : eff.from === "all"
        ? `${field(base, "containers")}[*].resources`
        : `${at(field(base, eff.from), eff.index)}.resources`;
  return key(`${list}.${kind}`, resource);
}

export function checkResources(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const max = scope.policy?.maxPerPod;
  if (max === undefined || max.size === 0) return;
  for (const [resource, limit] of max) {
    for (const kind of KINDS) {
      const eff = effectiveAmount(spec, kind, resource);
      if (Number.isNaN(eff.value))
        pushInvalid(
          scope,
          kind,
          resource,
          rawAt(spec, kind, resource, eff),
          limit,
          amountPath(base, kind, resource, eff),
          out,
        );
      else if (over(eff.value, limit))
        push(scope, kind, resource, eff.value, limit, amountPath(base, kind, resource, eff), out);
    }
  }
}

/** A container that is a pod of its own for this check (an operator's model or trainer container). */
export function checkContainerResources(scope: PodScope, c: JsonRecord, path: string, out: Finding[]): void {
  const max = scope.policy?.maxPerPod;
  if (max === undefined || max.size === 0) return;
  for (const [resource, limit] of max) {
    for (const kind of KINDS) {
      const v = amountOf(c, kind, resource);
      if (Number.isNaN(v))
        pushInvalid(
          scope,
          kind,
          resource,
          rawAmount(c, kind, resource),
          limit,
          key(`${path}.resources.${kind}`, resource),
          out,
        );
      else if (over(v, limit))
        push(scope, kind, resource, v, limit, key(`${path}.resources.${kind}`, resource), out);
    }
  }
}

/** A ResourceRequirements one pod gets as a whole (Trainer's resourcesPerNode): each amount is the pod's. */
export function checkResourceRequirements(
  scope: PodScope,
  r: JsonRecord,
  path: string,
  out: Finding[],
): void {
  const max = scope.policy?.maxPerPod;
  if (max === undefined || max.size === 0) return;
  for (const [resource, limit] of max) {
    for (const kind of KINDS) {
      const v = valueOf(own(rec(own(r, kind)), resource));
      if (over(v, limit)) push(scope, kind, resource, v, limit, key(`${path}.${kind}`, resource), out);
    }
  }
}

function over(value: number, limit: ResourceAmount): boolean {
  // Quantities are decimal fractions; allow for binary floating point when comparing sums.
  return value > limit.value * (1 + 1e-9);
}

function push(
  scope: PodScope,
  kind: Kind,
  resource: string,
  value: number,
  limit: ResourceAmount,
  path: string,
  out: Finding[],
): void {
  out.push({
    code: POD_RESOURCES,
    message:
      `${subject(scope)} ${kind === "requests" ? "requests" : "is limited to"} ${formatAmount(resource, value)} ` +
      `${resource}, over the maximum of ${limit.raw} per pod of tenant "${scope.tenant}"; lower the ` +
      `${kind} or split the work across pods`,
    path,
  });
}

/** The value as written where an effective amount points (deny path only). */
function rawAt(spec: JsonRecord, kind: Kind, resource: string, eff: EffectiveAmount): unknown {
  if (eff.from === "pod") return own(rec(own(rec(own(spec, "resources")), kind)), resource);
  return rawAmount(arr(own(spec, eff.from === "all" ? "containers" : eff.from))[eff.index], kind, resource);
}

/** A hostile value can be megabytes long: the message quotes its start only. */
function quote(raw: unknown): string {
  const s = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? String(raw));
  return s.length <= 40 ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, 24))}... (${s.length} characters)`;
}

function pushInvalid(
  scope: PodScope,
  kind: Kind,
  resource: string,
  raw: unknown,
  limit: ResourceAmount,
  path: string,
  out: Finding[],
): void {
  out.push({
    code: POD_RESOURCES,
    message:
      `${subject(scope)} sets ${resource} ${kind} to ${quote(raw)}, which is not a valid quantity (a ` +
      `non-negative number with an optional suffix such as "500m", "2Gi" or "1e3", at most ` +
      `${MAX_QUANTITY_LENGTH} characters); tenant "${scope.tenant}" caps ${resource} at ${limit.raw} ` +
      `per pod, so it cannot be counted: write it as a valid quantity`,
    path,
  });
}
