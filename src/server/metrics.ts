// Prometheus metrics on a registry of our own (never prom-client's global one), so several servers
// can live in one process (tests) and nothing leaks across them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { registerInformerMetrics } from "../tenancy/cluster/metrics.ts";
import { hasInformerStats } from "../tenancy/cluster/stats.ts";
import { registerQuotaMetrics } from "./quota-metrics.ts";
import type { Directory } from "../tenancy/directory.ts";

type RequestLabel = "route" | "kind" | "operation" | "decision" | "dry_run";

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<RequestLabel>;
  readonly findings: Counter<"route" | "rule" | "mode" | "dry_run">;
  /** By route; the review path binds its series once (`duration.labels({ route })`). */
  readonly duration: Histogram<"route">;
  /** Denied reviews by the tenant of the namespace written in: the per-tenant deny-spike alert. */
  readonly tenantDenials: Counter<"route" | "tenant" | "dry_run">;
  readonly errors: Counter<"route" | "code">;
  readonly authFailures: Counter<"route" | "reason">;
  readonly certExpiry: Gauge<"file">;
  readonly reloads: Counter<"file" | "result">;
  readonly uncaught: Counter;
  /** Reviews answered, as a plain number (AfterBurstGc reads it every few seconds). */
  reviews = 0;

  constructor(directory?: Directory, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "tenant_guard_admission_requests_total",
      help: "Admission reviews answered, by route, kind, operation and decision",
      labelNames: ["route", "kind", "operation", "decision", "dry_run"],
      registers,
    });
    this.findings = new Counter({
      name: "tenant_guard_rule_findings_total",
      help: "Rule findings by rule code and the mode they were handled in",
      labelNames: ["route", "rule", "mode", "dry_run"],
      registers,
    });
    this.duration = new Histogram({
      name: "tenant_guard_admission_duration_seconds",
      help: "Time from request body received to response written",
      labelNames: ["route"],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
      registers,
    });
    this.tenantDenials = new Counter({
      name: "tenant_guard_tenant_denials_total",
      help: 'Reviews denied, by the tenant owning the request\'s namespace ("" when unowned or cluster-scoped)',
      labelNames: ["route", "tenant", "dry_run"],
      registers,
    });
    this.errors = new Counter({
      name: "tenant_guard_http_errors_total",
      help: "Requests refused with an HTTP error, by error code",
      labelNames: ["route", "code"],
      registers,
    });
    this.authFailures = new Counter({
      name: "tenant_guard_auth_failures_total",
      help: "Calls refused with 401 because the caller was not authenticated, by reason",
      labelNames: ["route", "reason"],
      registers,
    });
    this.certExpiry = new Gauge({
      name: "tenant_guard_serving_cert_expiry_timestamp_seconds",
      help: "notAfter of the certificates in use (serving certificate, client CA), Unix seconds",
      labelNames: ["file"],
      registers,
    });
    this.reloads = new Counter({
      name: "tenant_guard_file_reloads_total",
      help: "Reloads of the certificate, key, client CA and JWKS files, by result",
      labelNames: ["file", "result"],
      registers,
    });
    this.uncaught = new Counter({
      name: "tenant_guard_uncaught_errors_total",
      help: "Exceptions and rejections that escaped every handler (each one is logged)",
      registers,
    });
    if (directory !== undefined) {
      new Gauge({
        name: "tenant_guard_directory_ready",
        help: "1 when the tenant directory is synced and serving",
        registers,
        collect() {
          this.set(directory.readiness().ready ? 1 : 0);
        },
      });
      new Gauge({
        name: "tenant_guard_directory_degraded",
        help: "1 when the directory serves its last good state but reports a problem (stale, reload failed, watch broken)",
        registers,
        collect() {
          const st = directory.readiness();
          this.set(st.ready && st.reason !== undefined ? 1 : 0);
        },
      });
      new Gauge({
        name: "tenant_guard_directory_objects",
        help: "Objects cached by the tenant directory, by kind",
        labelNames: ["kind"],
        registers,
        collect() {
          for (const [kind, n] of Object.entries(directory.status().counts)) this.set({ kind }, n);
        },
      });
      if (hasInformerStats(directory)) registerInformerMetrics(directory, registers);
      registerQuotaMetrics(directory, registers);
    }
    if (opts.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: "tenant_guard_" });
  }
}
