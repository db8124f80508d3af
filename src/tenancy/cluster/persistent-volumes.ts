// The persistentvolumes informer's part: PersistentVolumes are listed and watched as full objects
// (spec.claimRef and status.phase are not metadata), cut down to PersistentVolumeInfo as each item
// or event arrives, so the volume source, capacity and managedFields never reach the cache.
import type { TenantIndex } from "../tenant-index.ts";
import { persistentVolumeInfo } from "../persistent-volume.ts";
import type { PersistentVolumeInfo } from "../view.ts";
import type { Handlers } from "./handlers.ts";
import { namedRecordHandlers, namedRecordSlimmer } from "./named-records.ts";
import type { Slimmer } from "./slim.ts";

export const slimPersistentVolume = (tenantLabel: string): Slimmer =>
  namedRecordSlimmer(persistentVolumeInfo, tenantLabel);

export const persistentVolumeHandlers = (index: TenantIndex): Handlers =>
  namedRecordHandlers<PersistentVolumeInfo>(
    (volume) => index.upsertPersistentVolume(volume),
    (name) => index.deletePersistentVolume(name),
  );
