// TG-KUEUE-LOCALQUEUE: a Kueue LocalQueue is how a namespace's jobs reach a ClusterQueue's quota.
// Kueue lets any LocalQueue name any ClusterQueue whose namespaceSelector matches (often {}), so a
// tenant could queue its jobs on another team's GPUs. In a tenant namespace a LocalQueue may point
// (spec.clusterQueue) only at a ClusterQueue that is
// - the tenant's own: it carries the tenant label naming the tenant;
// - shared with it: its tenant-guard.dev/shared-with annotation lists the tenant (or "*"), or its
//   owner's Tenant lists the tenant in spec.sharedWith.
// A ClusterQueue with neither label nor annotation is the platform's and is shared with no tenant.
// One the directory does not know is denied like an unknown node: it cannot be checked (a new one is
// known once tenant-guard has seen it). spec.clusterQueue is immutable in Kueue (v1beta1 and
// v1beta2), so an UPDATE is judged only when it changes it.
import { own, rec, str } from "../../k8s/access.ts";
import { KUEUE_GROUP } from "../../k8s/kueue.ts";
import { objectName } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const KUEUE_LOCALQUEUE_CODE = "TG-KUEUE-LOCALQUEUE";

/** Kubernetes names are at most 253 characters; a longer one only comes from a hostile caller. */
const NAME_MAX = 253;
const PATH = "spec.clusterQueue";

function clusterQueueOf(obj: unknown): string | undefined {
  const v = str(own(rec(own(rec(obj), "spec")), "clusterQueue"));
  return v === "" ? undefined : v;
}

/** Why `tenant` may use ClusterQueue `name`, or undefined when it may not. */
function mayUse(ctx: RuleContext, tenant: string, name: string): { ok: boolean; owner?: string } {
  const cq = ctx.view.clusterQueue(name);
  if (cq === undefined) return { ok: false };
  if (cq.tenant === tenant || cq.sharedWith.has(tenant) || cq.sharedWith.has("*")) return { ok: true };
  if (cq.tenant !== undefined && ctx.view.tenant(cq.tenant)?.sharedWith.has(tenant) === true)
    return { ok: true };
  return { ok: false, owner: cq.tenant ?? "" };
}

export const kueueLocalQueueRule: Rule = {
  code: KUEUE_LOCALQUEUE_CODE,
  summary:
    "a LocalQueue in a tenant namespace may only point at a ClusterQueue of that tenant or shared with it",
  match: [{ group: KUEUE_GROUP, resource: "localqueues" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, namespaceTenant: tenant, view } = ctx;
    if (tenant === undefined || req.subResource !== "") return;
    const name = clusterQueueOf(req.object);
    // No ClusterQueue named: the LocalQueue admits nothing, so it crosses nothing.
    if (name === undefined) return;
    if (req.operation === "UPDATE" && req.oldObject !== undefined && clusterQueueOf(req.oldObject) === name)
      return;
    const lq = `localqueue "${objectName(req)}" in namespace "${req.namespace}"`;
    const shown = name.length <= NAME_MAX ? name : `${name.slice(0, NAME_MAX)}…(${name.length} chars)`;
    if (!view.clusterQueuesKnown()) {
      out.push({
        code: KUEUE_LOCALQUEUE_CODE,
        message:
          `${lq} points at ClusterQueue "${shown}", but tenant-guard does not watch ClusterQueues, so ` +
          `whose it is cannot be checked; a cluster admin sets kueue.watchClusterQueues: true in ` +
          `tenant-guard's config`,
        path: PATH,
      });
      return;
    }
    const use = mayUse(ctx, tenant, name);
    if (use.ok) return;
    if (use.owner === undefined) {
      out.push({
        code: KUEUE_LOCALQUEUE_CODE,
        message:
          `${lq} points at ClusterQueue "${shown}", which the directory does not know, so whose it ` +
          `is cannot be checked; point it at a ClusterQueue of tenant "${tenant}" or shared with it ` +
          `(a new ClusterQueue is known once tenant-guard has seen it)`,
        path: PATH,
      });
      return;
    }
    const whose = use.owner === "" ? "the platform's (no tenant label)" : `tenant "${use.owner}"'s`;
    out.push({
      code: KUEUE_LOCALQUEUE_CODE,
      message:
        `${lq} points at ClusterQueue "${shown}", which is ${whose} and not shared with tenant ` +
        `"${tenant}": its jobs would use that queue's quota; point it at a ClusterQueue labelled for ` +
        `"${tenant}", or ask its owner to share it (annotation tenant-guard.dev/shared-with)`,
      path: PATH,
      ...(use.owner === "" ? {} : { victim: use.owner }),
    });
  },
};
