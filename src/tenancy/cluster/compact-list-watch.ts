// The list-then-watch loop of client-node's ListWatch (list, watch from the list's resourceVersion,
// resume from the last event's, relist after 410 Gone), with a cache that stores what `compact`
// makes of each object. For service accounts, secrets, config maps and PVCs nearly every object
// carries nothing the directory needs (no tenant label, no kept annotation): those are remembered
// by name with one shared value, so 200,000 of them cost a Map entry each instead of an object
// graph each. ListWatch itself cannot do this: it caches the very object it is given.
import type { Watch } from "@kubernetes/client-node";
import type { SlimObject } from "./slim.ts";

type Callback = (obj: SlimObject) => void;
type Store = Map<string, Map<string, SlimObject>>;
/** A complete list, streamed page by page into `onItems`; resolves with its resourceVersion. */
export type Lister = (onItems: (items: readonly SlimObject[]) => void) => Promise<string | undefined>;
type Phase = "add" | "update" | "delete";

export interface ListWatchLike {
  on(verb: Phase, cb: Callback): void;
  on(verb: "error", cb: (err: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  get(name: string, namespace?: string): SlimObject | undefined;
  /** Every cached object's key (a count started later catches up on what was listed before). */
  forEachKey(fn: (namespace: string, name: string) => void): void;
}

/** A cache kept elsewhere (the host-claim index): CompactListWatch writes it, no second copy. */
export interface ObjectStore {
  get(namespace: string, name: string): SlimObject | undefined;
  set(namespace: string, name: string, value: SlimObject): void;
  /** False when nothing was kept under that key. */
  delete(namespace: string, name: string): boolean;
  forEach(fn: (namespace: string, name: string, value: SlimObject) => void): void;
}

const BASE_RECONNECT_MS = 1000;
const MAX_RECONNECT_MS = 30_000;

function is410(err: unknown): boolean {
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  return e !== null && typeof e === "object" && (e.statusCode === 410 || e.code === 410);
}

export class CompactListWatch implements ListWatchLike {
  private objects: Store = new Map();
  private resourceVersion = "";
  private request: AbortController | undefined;
  private stopped = false;
  private connected = false;
  private reconnectDelayMs = 0;
  private readonly callbacks = { add: [] as Callback[], update: [] as Callback[], delete: [] as Callback[] };
  private readonly errorCallbacks: ((err: unknown) => void)[] = [];
  private readonly path: string;
  private readonly watcher: Watch;
  private readonly listFn: Lister;
  private readonly compact: (obj: SlimObject) => SlimObject;
  private readonly external: ObjectStore | undefined;

  constructor(
    path: string,
    watcher: Watch,
    listFn: Lister,
    compact: (obj: SlimObject) => SlimObject = (o) => o,
    store?: ObjectStore,
  ) {
    this.path = path;
    this.watcher = watcher;
    this.listFn = listFn;
    this.compact = compact;
    this.external = store;
  }

  on(verb: Phase | "error", cb: Callback | ((err: unknown) => void)): void {
    if (verb === "error") this.errorCallbacks.push(cb as (err: unknown) => void);
    else this.callbacks[verb].push(cb as Callback);
  }

  get(name: string, namespace?: string): SlimObject | undefined {
    if (this.external !== undefined) return this.external.get(namespace ?? "", name);
    return this.objects.get(namespace ?? "")?.get(name);
  }

  forEachKey(fn: (namespace: string, name: string) => void): void {
    // Keys, not objects: compacted cache values share one identity-less object.
    if (this.external !== undefined) return this.external.forEach((ns, name) => fn(ns, name));
    for (const [ns, inNs] of this.objects) for (const name of inNs.keys()) fn(ns, name);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.connected = false;
    this.reconnectDelayMs = 0;
    await this.done(null);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort();
  }

  private abort(): void {
    this.request?.abort();
    this.request = undefined;
  }

  private fail(err: unknown): void {
    for (const cb of this.errorCallbacks) cb(err);
  }

  /** Runs when a watch ends (or at start): decide whether to relist, then watch again. */
  private async done(err: unknown): Promise<void> {
    this.abort();
    if (is410(err)) this.resourceVersion = "";
    else if (err && (err as { name?: unknown }).name === "TimeoutError") this.reconnectDelayMs = 0;
    else if (err) return this.fail(err);
    if (this.stopped) return;
    if (this.resourceVersion === "") {
      // Each page is compacted into a fresh store as it arrives (the list is never held whole);
      // the store replaces the cache only once the list is complete, so a list that fails halfway
      // leaves the last state serving.
      const fresh: Store = new Map();
      let resourceVersion: string | undefined;
      try {
        resourceVersion = await this.listFn((items) => {
          for (const o of items) this.put(fresh, o);
        });
      } catch (e) {
        return this.fail(e);
      }
      this.replace(fresh);
      this.resourceVersion = resourceVersion ?? "";
    }
    // A watch that ends cleanly without events is retried with growing delays, as ListWatch does.
    if (this.connected && this.reconnectDelayMs > 0)
      await new Promise((r) => setTimeout(r, this.reconnectDelayMs));
    if (this.connected) {
      this.reconnectDelayMs = Math.min(
        this.reconnectDelayMs > 0 ? this.reconnectDelayMs * 2 : BASE_RECONNECT_MS,
        MAX_RECONNECT_MS,
      );
    }
    this.connected = true;
    if (this.stopped) return;
    try {
      this.request = await this.watcher.watch(
        this.path,
        { resourceVersion: this.resourceVersion },
        (phase, obj) => this.onEvent(phase, obj as SlimObject),
        (e: unknown) => void this.done(e).catch((x: unknown) => this.fail(x)),
      );
    } catch (e) {
      this.fail(e);
    }
  }

  private onEvent(phase: string, obj: SlimObject): void {
    if (phase === "ERROR") {
      if ((obj as unknown as { code?: unknown }).code === 410) this.resourceVersion = "";
      return; // the watch ends next; done() relists
    }
    if (phase === "ADDED" || phase === "MODIFIED") this.upsert(obj);
    else if (phase === "DELETED") this.remove(obj);
    this.reconnectDelayMs = 0;
    this.resourceVersion = obj.metadata?.resourceVersion ?? "";
  }

  private upsert(obj: SlimObject): void {
    if (this.external !== undefined) return this.upsertExternal(this.external, obj);
    const ns = obj.metadata.namespace ?? "";
    let perNs = this.objects.get(ns);
    if (perNs === undefined) this.objects.set(ns, (perNs = new Map()));
    const found = perNs.get(obj.metadata.name);
    const rv = obj.metadata.resourceVersion;
    if (found !== undefined && rv !== undefined && found.metadata.resourceVersion === rv) return;
    const value = this.compact(obj);
    // A shared compact value that did not change (a relist, an edit of an unkept field): no update.
    if (found === value) return;
    perNs.set(obj.metadata.name, value);
    for (const cb of found === undefined ? this.callbacks.add : this.callbacks.update) cb(obj);
  }

  private upsertExternal(store: ObjectStore, obj: SlimObject): void {
    const ns = obj.metadata.namespace ?? "";
    const found = store.get(ns, obj.metadata.name);
    store.set(ns, obj.metadata.name, this.compact(obj));
    for (const cb of found === undefined ? this.callbacks.add : this.callbacks.update) cb(obj);
  }

  private remove(obj: SlimObject): void {
    const ns = obj.metadata.namespace ?? "";
    if (this.external !== undefined) {
      if (!this.external.delete(ns, obj.metadata.name)) return;
      for (const cb of this.callbacks.delete) cb(obj);
      return;
    }
    const perNs = this.objects.get(ns);
    if (perNs === undefined || !perNs.delete(obj.metadata.name)) return;
    if (perNs.size === 0) this.objects.delete(ns);
    for (const cb of this.callbacks.delete) cb(obj);
  }

  private put(store: Store, o: SlimObject): void {
    const ns = o.metadata.namespace ?? "";
    let perNs = store.get(ns);
    if (perNs === undefined) store.set(ns, (perNs = new Map()));
    perNs.set(o.metadata.name, this.compact(o));
  }

  /** A complete list becomes the cache; callbacks for what was added, changed or is gone. */
  private replace(fresh: Store): void {
    if (this.external !== undefined) return this.replaceExternal(this.external, fresh);
    const old = this.objects;
    this.objects = fresh;
    for (const [ns, perNs] of fresh) {
      const before = old.get(ns);
      for (const [name, value] of perNs) {
        const was = before?.get(name);
        if (was === undefined) this.emit("add", value, ns, name);
        else if (was !== value && !sameVersion(was, value)) this.emit("update", value, ns, name);
      }
    }
    for (const [ns, perNs] of old) {
      const now = fresh.get(ns);
      for (const [name, value] of perNs) if (now?.has(name) !== true) this.emit("delete", value, ns, name);
    }
  }

  /** The same diff against a store kept elsewhere: what the list lacks is deleted from it. */
  private replaceExternal(store: ObjectStore, fresh: Store): void {
    const gone: [string, string, SlimObject][] = [];
    store.forEach((ns, name, value) => {
      if (fresh.get(ns)?.has(name) !== true) gone.push([ns, name, value]);
    });
    for (const [ns, perNs] of fresh) {
      for (const [name, value] of perNs) {
        const was = store.get(ns, name);
        store.set(ns, name, value);
        if (was === undefined) this.emit("add", value, ns, name);
        else if (was !== value && !sameVersion(was, value)) this.emit("update", value, ns, name);
      }
    }
    for (const [ns, name, value] of gone) {
      store.delete(ns, name);
      this.emit("delete", value, ns, name);
    }
  }

  /** Callbacks get the object with its identity (a shared compact value carries none). */
  private emit(phase: Phase, value: SlimObject, ns: string, name: string): void {
    const obj: SlimObject =
      value.metadata.name === name
        ? value
        : { ...value, metadata: { name, namespace: ns === "" ? undefined : ns } };
    for (const cb of this.callbacks[phase]) cb(obj);
  }
}

function sameVersion(a: SlimObject, b: SlimObject): boolean {
  const rv = a.metadata.resourceVersion;
  return rv !== undefined && rv === b.metadata.resourceVersion;
}
