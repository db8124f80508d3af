// The straw man the scaling table compares against: a checker that keeps the platform as lists and
// answers "which tenant owns this namespace, and does it own this service account?" by walking every
// tenant and every workload (O(tenants x workloads) per request), as a first script would.
import type { JsonRecord } from "../src/k8s/access.ts";
import { LABEL } from "./platform.ts";

interface NaiveTenant {
  readonly name: string;
  readonly namespaces: string[];
  readonly serviceAccounts: { namespace: string; name: string }[];
}

export function naiveWorld(objects: readonly JsonRecord[]): NaiveTenant[] {
  // Built with a map (building is not what is compared); answered by scanning, as the straw man does.
  const tenants = new Map<string, NaiveTenant>();
  for (const o of objects) {
    const md = o.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
    if (o.kind === "Tenant") tenants.set(md.name, { name: md.name, namespaces: [], serviceAccounts: [] });
    const owner = tenants.get(md.labels?.[LABEL] ?? md.namespace ?? "");
    if (o.kind === "Namespace") owner?.namespaces.push(md.name);
    if (o.kind === "ServiceAccount")
      owner?.serviceAccounts.push({ namespace: md.namespace ?? "", name: md.name });
  }
  return [...tenants.values()];
}

/** True when the pod's namespace and service account belong to the same tenant. */
export function naiveCheck(tenants: readonly NaiveTenant[], review: JsonRecord): boolean {
  const req = review.request as { namespace: string; object: { spec: { serviceAccountName?: string } } };
  const sa = req.object.spec.serviceAccountName ?? "default";
  let nsTenant: string | undefined;
  let saTenant: string | undefined;
  for (const t of tenants) {
    if (t.namespaces.includes(req.namespace)) nsTenant = t.name;
    for (const s of t.serviceAccounts) if (s.namespace === req.namespace && s.name === sa) saTenant = t.name;
  }
  return nsTenant !== undefined && nsTenant === saTenant;
}
