// One resource's informer: ListWatch's list-then-watch loop (CompactListWatch: 410 Gone relists by
// itself; the cache stores only what the directory reads) plus what ListWatch leaves to us: an
// informer whose watch fails emits `error` and stops, so we restart it with exponential backoff and
// jitter, count the restarts, and keep serving the last state meanwhile. Tracks sync state for
// readiness.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from "./backoff.ts";
import { CompactListWatch, type ListWatchLike, type ObjectStore } from "./compact-list-watch.ts";
import { SlimWatch } from "./slim-watch.ts";
import type { Listed } from "./lists.ts";
import type { SlimObject, Slimmer } from "./slim.ts";
import type { InformerStats } from "./stats.ts";

export interface InformerSpec {
  /** The API resource, e.g. "secrets". */
  readonly resource: string;
  /** Collection path to watch, e.g. /api/v1/secrets. */
  readonly path: string;
  readonly metadataOnly: boolean;
  readonly slim: Slimmer;
  /** A complete list, streamed page by page into `onItems`. */
  readonly list: (onItems: (items: readonly SlimObject[]) => void) => Promise<Listed>;
  readonly onAdd: (obj: SlimObject) => void;
  readonly onUpdate: (obj: SlimObject) => void;
  readonly onDelete: (obj: SlimObject) => void;
  /** What the cache stores of an object (default: the object itself). */
  readonly compact?: (obj: SlimObject) => SlimObject;
  /** The cache is kept there instead (the host-claim index), not in the informer. */
  readonly store?: ObjectStore;
}

export interface InformerOptions {
  readonly backoff?: BackoffOptions;
  readonly log: Logger;
  /** Called after each complete list with its item count. */
  readonly onListed?: (items: number) => void;
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code =
      (err as { statusCode?: unknown; code?: unknown }).statusCode ?? (err as { code?: unknown }).code;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return `${typeof code === "number" ? `HTTP ${code} ` : ""}${err.message}${cause}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

export class ManagedInformer {
  readonly resource: string;
  private readonly lw: ListWatchLike;
  private readonly spec: InformerSpec;
  private readonly log: Logger;
  private readonly backoff: BackoffOptions;
  private readonly onListed: ((items: number) => void) | undefined;
  private synced = false;
  private listedSinceStart = false;
  private watching = false;
  private failures = 0;
  private restarts = 0;
  private listed = 0;
  private lastEventAt: number | undefined;
  private lastError: string | undefined;
  private readonly events: Record<string, number> = Object.create(null) as Record<string, number>;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(kc: KubeConfig, spec: InformerSpec, opts: InformerOptions) {
    this.resource = spec.resource;
    this.spec = spec;
    this.log = opts.log;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.onListed = opts.onListed;
    const watch = new SlimWatch(kc, {
      slim: spec.slim,
      metadataOnly: spec.metadataOnly,
      hooks: {
        onWatchStart: () => {
          // ListWatch applies a list's items before it opens the watch: the cache is complete now.
          if (this.listedSinceStart) this.synced = true;
        },
        onWatchOpen: () => {
          this.watching = true;
          this.failures = 0;
        },
        onEvent: (type) => {
          this.events[type] = (this.events[type] ?? 0) + 1;
          this.lastEventAt = Date.now();
        },
      },
    });
    // What client-node's makeInformer builds, with our Watch (Accept header, slimming, hooks) and a
    // compact cache.
    this.lw = new CompactListWatch(
      spec.path,
      watch,
      (onItems) => this.list(onItems),
      spec.compact,
      spec.store,
    );
    this.lw.on("add", spec.onAdd);
    this.lw.on("update", spec.onUpdate);
    this.lw.on("delete", spec.onDelete);
    this.lw.on("error", (err: unknown) => this.onError(err));
  }

  start(): void {
    this.listedSinceStart = false;
    this.lw.start().catch((err: unknown) => this.onError(err));
  }

  /** The cached object, from ListWatch's cache (also the index's store for metadata kinds). */
  get(name: string, namespace: string): SlimObject | undefined {
    return this.lw.get(name, namespace);
  }

  forEachKey(fn: (namespace: string, name: string) => void): void {
    this.lw.forEachKey(fn);
  }

  /** Listed completely once since it was created. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** Synced and not restarting after an error. */
  get healthy(): boolean {
    return this.synced && (this.watching || this.lastError === undefined);
  }

  stats(): InformerStats {
    return {
      resource: this.resource,
      synced: this.synced,
      watching: this.watching,
      events: { ...this.events },
      listed: this.listed,
      lastEventAt: this.lastEventAt,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.watching = false;
    await this.lw.stop();
  }

  private async list(onItems: (items: readonly SlimObject[]) => void): Promise<string | undefined> {
    const { resourceVersion, count } = await this.spec.list(onItems);
    this.listed += count;
    this.lastEventAt = Date.now();
    this.listedSinceStart = true;
    this.log.debug({ resource: this.resource, items: count }, "informer listed");
    this.onListed?.(count);
    return resourceVersion;
  }

  private onError(err: unknown): void {
    if (this.closed) return; // stop() aborts the watch, which ListWatch reports as an error
    this.watching = false;
    this.lastError = describeError(err);
    const delay = backoffDelay(this.failures++, this.backoff);
    this.log.warn(
      { resource: this.resource, error: this.lastError, retryInMs: delay, synced: this.synced },
      this.synced
        ? "informer stopped; serving last known state while it restarts"
        : "informer failed before sync; retrying",
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.closed) return;
      this.restarts++;
      this.start();
    }, delay);
    this.timer.unref();
  }
}
