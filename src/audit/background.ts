// `serve --background-audit INTERVAL`: keeps the wgpolicyk8s.io PolicyReports current from inside
// the server. A timer (never a review) starts a run; a run lists every audited kind page by page
// (paged, metadata-only for secrets and config maps, a pause between pages), evaluates each page
// at once against the live tenant directory and keeps per namespace only findings and a capped
// number of clean results, then server-side applies the reports and deletes the ones nothing feeds.
// A failed list keeps the last reports (publishing a partial view would clear real findings).
import type { Logger } from "pino";
import { rec, str, type JsonRecord } from "../k8s/access.ts";
import type { Engine } from "../policy/engine.ts";
import type { TenantView } from "../tenancy/view.ts";
import type { BackgroundAuditMetrics } from "./background-metrics.ts";
import type { BackgroundSource } from "./background-sources.ts";
import { TOKEN_TYPE, ownedByAudited } from "./cluster-scan.ts";
import { evaluate } from "./evaluate.ts";
import { auditUser } from "./identity.ts";
import type { KubeLister, ListOptions } from "./kube-list.ts";
import { POLICY_NAME, POLICY_REPORT_API, toPolicyReports, type PolicyReportObject } from "./policy-report.ts";
import { reportPath } from "./publish.ts";
import { apiVersionOf, listServed } from "./served-version.ts";
import { summarize, type ObjectResult } from "./report.ts";

/** Where reports go; the real one wraps publish.ts, tests may count calls. */
export interface ReportWriter {
  apply(reports: readonly PolicyReportObject[]): Promise<readonly string[]>;
  remove(path: string): Promise<string | undefined>;
}

export interface BackgroundAuditOptions {
  readonly lister: KubeLister;
  readonly writer: ReportWriter;
  /** The live tenant directory: a Tenant change is seen by the next run. */
  readonly view: () => TenantView;
  readonly engine: Engine;
  readonly sources: readonly BackgroundSource[];
  readonly intervalMs: number;
  readonly pageSize: number;
  readonly pagePauseMs: number;
  /** A run that takes longer stops and keeps the last reports. */
  readonly budgetMs: number;
  /** Clean (pass/skip) results listed per report; findings are always listed. */
  readonly maxResults: number;
  readonly log: Logger;
  readonly metrics?: BackgroundAuditMetrics;
  /**
   * Who may run: with leader election, start() starts the elector, which calls resume() and
   * pause() as this replica gains and loses the Lease; close() stops it (releasing the Lease).
   */
  readonly leadership?: { start(): void; stop(): Promise<void> };
}

export interface RunOutcome {
  readonly ok: boolean;
  readonly objects: number;
  readonly reports: number;
  readonly deleted: number;
  readonly requests: number;
  /** Why the run published nothing ("list pods: 500 ..."), when it did not. */
  readonly failures: readonly string[];
}

class Stopped extends Error {}

/** One namespace's results: findings always, clean ones while under the cap, the rest counted. */
class NamespaceResults {
  readonly results: ObjectResult[] = [];
  readonly dropped = { pass: 0, skip: 0 };
  private clean = 0;
  private readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }
  add(r: ObjectResult): void {
    if (r.findings.length > 0 || r.skip === "exempt") {
      this.results.push(r);
      return;
    }
    if (this.clean < this.cap) {
      this.clean++;
      this.results.push(r);
    } else if (r.skip === "unchecked") this.dropped.skip++;
    else this.dropped.pass++;
  }
}

const MANAGED = `app.kubernetes.io/managed-by=${POLICY_NAME}`;
const REPORT_LISTS = [
  `/apis/${POLICY_REPORT_API}/policyreports`,
  `/apis/${POLICY_REPORT_API}/clusterpolicyreports`,
];

export class BackgroundAudit {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RunOutcome> | undefined;
  private closed = false;
  private paused = false;
  private readonly o: BackgroundAuditOptions;

  constructor(o: BackgroundAuditOptions) {
    this.o = o;
  }

