// TG-SA-CLOUD-IDENTITY: cloud workload identity is bound by an annotation on the service account
// (EKS IRSA role ARN, GKE Workload Identity service account, Azure workload identity client id).
// Whoever writes the annotation chooses which cloud identity the pods get, so a value must match
// one of the tenant's spec.cloudIdentities globs. A tenant with no cloudIdentities gets none: the
// safe default is that an unconfigured tenant holds no cloud credentials. In a namespace no tenant
// owns, only values another tenant's patterns claim are denied (stealing that tenant's identity).
// On UPDATE only annotations whose value changed are judged, so a pre-existing value does not block
// unrelated updates (offline audit still reports it).
import { mapGet, metadataOf, own } from "../../k8s/access.ts";
import type { TenantView } from "../../tenancy/view.ts";
import { objectRef } from "../messages.ts";
import { tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const SA_CLOUD_IDENTITY_CODE = "TG-SA-CLOUD-IDENTITY";
const CLOUD_IDENTITY_ANNOTATIONS = [
  "eks.amazonaws.com/role-arn",
  "iam.gke.io/gcp-service-account",
  "azure.workload.identity/client-id",
] as const;

function matchesTenant(view: TenantView, tenant: string, value: string): boolean {
  const patterns = view.tenant(tenant)?.cloudIdentities ?? [];
  return patterns.some((p) => p.test(value));
}

/** Tenants other than `except` whose cloudIdentities patterns claim the value (deny path only). */
function claimants(view: TenantView, value: string, except: string | undefined): string[] {
  const out: string[] = [];
  for (const t of view.tenantNames()) if (t !== except && matchesTenant(view, t, value)) out.push(t);
  return out;
}

export const saCloudIdentityRule: Rule = {
  code: SA_CLOUD_IDENTITY_CODE,
  summary: "service-account cloud identity annotations must match the tenant's cloudIdentities",
  match: [{ group: "", resource: "serviceaccounts" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    if (req.namespace === "") return;
    const annotations = own(metadataOf(req.object), "annotations");
    const oldAnnotations = own(metadataOf(req.oldObject), "annotations");
    const mine = ctx.namespaceTenant;
    for (const key of CLOUD_IDENTITY_ANNOTATIONS) {
      const value = mapGet(annotations, key);
      if (value === undefined || value === "") continue;
      if (req.operation === "UPDATE" && mapGet(oldAnnotations, key) === value) continue;
      if (mine !== undefined && matchesTenant(view, mine, value)) continue;
      const others = claimants(view, value, mine);
      if (mine === undefined && others.length === 0) continue;
      const configured = mine !== undefined && (view.tenant(mine)?.cloudIdentities.length ?? 0) > 0;
      const whose = others.length > 0 ? `; the value belongs to tenant ${tenantList(others)}` : "";
      const why =
        mine === undefined
          ? `is in a namespace no tenant owns`
          : configured
            ? `is outside tenant "${mine}"'s spec.cloudIdentities`
            : `is not allowed: tenant "${mine}" has no spec.cloudIdentities, so it may bind no cloud identity`;
      out.push({
        code: SA_CLOUD_IDENTITY_CODE,
        message:
          `${objectRef(req)} binds cloud identity "${value}", which ${why}${whose}; use an identity ` +
          `listed for ${mine === undefined ? "the namespace's tenant" : `tenant "${mine}"`} or ask ` +
          `a cluster admin to add it to the Tenant's spec.cloudIdentities`,
        path: `metadata.annotations["${key}"]`,
        ...(others.length > 0 ? { victim: others[0] } : {}),
      });
    }
  },
};
