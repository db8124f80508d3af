// Informer events -> TenantIndex updates. A Tenant that fails validation is logged and skipped;
// the index keeps its last good version (or none), and the problem is remembered for status().
import type { Logger } from "pino";
import type { TenantIndex } from "../tenant-index.ts";
import { tenantSchema } from "../tenant-schema.ts";
import type { CachedKind } from "../view.ts";
import type { SlimObject } from "./slim.ts";

export interface Handlers {
  readonly onAdd: (obj: SlimObject) => void;
  readonly onUpdate: (obj: SlimObject) => void;
  readonly onDelete: (obj: SlimObject) => void;
}

export function namespaceHandlers(index: TenantIndex): Handlers {
  const upsert = (o: SlimObject): void => index.upsertNamespace(o.metadata.name, o.labels ?? {});
  return { onAdd: upsert, onUpdate: upsert, onDelete: (o) => index.deleteNamespace(o.metadata.name) };
}

/** Nodes: the index keeps the slimmed NodeInfo itself (the same object the informer caches). */
export function nodeHandlers(index: TenantIndex): Handlers {
  const upsert = (o: SlimObject): void => {
    if (o.node !== undefined) index.upsertNode(o.node);
  };
  return { onAdd: upsert, onUpdate: upsert, onDelete: (o) => index.deleteNode(o.metadata.name) };
}

/** The informer's cache is the index's store for these kinds (see index.useObjectSource): events
 * only keep the counts. */
export function objectHandlers(index: TenantIndex, kind: CachedKind): Handlers {
  return {
    onAdd: () => index.countObject(kind, 1),
    onUpdate: () => {},
    onDelete: () => index.countObject(kind, -1),
  };
}

/** Tenant name -> why its latest version was rejected. */
export type BrokenTenants = Map<string, string>;

export function tenantHandlers(index: TenantIndex, broken: BrokenTenants, log: Logger): Handlers {
  // The spec last applied per Tenant: a status write (ours, every few seconds on some Tenant) or a
  // metadata edit arrives as MODIFIED with the same spec, and need not be parsed and compiled again.
  const applied = new Map<string, string>();
  const upsert = (o: SlimObject): void => {
    const name = o.metadata.name;
    const spec = JSON.stringify((o.tenant as { spec?: unknown } | undefined)?.spec) ?? "";
    if (applied.get(name) === spec) return;
    const parsed = tenantSchema.safeParse(o.tenant);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? []).map(String).join(".") || "(root)";
      const reason = `Tenant "${name}" (resourceVersion ${o.metadata.resourceVersion ?? "?"}): ${path}: ${issue?.message ?? "invalid"}`;
      broken.set(name, reason);
      const kept = index.tenant(name)?.defined === true;
      log.error(
        { tenant: name, field: path, error: issue?.message },
        kept ? `${reason}; keeping its last good version` : `${reason}; ignored until fixed`,
      );
      return;
    }
    broken.delete(name);
    index.upsertTenant(name, parsed.data.spec);
    applied.set(name, spec);
  };
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => {
      applied.delete(o.metadata.name);
      broken.delete(o.metadata.name);
      index.deleteTenant(o.metadata.name);
    },
  };
}
