// Prometheus metrics of the cluster directory's informers, read from their stats at scrape time:
// sync state, whether the watch is up (0 = serving a stale cache while restarting), events seen,
// seconds since the last event, restarts.
import { Counter, Gauge, type Registry } from "prom-client";
import type { InformerStatsSource } from "./stats.ts";

export function registerInformerMetrics(source: InformerStatsSource, registers: Registry[]): void {
  new Gauge({
    name: "tenant_guard_directory_informer_synced",
    help: "1 once the informer has listed its resource (its cache is complete, maybe stale)",
    labelNames: ["resource"],
    registers,
    collect() {
      for (const s of source.informerStats()) this.set({ resource: s.resource }, s.synced ? 1 : 0);
    },
  });
  new Gauge({
    name: "tenant_guard_directory_informer_watching",
    help: "1 while the informer's watch is open; 0 while it restarts and the last state is served",
    labelNames: ["resource"],
    registers,
    collect() {
      for (const s of source.informerStats()) this.set({ resource: s.resource }, s.watching ? 1 : 0);
    },
  });
  new Gauge({
    name: "tenant_guard_directory_last_event_age_seconds",
    help: "Seconds since the informer's last list or watch event (bookmarks included)",
    labelNames: ["resource"],
    registers,
    collect() {
      const now = Date.now();
      for (const s of source.informerStats()) {
        if (s.lastEventAt !== undefined) this.set({ resource: s.resource }, (now - s.lastEventAt) / 1000);
      }
    },
  });
  new Counter({
    name: "tenant_guard_directory_watch_events_total",
    help: "Watch events seen by the informer, by type",
    labelNames: ["resource", "type"],
    registers,
    collect() {
      this.reset();
      for (const s of source.informerStats()) {
        for (const [type, n] of Object.entries(s.events)) this.inc({ resource: s.resource, type }, n);
      }
    },
  });
  new Counter({
    name: "tenant_guard_directory_listed_objects_total",
    help: "Objects received by the informer's lists (initial sync and relists)",
    labelNames: ["resource"],
    registers,
    collect() {
      this.reset();
      for (const s of source.informerStats()) this.inc({ resource: s.resource }, s.listed);
    },
  });
  new Counter({
    name: "tenant_guard_directory_informer_restarts_total",
    help: "Times the informer was restarted (with backoff) after it stopped on an error",
    labelNames: ["resource"],
    registers,
    collect() {
      this.reset();
      for (const s of source.informerStats()) this.inc({ resource: s.resource }, s.restarts);
    },
  });
}
