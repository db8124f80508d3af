// What each informer reports for readiness and metrics. Kept free of client-node imports so the
// metrics module can recognise a cluster directory without loading the Kubernetes client.

export interface InformerStats {
  /** The API resource, e.g. "secrets". */
  readonly resource: string;
  /** Listed at least once: the cache holds the whole collection (maybe stale). */
  readonly synced: boolean;
  /** The watch is open; false while the informer is restarting after an error. */
  readonly watching: boolean;
  /** Watch events seen, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR). */
  readonly events: Readonly<Record<string, number>>;
  /** Objects received by lists (initial sync and relists). */
  readonly listed: number;
  /** Date.now() of the last list or watch event, undefined before the first. */
  readonly lastEventAt: number | undefined;
  /** Restarts after the informer stopped on an error. */
  readonly restarts: number;
  readonly lastError: string | undefined;
}

export interface InformerStatsSource {
  informerStats(): readonly InformerStats[];
}

export function hasInformerStats(x: object): x is InformerStatsSource {
  return typeof (x as Partial<InformerStatsSource>).informerStats === "function";
}
