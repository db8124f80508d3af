// Metrics of the background audit, on the server's registry: when it last ran, how long, how much.
import { Counter, Gauge, type Registry } from "prom-client";

export interface BackgroundAuditMetrics {
  readonly lastRun: Gauge;
  readonly lastSuccess: Gauge;
  readonly duration: Gauge;
  readonly objects: Gauge;
  readonly reports: Gauge;
  readonly requests: Gauge;
  readonly errors: Counter<"stage">;
  readonly leader: Gauge;
}

export function backgroundAuditMetrics(registry: Registry): BackgroundAuditMetrics {
  const registers = [registry];
  return {
    lastRun: new Gauge({
      name: "tenant_guard_background_audit_last_run_timestamp_seconds",
      help: "When the last background audit run finished (successful or not)",
      registers,
    }),
    lastSuccess: new Gauge({
      name: "tenant_guard_background_audit_last_success_timestamp_seconds",
      help: "When the last background audit run finished and published its reports",
      registers,
    }),
    duration: new Gauge({
      name: "tenant_guard_background_audit_duration_seconds",
      help: "How long the last background audit run took",
      registers,
    }),
    objects: new Gauge({
      name: "tenant_guard_background_audit_objects",
      help: "Objects evaluated by the last background audit run",
      registers,
    }),
    reports: new Gauge({
      name: "tenant_guard_background_audit_reports",
      help: "PolicyReports and ClusterPolicyReports the last successful run kept current",
      registers,
    }),
    requests: new Gauge({
      name: "tenant_guard_background_audit_api_requests",
      help: "API server requests (list pages, applies, deletes) of the last background audit run",
      registers,
    }),
    errors: new Counter({
      name: "tenant_guard_background_audit_errors_total",
      help: "Background audit runs that failed, by stage (list, publish, budget, internal)",
      labelNames: ["stage"],
      registers,
    }),
    leader: new Gauge({
      name: "tenant_guard_background_audit_leader",
      help: "1 while this replica runs the background audit (holds its Lease), else 0",
      registers,
    }),
  };
}
