// A claim's spec.selector (metav1.LabelSelector) evaluated against a PersistentVolume's labels, as
// the PV controller does (metav1.LabelSelectorAsSelector): every matchLabels pair and every
// matchExpression must hold; an empty selector ({}) matches everything. Linear in the selector and
// the labels; no regular expressions. An operator the API server would reject matches nothing.
import { arr, isRecord, own, rec, str, type JsonRecord } from "../../k8s/access.ts";

interface Requirement {
  readonly key: string;
  readonly op: "In" | "NotIn" | "Exists" | "DoesNotExist" | "invalid";
  readonly values: ReadonlySet<string>;
}

export interface CompiledSelector {
  readonly labels: readonly (readonly [string, string])[];
  readonly requirements: readonly Requirement[];
}

const NO_VALUES: ReadonlySet<string> = new Set();

/** Undefined when the claim has no selector at all (binding then ignores labels). */
export function compileSelector(selector: unknown): CompiledSelector | undefined {
  const s = rec(selector);
  if (s === undefined) return undefined;
  const labels: [string, string][] = [];
  const ml = own(s, "matchLabels");
  if (isRecord(ml)) for (const k of Object.keys(ml)) labels.push([k, String(ml[k])]);
  const requirements: Requirement[] = [];
  for (const e of arr(own(s, "matchExpressions"))) {
    const expr: JsonRecord | undefined = rec(e);
    const key = str(own(expr, "key")) ?? "";
    const raw = str(own(expr, "operator"));
    const op =
      raw === "In" || raw === "NotIn" || raw === "Exists" || raw === "DoesNotExist" ? raw : "invalid";
    const vals = arr(own(expr, "values"));
    const values = vals.length === 0 ? NO_VALUES : new Set(vals.filter((v) => typeof v === "string"));
    requirements.push({ key, op, values });
  }
  return { labels, requirements };
}

export function selectorMatches(sel: CompiledSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of sel.labels) if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  for (const r of sel.requirements) {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case "In":
        if (!has || !r.values.has(labels[r.key] as string)) return false;
        break;
      case "NotIn":
        if (has && r.values.has(labels[r.key] as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
