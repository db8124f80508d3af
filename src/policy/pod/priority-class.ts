// TG-POD-PRIORITY-CLASS: a pod's priority decides whose pods the scheduler evicts when nodes are
// full, so a tenant that names another tenant's class (or system-node-critical) can preempt other
// tenants' training jobs. A tenant's pods may name its own default (podDefaults.priorityClassName),
// the classes in its allowedPriorityClasses and the classes config lists for everyone
// (pods.globalPriorityClasses). system-* classes are the control plane's: only the global list opens
// them. A tenant with neither a default nor a list may use any class that is neither system-* nor
// another tenant's. No class at all is always fine: the Priority admission plugin then applies the
// cluster's globalDefault class (or priority 0), which no tenant chose. Like node pools, priority
// is shared capacity, not an object: sharedWith does not open another tenant's class.
import { own, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_PRIORITY_CLASS } from "./codes.ts";
import { field } from "./paths.ts";
import { ownTenant, subject, type PodScope } from "./scope.ts";

/** The prefix Kubernetes reserves for its own classes (system-node-critical, system-cluster-critical). */
const SYSTEM_PREFIX = "system-";

export function checkPriorityClass(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const name = str(own(spec, "priorityClassName"));
  if (name === undefined || name === "") return;
  if (scope.ctx.settings.globalPriorityClasses?.has(name) === true) return;
  const policy = scope.policy;
  const path = field(base, "priorityClassName");
  // An unowned namespace has no tenant whose list could apply: only other tenants' classes are kept out.
  if (name.startsWith(SYSTEM_PREFIX) && policy !== undefined) {
    out.push({
      code: POD_PRIORITY_CLASS,
      message:
        `${subject(scope)} uses priority class "${name}", which is reserved for cluster components ` +
        `and would let it preempt every tenant's pods; ${choices(scope)}`,
      path,
    });
    return;
  }
  if (policy !== undefined && (policy.priorityClassName === name || policy.allowedPriorityClasses.has(name)))
    return;
  const owners = scope.ctx.view.priorityClassOwners(name);
  let victim: string | undefined;
  for (const t of owners) if (t !== scope.tenant && (victim === undefined || t < victim)) victim = t;
  if (victim !== undefined) {
    out.push({
      code: POD_PRIORITY_CLASS,
      message:
        `${subject(scope)} uses priority class "${name}" of tenant "${victim}", but the namespace ` +
        `belongs to ${ownTenant(scope)}; its pods would compete with (and could preempt) ` +
        `"${victim}"'s at that tenant's priority; ${choices(scope)}`,
      path,
      victim,
    });
    return;
  }
  if (policy === undefined || !restricted(scope)) return;
  out.push({
    code: POD_PRIORITY_CLASS,
    message: `${subject(scope)} uses priority class "${name}", which ${ownTenant(scope)} may not use; ${choices(scope)}`,
    path,
  });
}

/** A tenant with a default class or an allowed list is limited to them (plus the global list). */
function restricted(scope: PodScope): boolean {
  const p = scope.policy;
  return p !== undefined && (p.priorityClassName !== undefined || p.allowedPriorityClasses.size > 0);
}

/** What the tenant may use instead, built only for a finding. */
function choices(scope: PodScope): string {
  const p = scope.policy;
  const mine = new Set<string>();
  if (p?.priorityClassName !== undefined) mine.add(p.priorityClassName);
  for (const c of p?.allowedPriorityClasses ?? []) if (!c.startsWith(SYSTEM_PREFIX)) mine.add(c);
  for (const c of scope.ctx.settings.globalPriorityClasses ?? []) mine.add(c);
  if (mine.size === 0) return "leave priorityClassName empty or use a class of your own tenant";
  return `use one of ${[...mine]
    .sort()
    .map((c) => `"${c}"`)
    .join(", ")}, or leave priorityClassName empty`;
}
