// A live namespace whose pinned labels (spec.namespaces.labels, the Pod Security levels) drifted: set
// by hand before tenant-guard ran, changed by an admin, or pinned on the Tenant after the namespace
// was made. Admission cannot see it (the /mutate patch would set them on a create, and the audit asks
// "what if this were created now"), so an audit of what exists reports it as TG-NS-LABELS itself.
import { labelOf, nameOf, type JsonRecord } from "../k8s/access.ts";
import { NS_LABELS_CODE, isReservedKey } from "../policy/rules/namespace-options.ts";
import { labelPath } from "../policy/messages.ts";
import type { Finding } from "../policy/types.ts";
import type { TenantView } from "../tenancy/view.ts";

export function namespaceLabelDrift(ns: JsonRecord, view: TenantView, tenantLabel: string): Finding[] {
  const tenant = labelOf(ns, tenantLabel);
  const pinned = tenant ? view.tenant(tenant)?.spec.namespaces?.labels : undefined;
  if (!tenant || pinned === undefined) return [];
  const name = nameOf(ns) ?? "(no name)";
  const out: Finding[] = [];
  for (const key of Object.keys(pinned)) {
    if (isReservedKey(key, tenantLabel)) continue;
    const want = pinned[key] as string;
    const now = labelOf(ns, key);
    if (now === want) continue;
    const has = now === undefined ? `lacks label "${key}"` : `has label "${key}": "${now}"`;
    out.push({
      code: NS_LABELS_CODE,
      message:
        `namespace "${name}" of tenant "${tenant}" ${has}, but the tenant pins "${key}": "${want}" ` +
        `(spec.namespaces.labels); set it back: kubectl label namespace ${name} ${key}=${want} --overwrite`,
      path: labelPath(key),
      tenant,
    });
  }
  return out;
}
