// TG-POD-NODE-POOL: a tenant's pods may not be placed on another tenant's node pool: not by
// nodeSelector, not by required node affinity (In / matchFields), and not by tolerating another
// pool's taint (key=value, or operator Exists on a pool key, or Exists with no key at all).
// Node pools are not objects: sharedWith does not open them.
import { arr, isRecord, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_NODE_POOL } from "./codes.ts";
import { at, field, key } from "./paths.ts";
import { ownTenant, subject, type PodScope } from "./scope.ts";

export function checkNodePool(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const view = scope.ctx.view;
  const selector = own(spec, "nodeSelector");
  if (isRecord(selector)) {
    for (const k of Object.keys(selector)) {
      const v = selector[k];
      if (typeof v !== "string") continue;
      const owner = view.poolOwner(k, v);
      if (owner !== undefined && owner !== scope.tenant)
        deny(scope, owner, `selects node pool ${k}=${v}`, key(field(base, "nodeSelector"), k), out);
    }
  }
  checkAffinity(scope, spec, base, out);
  const tolerations = arr(own(spec, "tolerations"));
  for (let i = 0; i < tolerations.length; i++) {
    const t = rec(tolerations[i]);
    if (t !== undefined) checkToleration(scope, t, () => at(field(base, "tolerations"), i), out);
  }
}

function checkAffinity(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const required = rec(
    own(
      rec(own(rec(own(spec, "affinity")), "nodeAffinity")),
      "requiredDuringSchedulingIgnoredDuringExecution",
    ),
  );
  const terms = arr(own(required, "nodeSelectorTerms"));
  for (let i = 0; i < terms.length; i++) {
    const term = rec(terms[i]);
    for (const list of ["matchExpressions", "matchFields"] as const) {
      const exprs = arr(own(term, list));
      for (let j = 0; j < exprs.length; j++) {
        const e = rec(exprs[j]);
        const k = str(own(e, "key"));
        if (k === undefined || str(own(e, "operator")) !== "In") continue;
        const values = arr(own(e, "values"));
        for (let n = 0; n < values.length; n++) {
          const v = values[n];
          if (typeof v !== "string") continue;
          const owner = scope.ctx.view.poolOwner(k, v);
          if (owner === undefined || owner === scope.tenant) continue;
          const path =
            `${base === "" ? "" : `${base}.`}affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution` +
            `.nodeSelectorTerms[${i}].${list}[${j}].values[${n}]`;
          deny(scope, owner, `requires node pool ${k}=${v}`, path, out);
        }
      }
    }
  }
}

function checkToleration(scope: PodScope, t: JsonRecord, path: () => string, out: Finding[]): void {
  const view = scope.ctx.view;
  const k = str(own(t, "key")) ?? "";
  const op = str(own(t, "operator")) ?? "Equal";
  if (op === "Exists") {
    if (k === "") {
      // Tolerates every taint: rare (node agents), so looking at every tenant here is fine.
      for (const name of view.tenantNames()) {
        if (name === scope.tenant || !hasPool(scope, name)) continue;
        deny(scope, name, "tolerates every taint, including the node pool", path(), out);
        return;
      }
      return;
    }
    for (const owner of view.poolKeyOwners(k)) {
      if (owner === scope.tenant) continue;
      deny(scope, owner, `tolerates any value of the node pool taint key ${k}`, path(), out);
      return;
    }
    return;
  }
  const v = str(own(t, "value")) ?? "";
  const owner = view.poolOwner(k, v);
  if (owner !== undefined && owner !== scope.tenant)
    deny(scope, owner, `tolerates the node pool taint ${k}=${v}`, path(), out);
}

function hasPool(scope: PodScope, tenant: string): boolean {
  const p = scope.ctx.view.tenant(tenant);
  return p !== undefined && (Object.keys(p.nodeSelector).length > 0 || p.tolerations.length > 0);
}

function deny(scope: PodScope, owner: string, what: string, path: string, out: Finding[]): void {
  out.push({
    code: POD_NODE_POOL,
    message:
      `${subject(scope)} ${what}, which belongs to tenant "${owner}", but the namespace belongs to ` +
      `${ownTenant(scope)}; remove it and use your own tenant's node pool (mutation adds it)`,
    path,
  });
}
