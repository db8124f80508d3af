// TG-POD-NODE-POOL for a node named outright: spec.nodeName, required affinity matchFields on
// metadata.name (how DaemonSet pods pin their node) and pods/binding. A named node skips the
// scheduler, and the kubelet's admission (GeneralPredicates) checks only NoExecute taints and the
// pod's node selector/affinity, so a NoSchedule pool taint never stops it: the node itself must be
// known, in no other tenant's pool, and in the pod's tenant's pool when it has one.
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import type { NodeInfo, TenantView } from "../../tenancy/view.ts";
import type { Finding } from "../types.ts";
import { POD_NODE_POOL } from "./codes.ts";

/** Whose the pod is, for a node check: a pod scope, or a binding's namespace tenant. */
export interface NodeScope {
  readonly view: TenantView;
  readonly tenant: string | undefined;
  readonly policy: TenantPolicy | undefined;
}

/** `who` is the pod as messages name it, `how` how it reaches the node, `undo` what to remove. */
export interface NodeText {
  readonly who: string;
  readonly how: string;
  readonly undo: string;
}

/** The other tenant whose pool `node` is in (by a label of its nodeSelector, or a taint it tolerates). */
function otherPool(scope: NodeScope, node: NodeInfo): { owner: string; by: string } | undefined {
  const { view } = scope;
  for (const k of Object.keys(node.labels)) {
    const v = node.labels[k] as string;
    const owner = view.poolOwner(k, v);
    if (owner !== undefined && owner !== scope.tenant) return { owner, by: `label ${k}=${v}` };
  }
  for (const t of node.taints) {
    const owner = view.poolTaintOwner(t.key, t.value);
    if (owner !== undefined && owner !== scope.tenant)
      return { owner, by: `taint ${t.key}=${t.value}:${t.effect}` };
  }
  return undefined;
}

/** The first label of the tenant's pool selector the node lacks, as `k=v`, or undefined. */
function missingPoolLabel(policy: TenantPolicy | undefined, node: NodeInfo): string | undefined {
  if (policy === undefined) return undefined;
  for (const [k, v] of Object.entries(policy.nodeSelector)) {
    if (!Object.hasOwn(node.labels, k) || node.labels[k] !== v) return `${k}=${v}`;
  }
  return undefined;
}

/** Kubernetes names are at most 253 characters; a longer one only comes from a hostile caller. */
const NAME_MAX = 253;

/** Checks the node called `name`: known, in no other tenant's pool, in the tenant's own pool. */
export function checkNamedNode(
  scope: NodeScope,
  name: string,
  text: NodeText,
  path: string,
  out: Finding[],
): void {
  const shown = name.length <= NAME_MAX ? name : `${name.slice(0, NAME_MAX)}…(${name.length} chars)`;
  const mine = scope.tenant === undefined ? "no tenant" : `tenant "${scope.tenant}"`;
  const node = scope.view.node(name);
  if (node === undefined) {
    out.push({
      code: POD_NODE_POOL,
      message:
        `${text.who} ${text.how} "${shown}", which the directory does not know, so its node pool cannot ` +
        `be checked; ${text.undo} and let the scheduler place the pod on your tenant's node pool (a new ` +
        `node is known once tenant-guard has seen it)`,
      path,
    });
    return;
  }
  const other = otherPool(scope, node);
  if (other !== undefined) {
    out.push({
      code: POD_NODE_POOL,
      message:
        `${text.who} ${text.how} "${shown}", which is in the node pool of tenant "${other.owner}" ` +
        `(${other.by}), but the namespace belongs to ${mine}; ${text.undo} and let the scheduler ` +
        `place the pod on your own tenant's node pool`,
      path,
      victim: other.owner,
    });
    return;
  }
  const missing = missingPoolLabel(scope.policy, node);
  if (missing !== undefined) {
    out.push({
      code: POD_NODE_POOL,
      message:
        `${text.who} ${text.how} "${shown}", which is outside the node pool of ${mine} (the node ` +
        `lacks ${missing}); pods of the tenant stay on its pool: ${text.undo} or name a node of the pool`,
      path,
    });
  }
}