  /** First run after one interval (the directory has synced by then), then one interval after each. */
  start(): void {
    if (this.o.leadership !== undefined) this.o.leadership.start();
    else this.resume();
  }

  /** Runs on this replica (it holds the Lease): first run one interval from now. */
  resume(): void {
    this.paused = false;
    this.o.metrics?.leader.set(1);
    clearTimeout(this.timer);
    this.schedule();
  }

  /** Another replica runs it now: no timer, and a run in progress stops at its next page. */
  pause(): void {
    this.paused = true;
    this.o.metrics?.leader.set(0);
    clearTimeout(this.timer);
  }

  private get stopping(): boolean {
    return this.closed || this.paused;
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => this.schedule());
    }, this.o.intervalMs);
    this.timer.unref();
  }

  /** Runs now, or joins the run in progress: a slow run never starts twice. */
  runOnce(): Promise<RunOutcome> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the timer; a run in progress stops at its next page and publishes nothing. */
  async close(): Promise<void> {
    await this.o.leadership?.stop();
    this.closed = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  private async run(): Promise<RunOutcome> {
    const t0 = performance.now();
    const m = this.o.metrics;
    let outcome: RunOutcome;
    try {
      outcome = await this.scanAndPublish(t0);
    } catch (e) {
      const stage = e instanceof Stopped ? (this.stopping ? "stopped" : "budget") : "internal";
      outcome = {
        ok: false,
        objects: 0,
        reports: 0,
        deleted: 0,
        requests: 0,
        failures: [(e as Error).message],
      };
      if (stage !== "stopped") m?.errors.inc({ stage });
    }
    const seconds = (performance.now() - t0) / 1000;
    const now = Date.now() / 1000;
    m?.lastRun.set(now);
    m?.duration.set(seconds);
    m?.requests.set(outcome.requests);
    if (outcome.ok) {
      m?.lastSuccess.set(now);
      m?.objects.set(outcome.objects);
      m?.reports.set(outcome.reports);
    }
    const fields = { ...outcome, durationMs: Math.round(seconds * 1000) };
    if (outcome.ok) this.o.log.info(fields, "background audit: reports current");
    else if (!this.stopping) this.o.log.warn(fields, "background audit failed: last reports kept");
    return outcome;
  }

  private async scanAndPublish(t0: number): Promise<RunOutcome> {
    const { engine } = this.o;
    const view = this.o.view();
    const user = auditUser(undefined, []);
    const byNs = new Map<string, NamespaceResults>();
    const failures: string[] = [];
    let requests = 0;
    let objects = 0;
    const pause = async (): Promise<void> => {
      if (this.stopping) throw new Stopped("stopped");
      if (performance.now() - t0 > this.o.budgetMs)
        throw new Stopped(`over its budget of ${this.o.budgetMs} ms`);
      if (this.o.pagePauseMs > 0) await new Promise((r) => setTimeout(r, this.o.pagePauseMs));
    };
    const list = async (path: string, opts: ListOptions) => {
      const res = await this.o.lister.list(path, {
        ...opts,
        pageSize: this.o.pageSize,
        pause,
        onPage: () => void requests++,
      });
      if (!res.ok) requests++;
      return res;
    };
    for (const src of this.o.sources) {
      if (requests > 0) await pause();
      const tokens = src.kind === "Secret" ? await this.tokenSecrets(list) : undefined;
      // Pages are evaluated as they come: a 404 at one version has no items, so `served` is the
      // version of every item seen (listServed tries versions one after another).
      let served = src.apiVersion;
      const { res } = await listServed(
        (path, opts) => {
          served = apiVersionOf(src, path);
          return list(path, opts);
        },
        src,
        {
          metadataOnly: src.metadataOnly,
          onItems: (items) => {
            for (const it of items) {
              const object: JsonRecord = src.metadataOnly
                ? { apiVersion: served, kind: src.kind, metadata: it.metadata }
                : { ...it, apiVersion: served, kind: src.kind };
              if (tokens?.has(keyOf(object))) object.type = TOKEN_TYPE;
              if (ownedByAudited(object)) continue;
              const r = evaluate({ object }, view, engine, { user, defaultNamespace: "default", live: true });
              objects++;
              let acc = byNs.get(r.namespace);
              if (acc === undefined) byNs.set(r.namespace, (acc = new NamespaceResults(this.o.maxResults)));
              acc.add(r);
            }
          },
        },
      );
      if (!res.ok && !(src.optional === true && res.status === 404)) {
        failures.push(`list ${src.path}: ${res.status} ${res.reason}`);
      }
    }
    if (failures.length > 0) {
      this.o.metrics?.errors.inc({ stage: "list" });
      return { ok: false, objects, reports: 0, deleted: 0, requests, failures };
    }
    const reports = this.reports(byNs);
    const applyFailures = await this.o.writer.apply(reports);
    requests += reports.length;
    const keep = new Set(reports.map(reportPath));
    let deleted = 0;
    const deleteFailures: string[] = [];
    for (const collection of REPORT_LISTS) {
      const existing: string[] = [];
      const res = await list(collection, {
        metadataOnly: true,
        labelSelector: MANAGED,
        onItems: (items) => {
          for (const it of items) existing.push(pathOfExisting(collection, it));
        },
      });
      if (!res.ok) {
        if (res.status !== 404) deleteFailures.push(`list ${collection}: ${res.status} ${res.reason}`);
        continue;
      }
      for (const path of existing.filter((p) => !keep.has(p))) {
        requests++;
        const err = await this.o.writer.remove(path);
        if (err === undefined) deleted++;
        else deleteFailures.push(`delete ${err}`);
      }
    }
    const all = [...applyFailures, ...deleteFailures];
    if (all.length > 0) this.o.metrics?.errors.inc({ stage: "publish" });
    return {
      ok: all.length === 0,
      objects,
      reports: reports.length - applyFailures.length,
      deleted,
      requests,
      failures: all,
    };
  }

  /** Namespace/name of the service-account token secrets (metadata-only lists carry no `type`). */
  private async tokenSecrets(
    list: (path: string, opts: ListOptions) => Promise<{ ok: boolean }>,
  ): Promise<Set<string>> {
    const keys = new Set<string>();
    await list("/api/v1/secrets", {
      metadataOnly: true,
      fieldSelector: `type=${TOKEN_TYPE}`,
      onItems: (items) => {
        for (const it of items) keys.add(keyOf(it));
      },
    });
    return keys;
  }

  private reports(byNs: ReadonlyMap<string, NamespaceResults>): PolicyReportObject[] {
    const generatedAt = new Date().toISOString();
    const out: PolicyReportObject[] = [];
    for (const [, acc] of [...byNs].sort(([a], [b]) => a.localeCompare(b))) {
      const [report] = toPolicyReports(
        {
          generatedAt,
          scope: "cluster",
          directory: "cluster",
          user: "",
          results: acc.results,
          summary: summarize(acc.results),
        },
        this.o.engine.rules.all.length,
        this.o.maxResults,
      );
      // An exempt namespace yields no report: it is deleted below like any other stale one.
      if (report === undefined) continue;
      report.summary.pass += acc.dropped.pass;
      report.summary.skip += acc.dropped.skip;
      out.push(report);
    }
    return out;
  }
}

function keyOf(o: JsonRecord): string {
  return `${str(rec(o.metadata)?.namespace)}/${str(rec(o.metadata)?.name)}`;
}

function pathOfExisting(collection: string, it: JsonRecord): string {
  const md = rec(it.metadata);
  const name = encodeURIComponent(str(md?.name) ?? "");
  const ns = str(md?.namespace);
  if (ns === undefined || ns === "") return `${collection}/${name}`;
  return `/apis/${POLICY_REPORT_API}/namespaces/${encodeURIComponent(ns)}/policyreports/${name}`;
}
