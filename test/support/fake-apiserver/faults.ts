// Fault injection for the fake API server: the failures real informers meet in production.
export class Faults {
  /** Answer the next N requests (lists and watches alike) with this HTTP status. */
  private failures: { remaining: number; code: number } = { remaining: 0, code: 500 };
  /** Delay before a list answers or a watch sends its headers. */
  delayMs = 0;
  /** How a watch from a compacted resourceVersion is refused: an ERROR event (what current API
   * servers do) or an HTTP 410 response (older ones). */
  goneAs: "event" | "http" = "event";
  /** Interval of BOOKMARK events on watches that asked for them (allowWatchBookmarks=true). */
  bookmarkIntervalMs = 1000;
  /** Behave like a server without metadata-only support: always send full objects. */
  ignoreMetadataAccept = false;
  /** Answer Tenant status PATCHes with this HTTP status (e.g. 403: RBAC lacks tenants/status). */
  statusPatchCode: number | undefined = undefined;
  /** Resources (plural) refused with 403, as when the ClusterRole lacks them (e.g. "nodes"). */
  readonly forbidden = new Set<string>();
  /** Paths answered with 500 while listed here (e.g. a discovery path). */
  readonly failingPaths = new Set<string>();
  /** Paths answered only after this many ms (a slow list of one resource). */
  readonly delayedPaths = new Map<string, number>();

  failNext(n: number, code = 500): void {
    this.failures = { remaining: n, code };
  }

  /** The status to fail this request with, if a failure is armed. */
  takeFailure(path?: string): number | undefined {
    if (path !== undefined && this.failingPaths.has(path)) return 500;
    if (this.failures.remaining <= 0) return undefined;
    this.failures.remaining--;
    return this.failures.code;
  }

  reset(): void {
    this.failures = { remaining: 0, code: 500 };
    this.delayMs = 0;
    this.goneAs = "event";
    this.ignoreMetadataAccept = false;
    this.statusPatchCode = undefined;
    this.forbidden.clear();
    this.failingPaths.clear();
    this.delayedPaths.clear();
  }
}
