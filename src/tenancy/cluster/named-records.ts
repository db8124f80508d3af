// Cluster-scoped kinds the directory keeps as one small record per name (PersistentVolumes,
// ClusterQueues): each list item or watch event is cut down to its record as it arrives, and the
// informer's events upsert or remove that record in the index.
import type { Handlers } from "./handlers.ts";
import type { SlimObject, Slimmer } from "./slim.ts";

type SlimRecord<T> = SlimObject & { readonly record: T };

export function namedRecordSlimmer<T extends { readonly name: string }>(
  read: (obj: unknown, tenantLabel: string) => T,
  tenantLabel: string,
): Slimmer {
  return (obj): SlimRecord<T> => {
    const record = read(obj, tenantLabel);
    const rv = (obj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    return {
      metadata: { name: record.name, resourceVersion: typeof rv === "string" ? rv : undefined },
      record,
    };
  };
}

export function namedRecordHandlers<T>(
  upsert: (record: T) => void,
  remove: (name: string) => void,
): Handlers {
  const add = (o: SlimObject): void => {
    const record = (o as Partial<SlimRecord<T>>).record;
    if (record !== undefined) upsert(record);
  };
  return { onAdd: add, onUpdate: add, onDelete: (o) => remove(o.metadata.name) };
}
