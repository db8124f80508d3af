// Builds the background audit `serve` runs from the config: its own API client (the directory's
// kubeconfig, or the pod's service account), the report writer and the metrics.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Config } from "../config/schema.ts";
import { durationMs } from "../config/schema.ts";
import type { Engine } from "../policy/engine.ts";
import type { TenantView } from "../tenancy/view.ts";
import { BackgroundAudit } from "./background.ts";
import { backgroundAuditMetrics } from "./background-metrics.ts";
import { backgroundSources } from "./background-sources.ts";
import { kubeLister, loadKubeConfig } from "./kube-list.ts";
import { deleteReport, publishReports } from "./publish.ts";

export function startBackgroundAudit(
  cfg: Config,
  deps: { engine: Engine; view: () => TenantView; log: Logger; registry: Registry },
): BackgroundAudit | undefined {
  const bg = cfg.audit.background;
  if (bg.interval === undefined) return undefined;
  const intervalMs = durationMs(bg.interval);
  // Throws at start (a usage error) when there is no kubeconfig and no in-cluster service account.
  const kc = loadKubeConfig(cfg.directory.kubeconfig);
  const log = deps.log.child({ component: "background-audit" });
  const audit = new BackgroundAudit({
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
    metrics: backgroundAuditMetrics(deps.registry),
  });
  audit.start();
  log.info(
    { interval: bg.interval, pageSize: bg.pageSize, pagePauseMs: bg.pagePauseMs },
    "background audit on",
  );
  return audit;
}
