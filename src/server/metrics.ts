// Prometheus metrics on a registry of our own (never prom-client's global one), so several servers
// can live in one process (tests) and nothing leaks across them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Directory } from "../tenancy/directory.ts";

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<"route" | "kind" | "operation" | "decision" | "dry_run">;
  readonly findings: Counter<"route" | "rule" | "mode">;
  readonly duration: Histogram<"route">;
  readonly errors: Counter<"route" | "code">;

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
      labelNames: ["route", "rule", "mode"],
      registers,
    });
    this.duration = new Histogram({
      name: "tenant_guard_admission_duration_seconds",
      help: "Time from request body received to response written",
      labelNames: ["route"],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
      registers,
    });
    this.errors = new Counter({
      name: "tenant_guard_http_errors_total",
      help: "Requests refused with an HTTP error, by error code",
      labelNames: ["route", "code"],
      registers,
    });
    if (directory !== undefined) {
      new Gauge({
        name: "tenant_guard_directory_ready",
        help: "1 when the tenant directory is synced and serving",
        registers,
        collect() {
          this.set(directory.status().ready ? 1 : 0);
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
    }
    if (opts.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: "tenant_guard_" });
  }
}
