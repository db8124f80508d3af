// Builds the background audit `serve` runs from the config: its own API client (the directory's
// kubeconfig, or the pod's service account), the report writer and the metrics.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Config } from "../config/schema.ts";
import { durationMs } from "../config/schema.ts";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Engine } from "../policy/engine.ts";
import type { TenantView } from "../tenancy/view.ts";
import { BackgroundAudit } from "./background.ts";
import { backgroundAuditMetrics } from "./background-metrics.ts";
import { backgroundSources } from "./background-sources.ts";
import { LeaderElector } from "./leader-election.ts";
import { leaseClient } from "./lease-client.ts";
import { kubeLister, loadKubeConfig } from "./kube-list.ts";
import { deleteReport, publishReports } from "./publish.ts";

/** Who this replica is, from the downward API (POD_NAME, POD_NAMESPACE); main.ts reads them. */
export interface ReplicaIdentity {
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
}

export function startBackgroundAudit(
  cfg: Config,
  deps: {
    engine: Engine;
    view: () => TenantView;
    log: Logger;
    registry: Registry;
    identity?: ReplicaIdentity;
  },
): BackgroundAudit | undefined {
  const bg = cfg.audit.background;
  if (bg.interval === undefined) return undefined;
  const intervalMs = durationMs(bg.interval);
  // Throws at start (a usage error) when there is no kubeconfig and no in-cluster service account.
  const kc = loadKubeConfig(cfg.directory.kubeconfig);
  const log = deps.log.child({ component: "background-audit" });
  const metrics = backgroundAuditMetrics(deps.registry);
  const le = bg.leaderElection;
  // client-go's advice: a unique identity; the pod name is, and a hostname plus a UUID stands in.
  const identity = deps.identity?.name || `${hostname()}_${randomUUID()}`;
  const leaseNamespace = le.namespace ?? (deps.identity?.namespace || cfg.tenancy.namespace);
  let audit: BackgroundAudit | undefined = undefined;
  const elector = le.enabled
    ? new LeaderElector({
        client: leaseClient(kc, leaseNamespace, le.leaseName),
        identity,
        leaseDurationMs: durationMs(le.leaseDuration),
        renewDeadlineMs: durationMs(le.renewDeadline),
        retryPeriodMs: durationMs(le.retryPeriod),
        onStartedLeading: () => audit?.resume(),
        onStoppedLeading: () => audit?.pause(),
        log,
      })
    : undefined;
  metrics.leader.set(0);
  audit = new BackgroundAudit({
    lister: kubeLister(kc),
    writer: {
      apply: async (reports) => (await publishReports(kc, reports, (line) => log.debug(line))).failed,
      remove: (path) => deleteReport(kc, path),
    },
    view: deps.view,
    engine: deps.engine,
    sources: backgroundSources(cfg.workloads.builtinCustomResources),
    intervalMs,
    pageSize: bg.pageSize,
    pagePauseMs: bg.pagePauseMs,
    budgetMs: bg.budget === undefined ? intervalMs : durationMs(bg.budget),
    maxResults: bg.maxResults,
    log,
    metrics,
    ...(elector === undefined ? {} : { leadership: elector }),
  });
  audit.start();
  log.info(
    {
      interval: bg.interval,
      pageSize: bg.pageSize,
      pagePauseMs: bg.pagePauseMs,
      leaderElection:
        elector === undefined ? false : { lease: `${leaseNamespace}/${le.leaseName}`, identity },
    },
    "background audit on",
  );
  return audit;
}
