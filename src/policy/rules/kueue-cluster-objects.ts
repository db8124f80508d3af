// TG-KUEUE-CLUSTERQUEUE: Kueue's cluster-scoped objects decide every tenant's share of the cluster.
// A ClusterQueue's tenant label says whose quota it is (TG-KUEUE-LOCALQUEUE reads it); a Cohort can
// lend quota to its ClusterQueues; a ResourceFlavor's nodeLabels steer admitted pods onto nodes; a
// WorkloadPriorityClass lets a workload preempt others; AdmissionChecks, Topologies and the
// MultiKueue and ProvisioningRequest configs decide admission. A tenant identity that could write
// any of them could give itself quota, another team's queue or priority over everyone, so none may
// (exempt admins and Kueue's own controller, which acts for no tenant, may).
import { KUEUE_GROUP } from "../../k8s/kueue.ts";
import { labelOf } from "../../k8s/access.ts";
import { objectName } from "../messages.ts";
import { tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const KUEUE_CLUSTERQUEUE_CODE = "TG-KUEUE-CLUSTERQUEUE";

/** Kueue's cluster-scoped resources (kueue.x-k8s.io, every served version). */
const KUEUE_CLUSTER_RESOURCES: readonly string[] = [
  "clusterqueues",
  "cohorts",
  "resourceflavors",
  "workloadpriorityclasses",
  "admissionchecks",
  "topologies",
  "multikueueclusters",
  "multikueueconfigs",
  "provisioningrequestconfigs",
];

export const kueueClusterObjectsRule: Rule = {
  code: KUEUE_CLUSTERQUEUE_CODE,
  summary:
    "a tenant identity may not create, change or delete Kueue's cluster-scoped objects (ClusterQueues, Cohorts, ResourceFlavors...)",
  match: KUEUE_CLUSTER_RESOURCES.map((resource) => ({ group: KUEUE_GROUP, resource })),
  operations: ["CREATE", "UPDATE", "DELETE"],
  judgesRequester: true,
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, settings } = ctx;
    if (requester.exempt || requester.tenants.size === 0) return;
    // Status is written by Kueue's controller; a tenant's status write is refused the same.
    const owner = labelOf(req.oldObject ?? req.object, settings.tenantLabel);
    const other = owner !== undefined && owner !== "" && !requester.tenants.has(owner) ? owner : undefined;
    out.push({
      code: KUEUE_CLUSTERQUEUE_CODE,
      message:
        `"${requester.username}" acts for tenant ${tenantList(requester.tenants)} and may not ` +
        `${req.operation.toLowerCase()} ${req.kind.kind.toLowerCase()} "${objectName(req)}"` +
        `${other === undefined ? "" : ` of tenant "${other}"`}: Kueue's cluster-scoped objects set ` +
        `every tenant's quota, placement and priority, and are the platform team's; use a ` +
        `LocalQueue in your namespace pointing at your tenant's ClusterQueue`,
      path: req.operation === "DELETE" ? "metadata.name" : "spec",
      tenant: [...requester.tenants].sort()[0],
      ...(other === undefined ? {} : { victim: other }),
    });
  },
};
