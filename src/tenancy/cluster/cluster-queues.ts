// The clusterqueues informer's part (config kueue.watchClusterQueues): Kueue ClusterQueues listed
// and watched as metadata only (their tenant label and shared-with annotation are all
// TG-KUEUE-LOCALQUEUE reads), cut down to ClusterQueueInfo as each item or event arrives.
import type { TenantIndex } from "../tenant-index.ts";
import { clusterQueueInfo } from "../cluster-queue.ts";
import type { ClusterQueueInfo } from "../view.ts";
import type { Handlers } from "./handlers.ts";
import type { SlimObject, Slimmer } from "./slim.ts";

export type SlimClusterQueue = SlimObject & { readonly clusterQueue: ClusterQueueInfo };

export function slimClusterQueue(tenantLabel: string): Slimmer {
  return (obj): SlimClusterQueue => {
    const clusterQueue = clusterQueueInfo(obj, tenantLabel);
    const rv = (obj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    return {
      metadata: { name: clusterQueue.name, resourceVersion: typeof rv === "string" ? rv : undefined },
      clusterQueue,
    };
  };
}

export function clusterQueueHandlers(index: TenantIndex): Handlers {
  const upsert = (o: SlimObject): void => {
    const cq = (o as Partial<SlimClusterQueue>).clusterQueue;
    if (cq !== undefined) index.upsertClusterQueue(cq);
  };
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => index.deleteClusterQueue(o.metadata.name),
  };
}
