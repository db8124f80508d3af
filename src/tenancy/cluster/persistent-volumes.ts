// The persistentvolumes informer's part: PersistentVolumes are listed and watched as full objects
// (spec.claimRef and status.phase are not metadata), cut down to PersistentVolumeInfo as each item
// or event arrives, so the volume source, capacity and managedFields never reach the cache.
import type { TenantIndex } from "../tenant-index.ts";
import { persistentVolumeInfo } from "../persistent-volume.ts";
import type { PersistentVolumeInfo } from "../view.ts";
import type { Handlers } from "./handlers.ts";
import type { SlimObject, Slimmer } from "./slim.ts";

export type SlimVolume = SlimObject & { readonly volume: PersistentVolumeInfo };

export function slimPersistentVolume(tenantLabel: string): Slimmer {
  return (obj): SlimVolume => {
    const volume = persistentVolumeInfo(obj, tenantLabel);
    const rv = (obj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    return {
      metadata: { name: volume.name, resourceVersion: typeof rv === "string" ? rv : undefined },
      volume,
    };
  };
}

export function persistentVolumeHandlers(index: TenantIndex): Handlers {
  const upsert = (o: SlimObject): void => {
    const volume = (o as Partial<SlimVolume>).volume;
    if (volume !== undefined) index.upsertPersistentVolume(volume);
  };
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => index.deletePersistentVolume(o.metadata.name),
  };
}
