// A pod's amounts of a resource as the API server counts them: quantities read once (bounded,
// linear), and a pod spec's effective request or limit. Shared by the per-pod caps
// (policy/pod/resources.ts) and the team budgets (quota/), which sit on different floors.
import { arr, own, rec, str, type JsonRecord } from "./access.ts";
import { MAX_QUANTITY_LENGTH, parseQuantity } from "./quantity.ts";

/** A quantity as a Tenant writes it, parsed once. */
export interface ResourceAmount {
  /** As written in the Tenant ("500m"), for patches. */
  readonly raw: string;
  /** In base units (cores, bytes, devices), for comparisons. */
  readonly value: number;
}

export const KINDS = ["requests", "limits"] as const;
export type Kind = (typeof KINDS)[number];

export interface EffectiveAmount {
  /** NaN when a value that counts is not a valid quantity; `from`/`index` then point at it. */
  readonly value: number;
  /** Where the amount comes from: the pod-level resources, one container, or all app containers. */
  readonly from: "pod" | "initContainers" | "containers" | "all";
  readonly index: number;
}

// The same few quantity strings ("250m", "512Mi") come back in every pod: remember their values
// instead of scanning them each time. Bounded in count, and only short strings are kept (longer
// ones are refused by their length at once), so hostile input cannot grow it.
const parsed = new Map<string, number>();
const PARSED_MAX = 4096;

/** Above this (2^63, the API server's own cap for binary quantities) a value is not a real amount. */
const ABSURD = 2 ** 63;

/** A number that can be compared with a cap, or NaN. */
function checked(v: number | undefined): number {
  return v !== undefined && v >= 0 && v <= ABSURD ? v : Number.NaN;
}

/** The quantity's value in base units; NaN when it is not a valid, non-negative, sane quantity. */
export function quantityValue(q: string): number {
  if (q.length > MAX_QUANTITY_LENGTH) return Number.NaN;
  let v = parsed.get(q);
  if (v === undefined) {
    v = checked(parseQuantity(q));
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(q, v);
  }
  return v;
}

/** A quantity as written: a string ("500m"), or a number where a CRD keeps int-or-string as is. */
export function valueOf(q: unknown): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === "string") return quantityValue(q);
  return typeof q === "number" ? checked(parseQuantity(q)) : Number.NaN;
}

export function rawAmount(c: unknown, kind: Kind, resource: string): unknown {
  return own(rec(own(rec(own(rec(c), "resources")), kind)), resource);
}

export function amountOf(c: unknown, kind: Kind, resource: string): number {
  return valueOf(rawAmount(c, kind, resource));
}

/** The pod's effective amount of `resource` (0 when nothing asks for it). */
export function effectiveAmount(spec: JsonRecord, kind: Kind, resource: string): EffectiveAmount {
  const podLevel = own(rec(own(rec(own(spec, "resources")), kind)), resource);
  if (podLevel !== undefined) return { value: valueOf(podLevel), from: "pod", index: 0 };
  let app = 0;
  let contributors = 0;
  let last = 0;
  const containers = arr(own(spec, "containers"));
  for (let i = 0; i < containers.length; i++) {
    const v = amountOf(containers[i], kind, resource);
    if (Number.isNaN(v)) return { value: v, from: "containers", index: i };
    if (v > 0) {
      app += v;
      contributors++;
      last = i;
    }
  }
  let sidecars = 0;
  let initMax = 0;
  let initAt = -1;
  const inits = arr(own(spec, "initContainers"));
  for (let i = 0; i < inits.length; i++) {
    const v = amountOf(inits[i], kind, resource);
    if (Number.isNaN(v)) return { value: v, from: "initContainers", index: i };
    if (v === 0) continue;
    if (str(own(rec(inits[i]), "restartPolicy")) === "Always") {
      sidecars += v;
    } else if (v + sidecars > initMax) {
      initMax = v + sidecars;
      initAt = i;
    }
  }
  if (initMax > app + sidecars) return { value: initMax, from: "initContainers", index: initAt };
  if (contributors === 1 && sidecars === 0) return { value: app, from: "containers", index: last };
  return { value: app + sidecars, from: "all", index: 0 };
}

export function formatAmount(resource: string, v: number): string {
  const bytes = resource === "memory" || resource.includes("storage") || resource.startsWith("hugepages-");
  if (bytes) {
    for (const [unit, size] of [
      ["Ti", 2 ** 40],
      ["Gi", 2 ** 30],
      ["Mi", 2 ** 20],
      ["Ki", 2 ** 10],
    ] as const)
      if (v >= size) return `${Number((v / size).toFixed(2))}${unit}`;
    return String(v);
  }
  if (resource === "cpu" && v < 1) return `${Math.round(v * 1000)}m`;
  return String(Number(v.toFixed(3)));
}
