// The fake API server's etcd: objects per resource, one global resourceVersion counter, and a
// bounded event log per resource so watches can resume from a resourceVersion (or get 410 Gone
// when it was compacted away).
import { randomUUID } from "node:crypto";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { RESOURCES, resourceOfKind, type ResourceDef } from "./resources.ts";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoredEvent {
  readonly rv: number;
  readonly type: EventType;
  readonly object: JsonRecord;
}

type Listener = (ev: StoredEvent) => void;

interface Bucket {
  readonly def: ResourceDef;
  readonly objects: Map<string, JsonRecord>;
  events: StoredEvent[];
  /** Watches from a resourceVersion below this get 410 Gone. */
  compactedRv: number;
  /** Keys in etcd order, rebuilt after a change (paging 100,000 objects must not sort per page). */
  sorted: string[] | undefined;
  readonly listeners: Set<Listener>;
}

const MAX_EVENTS = 10_000;

function meta(obj: JsonRecord): JsonRecord {
  const md = obj.metadata;
  if (typeof md !== "object" || md === null || Array.isArray(md)) throw new Error("object has no metadata");
  return md as JsonRecord;
}

export function keyOf(obj: JsonRecord): string {
  const md = meta(obj);
  if (typeof md.name !== "string" || md.name === "") throw new Error("object has no metadata.name");
  return typeof md.namespace === "string" ? `${md.namespace}/${md.name}` : md.name;
}

export class FakeStore {
  private rv = 1000;
  private readonly buckets = new Map<string, Bucket>();

  constructor() {
    for (const def of RESOURCES) {
      this.buckets.set(def.plural, {
        def,
        objects: new Map(),
        events: [],
        compactedRv: 0,
        sorted: undefined,
        listeners: new Set(),
      });
    }
  }

  get resourceVersion(): number {
    return this.rv;
  }

  bucket(plural: string): Bucket {
    const b = this.buckets.get(plural);
    if (b === undefined) throw new Error(`unknown resource ${plural}`);
    return b;
  }

  /** Create or replace an object (by kind, namespace, name); emits ADDED or MODIFIED. */
  apply(input: JsonRecord): JsonRecord {
    const def = resourceOfKind(String(input.kind));
    const b = this.bucket(def.plural);
    const obj = structuredClone(input);
    const md = meta(obj);
    if (def.namespaced && (typeof md.namespace !== "string" || md.namespace === "")) {
      throw new Error(`${def.kind} ${String(md.name)} needs metadata.namespace`);
    }
    const key = keyOf(obj);
    const prev = b.objects.get(key);
    const prevMd = prev === undefined ? undefined : meta(prev);
    obj.apiVersion ??= def.apiVersion;
    md.uid = prevMd?.uid ?? randomUUID();
    md.creationTimestamp = prevMd?.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
    md.resourceVersion = String(++this.rv);
    if (prev === undefined) b.sorted = undefined;
    b.objects.set(key, obj);
    this.record(b, { rv: this.rv, type: prev === undefined ? "ADDED" : "MODIFIED", object: obj });
    return obj;
  }

  /** Deletes an object; deleting a Namespace deletes what is in it first, as the API server does. */
  remove(kind: string, namespace: string | undefined, name: string): boolean {
    const def = resourceOfKind(kind);
    if (kind === "Namespace") {
      for (const other of RESOURCES) {
        if (!other.namespaced) continue;
        for (const obj of [...this.bucket(other.plural).objects.values()]) {
          if (meta(obj).namespace === name) this.remove(other.kind, name, String(meta(obj).name));
        }
      }
    }
    const b = this.bucket(def.plural);
    const key = def.namespaced ? `${namespace}/${name}` : name;
    const prev = b.objects.get(key);
    if (prev === undefined) return false;
    b.objects.delete(key);
    b.sorted = undefined;
    const gone = structuredClone(prev);
    meta(gone).resourceVersion = String(++this.rv);
    this.record(b, { rv: this.rv, type: "DELETED", object: gone });
    return true;
  }

  get(kind: string, namespace: string | undefined, name: string): JsonRecord | undefined {
    const def = resourceOfKind(kind);
    return this.bucket(def.plural).objects.get(def.namespaced ? `${namespace}/${name}` : name);
  }

  /** Adds many objects without logging events (like a cluster that existed before we watched). */
  bulkLoad(objects: Iterable<JsonRecord>): void {
    for (const obj of objects) {
      const def = resourceOfKind(String(obj.kind));
      const md = meta(obj);
      md.resourceVersion = String(++this.rv);
      md.uid ??= randomUUID();
      const b = this.bucket(def.plural);
      b.objects.set(keyOf(obj), obj);
      b.sorted = undefined;
    }
    for (const b of this.buckets.values()) b.compactedRv = this.rv;
  }

  /** Forgets every logged event: a watch from any older resourceVersion now gets 410 Gone. */
  compact(): void {
    for (const b of this.buckets.values()) {
      b.events = [];
      b.compactedRv = this.rv;
    }
  }

  /** Objects sorted by key, as etcd returns them. */
  list(plural: string): JsonRecord[] {
    return this.page(plural, undefined, 0).items;
  }

  /** Up to `limit` objects (0: all) with keys after `after`, and how many remain after them. */
  page(plural: string, after: string | undefined, limit: number): { items: JsonRecord[]; remaining: number } {
    const b = this.bucket(plural);
    b.sorted ??= [...b.objects.keys()].sort();
    const keys = b.sorted;
    let lo = 0;
    if (after !== undefined) {
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((keys[mid] as string) <= after) lo = mid + 1;
        else hi = mid;
      }
    }
    const end = limit > 0 ? Math.min(keys.length, lo + limit) : keys.length;
    const items = keys.slice(lo, end).map((k) => b.objects.get(k) as JsonRecord);
    return { items, remaining: keys.length - end };
  }

  /** Events after rv, or "gone" when rv is older than the log reaches. */
  eventsAfter(plural: string, rv: number): StoredEvent[] | "gone" {
    const b = this.bucket(plural);
    if (rv < b.compactedRv) return "gone";
    return b.events.filter((e) => e.rv > rv);
  }

  subscribe(plural: string, fn: Listener): () => void {
    const b = this.bucket(plural);
    b.listeners.add(fn);
    return () => b.listeners.delete(fn);
  }

  private record(b: Bucket, ev: StoredEvent): void {
    b.events.push(ev);
    if (b.events.length > MAX_EVENTS) {
      const dropped = b.events.splice(0, b.events.length - MAX_EVENTS);
      b.compactedRv = dropped[dropped.length - 1]?.rv ?? b.compactedRv;
    }
    for (const fn of b.listeners) fn(ev);
  }
}
