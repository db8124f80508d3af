// Host-claim informers for kinds a cluster may not serve: with gatewayAPI, TLSRoutes and
// ListenerSets at gateway.networking.k8s.io/v1 (Gateway API v1.6's standard channel; older
// releases serve TLSRoute as v1alpha2/v1alpha3 only, or neither). One discovery GET of the group
// version (discovery.ts, as counted.ts resolves its kinds) says which are served. Served: the
// informer starts and readiness waits for its list like any other's. Not served: a readiness note
// on a ready directory, and the group version is asked again every retryMs, so a CRD installed
// later is watched without a restart. Readiness waits for the first answer; a discovery that fails
// (not a 404) is retried with backoff meanwhile, so an API server that is briefly away never leaves
// these kinds unwatched on a directory that turns ready.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from "./backoff.ts";
import { resourceList, servesNamespaced } from "./discovery.ts";

/** resource, API path, kind (as host-claims.ts's sources). */
export type OptionalSource = readonly [resource: string, path: string, kind: string];

export interface OptionalSourcesOptions {
  readonly kubeconfig: KubeConfig;
  readonly log: Logger;
  /** "group/version" every source is served at. */
  readonly groupVersion: string;
  readonly sources: readonly OptionalSource[];
  /** Starts the informer of a source found served (once per source). */
  readonly start: (source: OptionalSource) => void;
  readonly backoff?: BackoffOptions;
  readonly timeoutMs?: number;
  /** How long before sources not served are asked again. */
  readonly retryMs?: number;
}

function every(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

const NO_NOTES: readonly string[] = Object.freeze([]);

export class OptionalSources {
  private readonly o: OptionalSourcesOptions;
  /** Sources not started yet (not served, or not asked yet). */
  private pending: readonly OptionalSource[];
  private answered = false;
  private attempts = 0;
  private lastError: string | undefined;
  private note: readonly string[] = NO_NOTES;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: OptionalSourcesOptions) {
    this.o = opts;
    this.pending = opts.sources;
  }

  start(): void {
    if (this.pending.length > 0) void this.resolve();
  }

  private async resolve(): Promise<void> {
    const { kubeconfig, groupVersion, log } = this.o;
    let list: unknown;
    try {
      list = await resourceList(kubeconfig, groupVersion, this.o.timeoutMs ?? 10_000);
    } catch (e) {
      if (this.closed) return;
      this.lastError = String((e as Error).message).slice(0, 300);
      log.warn({ groupVersion, error: this.lastError }, "discovery failed; asking again");
      this.schedule(
        this.answered ? this.retryMs() : backoffDelay(this.attempts++, this.o.backoff ?? DEFAULT_BACKOFF),
      );
      return;
    }
    if (this.closed) return;
    this.answered = true;
    this.attempts = 0;
    this.lastError = undefined;
    const served = this.pending.filter(([resource]) => servesNamespaced(list, resource));
    this.pending = this.pending.filter((s) => !served.includes(s));
    for (const s of served) {
      this.o.start(s);
      log.info({ resource: s[0], path: s[1] }, "watching host claims of a kind the cluster now serves");
    }
    if (this.pending.length === 0) {
      this.note = NO_NOTES;
      return;
    }
    const names = this.pending.map(([resource]) => resource).join(", ");
    const note = `${names} not watched for claimed hosts: the cluster does not serve ${this.pending.length === 1 ? "it" : "them"} at ${groupVersion} (asked again every ${every(this.retryMs())})`;
    if (this.note[0] !== note) log.warn({ groupVersion, resources: names }, note);
    this.note = [note];
    this.schedule(this.retryMs());
  }

  private retryMs(): number {
    return this.o.retryMs ?? 60_000;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.resolve();
    }, ms);
    this.timer.unref();
  }

  /** Why readiness must wait (the first discovery has not answered), or undefined. */
  waiting(): string | undefined {
    if (this.answered || this.pending.length === 0) return undefined;
    const names = this.pending.map(([resource]) => resource).join(", ");
    return `discovering whether the cluster serves ${names} at ${this.o.groupVersion}${this.lastError === undefined ? "" : ` (${this.lastError})`}`;
  }

  /** Sources not served (asked again later). */
  notes(): readonly string[] {
    return this.note;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
