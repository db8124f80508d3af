// TG-POD-NODE-POOL: a tenant's pods may not be placed on another tenant's node pool: not by
// nodeSelector, not by required node affinity (In), not by tolerating another pool's taint
// (key=value, or operator Exists on a pool key, or Exists with no key at all), and not by naming a
// node (spec.nodeName, matchFields metadata.name: see node-name.ts). A tenant with a pool may not
// leave it either: another value of its own pool key (one no tenant owns included), NotIn its own
// value, DoesNotExist, Gt or Lt on its pool key. Node pools are not objects: sharedWith does not
// open them.
import { arr, isRecord, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_NODE_POOL } from "./codes.ts";
import { checkNamedNode, type NodeScope, type NodeText } from "./node-name.ts";
import { at, field, key } from "./paths.ts";
import { ownTenant, subject, type PodScope } from "./scope.ts";

/** The field matchFields can select on: the node's name (the only one the API server accepts). */
const NODE_NAME_FIELD = "metadata.name";

export function checkNodePool(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const view = scope.ctx.view;
  const selector = own(spec, "nodeSelector");
  if (isRecord(selector)) {
    for (const k of Object.keys(selector)) {
      const v = selector[k];
      if (typeof v !== "string") continue;
      // The path is built only for a finding: the allow path allocates nothing per key.
      const owner = view.poolOwner(k, v);
      if (owner !== undefined && owner !== scope.tenant)
        deny(scope, owner, `selects node pool ${k}=${v}`, key(field(base, "nodeSelector"), k), out);
      else if (leavesPool(scope, k, v))
        leave(scope, k, `selects ${k}=${v}`, key(field(base, "nodeSelector"), k), out);
    }
  }
  const nodeName = str(own(spec, "nodeName"));
  if (nodeName !== undefined && nodeName !== "")
    checkNamedNode(
      nodeScope(scope),
      nodeName,
      podText(scope, "runs on node", field(base, "nodeName")),
      field(base, "nodeName"),
      out,
    );
  checkAffinity(scope, spec, base, out);
  const tolerations = arr(own(spec, "tolerations"));
  for (let i = 0; i < tolerations.length; i++) {
    const t = rec(tolerations[i]);
    if (t !== undefined) checkToleration(scope, t, () => at(field(base, "tolerations"), i), out);
  }
}

function nodeScope(scope: PodScope): NodeScope {
  return { view: scope.ctx.view, tenant: scope.tenant, policy: scope.policy };
}

function podText(scope: PodScope, how: string, fieldName: string): NodeText {
  return { who: subject(scope), how, undo: `remove ${fieldName}` };
}

/** True when `k` is a key of the tenant's own pool selector and `v` is not its value there. */
function leavesPool(scope: PodScope, k: string, v: string): boolean {
  const own = ownPoolValue(scope, k);
  return own !== undefined && own !== v;
}

function ownPoolValue(scope: PodScope, k: string): string | undefined {
  const sel = scope.policy?.nodeSelector;
  return sel !== undefined && Object.hasOwn(sel, k) ? sel[k] : undefined;
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
        if (k === undefined) continue;
        const exprPath = (): string =>
          `${base === "" ? "" : `${base}.`}affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution` +
          `.nodeSelectorTerms[${i}].${list}[${j}]`;
        if (list === "matchFields") checkFieldExpression(scope, e, k, exprPath, out);
        else checkLabelExpression(scope, e, k, exprPath, out);
      }
    }
  }
}

/** matchFields: `metadata.name In [...]` names nodes, each checked like spec.nodeName. */
function checkFieldExpression(
  scope: PodScope,
  e: JsonRecord | undefined,
  k: string,
  exprPath: () => string,
  out: Finding[],
): void {
  if (k !== NODE_NAME_FIELD || str(own(e, "operator")) !== "In") return;
  const values = arr(own(e, "values"));
  for (let n = 0; n < values.length; n++) {
    const v = values[n];
    if (typeof v !== "string") continue;
    const text = podText(scope, "requires node", "the matchFields term");
    checkNamedNode(nodeScope(scope), v, text, `${exprPath()}.values[${n}]`, out);
  }
}

function checkLabelExpression(
  scope: PodScope,
  e: JsonRecord | undefined,
  k: string,
  exprPath: () => string,
  out: Finding[],
): void {
  const op = str(own(e, "operator"));
  const values = arr(own(e, "values"));
  const mine = ownPoolValue(scope, k);
  if (op === "In") {
    for (let n = 0; n < values.length; n++) {
      const v = values[n];
      if (typeof v !== "string") continue;
      const owner = scope.ctx.view.poolOwner(k, v);
      if (owner !== undefined && owner !== scope.tenant)
        deny(scope, owner, `requires node pool ${k}=${v}`, `${exprPath()}.values[${n}]`, out);
      else if (mine !== undefined && mine !== v)
        leave(scope, k, `requires ${k}=${v}`, `${exprPath()}.values[${n}]`, out);
    }
    return;
  }
  if (mine === undefined) return;
  if (op === "NotIn") {
    for (let n = 0; n < values.length; n++) {
      if (values[n] === mine) leave(scope, k, `excludes ${k}=${mine}`, `${exprPath()}.values[${n}]`, out);
    }
  } else if (op === "DoesNotExist" || op === "Gt" || op === "Lt") {
    leave(scope, k, `requires ${k} ${op}`, exprPath(), out);
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
    victim: owner,
  });
}

/** A tenant with a pool reaching outside it on its own pool key (a value no tenant owns included). */
function leave(scope: PodScope, k: string, what: string, path: string, out: Finding[]): void {
  out.push({
    code: POD_NODE_POOL,
    message:
      `${subject(scope)} ${what}, outside the node pool of ${ownTenant(scope)} ` +
      `(${k}=${ownPoolValue(scope, k) ?? ""}); pods of the tenant may not leave its pool: remove it ` +
      `(mutation adds the pool's nodeSelector)`,
    path,
  });
}
