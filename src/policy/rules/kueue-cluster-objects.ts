// TG-KUEUE-CLUSTERQUEUE: Kueue's cluster-scoped objects decide every tenant's share of the cluster.
// A ClusterQueue's tenant label says whose quota it is (TG-KUEUE-LOCALQUEUE reads it); a Cohort can
// lend quota to its ClusterQueues; a ResourceFlavor's nodeLabels steer admitted pods onto nodes; a
// WorkloadPriorityClass lets a workload preempt others; AdmissionChecks, Topologies and the
// MultiKueue and ProvisioningRequest configs decide admission. A tenant identity that could write
// any of them could give itself quota, another team's queue or priority over everyone, so none may
// (exempt admins and Kueue's own controller, which acts for no tenant, may).
import { KUEUE_GROUP } from "../../k8s/kueue.ts";
import { platformWriteFinding } from "../platform-write.ts";
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
    // Status is written by Kueue's controller; a tenant's status write is refused the same.
    const f = platformWriteFinding(ctx, {
      code: KUEUE_CLUSTERQUEUE_CODE,
      what: ctx.request.kind.kind.toLowerCase(),
      why:
        "Kueue's cluster-scoped objects set every tenant's quota, placement and priority, and are " +
        "the platform team's; use a LocalQueue in your namespace pointing at your tenant's ClusterQueue",
      path: ctx.request.operation === "DELETE" ? "metadata.name" : "spec",
    });
    if (f !== undefined) out.push(f);
  },
};
