// The clusterqueues informer's part (config kueue.watchClusterQueues): Kueue ClusterQueues listed
// and watched as metadata only (their tenant label and shared-with annotation are all
// TG-KUEUE-LOCALQUEUE reads), cut down to ClusterQueueInfo as each item or event arrives.
import type { TenantIndex } from "../tenant-index.ts";
import { clusterQueueInfo } from "../cluster-queue.ts";
import type { ClusterQueueInfo } from "../view.ts";
import type { Handlers } from "./handlers.ts";
import { namedRecordHandlers, namedRecordSlimmer } from "./named-records.ts";
import type { Slimmer } from "./slim.ts";

export const slimClusterQueue = (tenantLabel: string): Slimmer =>
  namedRecordSlimmer(clusterQueueInfo, tenantLabel);

export const clusterQueueHandlers = (index: TenantIndex): Handlers =>
  namedRecordHandlers<ClusterQueueInfo>(
    (cq) => index.upsertClusterQueue(cq),
    (name) => index.deleteClusterQueue(name),
  );
