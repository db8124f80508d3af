// TG-POD-RUNTIME-CLASS: a RuntimeClass picks the container runtime handler (runc, gVisor, Kata,
// the NVIDIA runtime). A platform that runs a tenant sandboxed, or on the NVIDIA handler only,
// lists the classes in allowedRuntimeClasses; a pod naming another class would leave the sandbox
// (or get a handler's host access). Absent list: any class. The tenant's default
// (podDefaults.runtimeClassName) is always allowed, and no class at all is the node's default
// handler, which no tenant chose. Runtime classes are cluster-scoped capacity, not a tenant's
// object: sharedWith does not apply.
import { own, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_RUNTIME_CLASS } from "./codes.ts";
import { field } from "./paths.ts";
import { ownTenant, subject, type PodScope } from "./scope.ts";

export function checkRuntimeClass(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const allowed = scope.policy?.allowedRuntimeClasses;
  if (allowed === undefined) return;
  const name = str(own(spec, "runtimeClassName"));
  if (name === undefined || name === "" || allowed.has(name) || scope.policy?.runtimeClassName === name)
    return;
  out.push({
    code: POD_RUNTIME_CLASS,
    message:
      `${subject(scope)} uses runtime class "${name}", which ${ownTenant(scope)} may not use; ` +
      `${allowedList(scope, allowed)}, or leave runtimeClassName empty`,
    path: field(base, "runtimeClassName"),
  });
}

/** The classes the tenant may name, built only for a finding. */
function allowedList(scope: PodScope, allowed: ReadonlySet<string>): string {
  const all = new Set(allowed);
  const d = scope.policy?.runtimeClassName;
  if (d !== undefined) all.add(d);
  if (all.size === 0) return "its allowedRuntimeClasses list is empty";
  return `use one of ${[...all]
    .sort()
    .map((c) => `"${c}"`)
    .join(", ")}`;
}
