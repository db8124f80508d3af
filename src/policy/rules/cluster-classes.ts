// TG-CLUSTER-CLASS: the cluster-scoped classes every tenant's objects name decide those objects'
// traffic, placement, storage and devices. An IngressClass or StorageClass marked default is
// written into every other tenant's class-less Ingress or claim; a GatewayClass names the
// controller of every Gateway that uses it; a PriorityClass with globalDefault lands in every pod,
// and any PriorityClass lets its pods preempt others; a RuntimeClass's scheduling adds its
// nodeSelector and tolerations to every pod that uses it; a DeviceClass's selectors decide which
// devices every claim naming it gets, as a VolumeAttributesClass decides what a volume is changed
// to. A tenant identity that could write one could steer other tenants' objects, so none may
// (exempt admins and identities that act for no tenant, such as the platform team, may). The
// sibling of TG-PV-TENANT and TG-KUEUE-CLUSTERQUEUE for the classes.
import { platformWriteFinding } from "../platform-write.ts";
import type { Finding, ResourceMatch, Rule, RuleContext } from "../types.ts";

const CLUSTER_CLASS_CODE = "TG-CLUSTER-CLASS";
const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** The cluster-scoped classes (every served version; gatewayclasses routed by the gateway-api component). */
const CLUSTER_CLASSES: readonly ResourceMatch[] = [
  { group: "networking.k8s.io", resource: "ingressclasses" },
  { group: GATEWAY_GROUP, resource: "gatewayclasses" },
  { group: "storage.k8s.io", resource: "storageclasses" },
  { group: "storage.k8s.io", resource: "volumeattributesclasses" },
  { group: "scheduling.k8s.io", resource: "priorityclasses" },
  { group: "node.k8s.io", resource: "runtimeclasses" },
  { group: "resource.k8s.io", resource: "deviceclasses" },
];

export const clusterClassRule: Rule = {
  code: CLUSTER_CLASS_CODE,
  summary:
    "a tenant identity may not create, change or delete cluster-scoped classes (IngressClass, GatewayClass, StorageClass, VolumeAttributesClass, PriorityClass, RuntimeClass, DeviceClass)",
  match: CLUSTER_CLASSES,
  operations: ["CREATE", "UPDATE", "DELETE"],
  judgesRequester: true,
  check(ctx: RuleContext, out: Finding[]): void {
    const f = platformWriteFinding(ctx, {
      code: CLUSTER_CLASS_CODE,
      what: ctx.request.kind.kind.toLowerCase(),
      why:
        "a cluster-scoped class decides the traffic, placement, storage or devices of every " +
        "tenant's objects that name it (or, as a default, of those that name none) and is the " +
        "platform team's; ask a cluster admin, or use the classes your Tenant allows",
      path: ctx.request.operation === "DELETE" ? "metadata.name" : "metadata",
    });
    if (f !== undefined) out.push(f);
  },
};
