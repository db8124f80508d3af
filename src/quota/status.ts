// What `kubectl get tenants` shows of a budget: status.quota.used (every budgeted key, as a
// quantity), `display` (used/hard of the GPU, CPU, memory and pod keys, one field per printer
// column: a column's JSONPath cannot name a key with dots and slashes), a one-line summary and
// overBudget (some key used past hard: a budget lowered below usage; running pods are never touched).
import { formatAmount, type ResourceAmount } from "../k8s/pod-amounts.ts";

export interface QuotaDisplay {
  readonly gpus?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
}

export interface QuotaStatus {
  readonly used: Readonly<Record<string, string>>;
  readonly display: QuotaDisplay;
  readonly summary: string;
  readonly overBudget: boolean;
}

/** Quantities are decimal fractions summed in binary floating point: allow for that. */
const SLACK = 1 + 1e-9;

/** The resource name a quota key measures ("limits.memory" -> "memory"). */
function measured(key: string): string {
  return key.startsWith("requests.") || key.startsWith("limits.") ? key.slice(key.indexOf(".") + 1) : key;
}

/** Keys each column shows, first budgeted one wins (the requests form is what the scheduler uses). */
const COLUMNS: readonly [keyof QuotaDisplay, (k: string) => boolean][] = [
  ["gpus", (k) => k.startsWith("requests.") && /\/gpu$/.test(k)],
  ["cpu", (k) => k === "requests.cpu" || k === "cpu" || k === "limits.cpu"],
  ["memory", (k) => k === "requests.memory" || k === "memory" || k === "limits.memory"],
  ["pods", (k) => k === "pods" || k === "count/pods"],
];
const PREFERRED = ["requests.cpu", "cpu", "limits.cpu", "requests.memory", "memory", "limits.memory", "pods"];

function pick(keys: readonly string[], match: (k: string) => boolean): string | undefined {
  const hits = keys.filter(match);
  return hits.sort((a, b) => rank(a) - rank(b))[0];
}

function rank(k: string): number {
  const i = PREFERRED.indexOf(k);
  return i < 0 ? PREFERRED.length : i;
}

/** The status a budget shows, from the tenant's hard values and its usage (counted + pending). */
export function quotaStatus(
  hard: ReadonlyMap<string, ResourceAmount>,
  usage: ReadonlyMap<string, number>,
): QuotaStatus {
  const used: Record<string, string> = {};
  const parts: string[] = [];
  let overBudget = false;
  const keys = [...hard.keys()].sort();
  for (const key of keys) {
    const h = hard.get(key) as ResourceAmount;
    const u = usage.get(key) ?? 0;
    used[key] = u === 0 ? "0" : formatAmount(measured(key), u);
    const over = u > h.value * SLACK;
    overBudget ||= over;
    parts.push(`${key} ${used[key]}/${h.raw}${over ? " (over)" : ""}`);
  }
  const display: Record<string, string> = {};
  for (const [col, match] of COLUMNS) {
    const key = pick(keys, match);
    if (key !== undefined) display[col] = `${used[key]}/${(hard.get(key) as ResourceAmount).raw}`;
  }
  return { used, display, summary: (overBudget ? "over budget: " : "") + parts.join(", "), overBudget };
}
