// `serve --workers N`: N server processes on one port (node:cluster) for nodes with more than one
// core. Each worker is a whole tenant-guard (its own directory, metrics, graceful shutdown); the
// primary only forks, restarts a worker that dies, and passes SIGTERM/SIGINT on. All workers must
// present the same certificate, so a self-signed one is made once, here, and handed down as files.
import cluster, { type Worker } from "node:cluster";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { flushLogger } from "../log.ts";
import { defaultDnsNames, selfSignedCert } from "../server/tls.ts";
import { envName } from "./args.ts";

/** More restarts than this within RESTART_WINDOW_MS: give up and let Kubernetes restart the pod. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;
/** Set to "1" in the one worker that runs --background-audit: N workers must not publish N times. */
export const BACKGROUND_AUDIT_WORKER_ENV = "TENANT_GUARD_BACKGROUND_AUDIT_WORKER";

/**
 * In the primary: forks and supervises the workers, returns undefined (the caller keeps running).
 * In a worker: returns the logger to serve with, tagged with the worker id.
 */
export async function runWorkers(cfg: Config, log: Logger): Promise<Logger | undefined> {
  if (cluster.isWorker) return log.child({ worker: cluster.worker?.id });
  await supervise(cfg, log);
  return undefined;
}

async function supervise(cfg: Config, log: Logger): Promise<void> {
  const n = cfg.server.workers;
  const env: Record<string, string> = {};
  let certDir: string | undefined;
  if (cfg.server.tlsCert === undefined || cfg.server.tlsKey === undefined) {
    const cert = await selfSignedCert(defaultDnsNames(cfg.tenancy.namespace, cfg.server.serviceNames));
    certDir = mkdtempSync(join(tmpdir(), "tenant-guard-"));
    writeFileSync(join(certDir, "tls.crt"), cert.cert, { mode: 0o600 });
    writeFileSync(join(certDir, "tls.key"), cert.key, { mode: 0o600 });
    env[envName("tls-cert")] = join(certDir, "tls.crt");
    env[envName("tls-key")] = join(certDir, "tls.key");
    log.warn("no --tls-cert/--tls-key given: the workers share one self-signed ECDSA P-256 certificate");
  }
  const cleanup = (): void => {
    if (certDir !== undefined) rmSync(certDir, { recursive: true, force: true });
  };

  let stopping = false;
  let exitCode = 0;
  const restarts: number[] = [];
  let auditor: number | undefined;
  const fork = (): Worker => {
    const runsAudit = auditor === undefined;
    const w = cluster.fork({ ...env, [BACKGROUND_AUDIT_WORKER_ENV]: runsAudit ? "1" : "0" });
    if (runsAudit) auditor = w.id;
    return w;
  };
  cluster.on("online", (w) => log.info({ worker: w.id, pid: w.process.pid }, "worker started"));
  cluster.on("exit", (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info("all workers stopped");
        flushLogger(log);
        cleanup();
        process.exit(exitCode);
      }
      return;
    }
    if (w.id === auditor) auditor = undefined; // its replacement takes the background audit over
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      log.fatal({ worker: w.id, code, signal }, "workers keep dying: giving up");
      flushLogger(log);
      stop("workers keep dying", 1);
      return;
    }
    log.error({ worker: w.id, code, signal }, "worker died: starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });

  const stop = (reason: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info({ reason }, "stopping workers");
    const { shutdownDelayMs, drainTimeoutMs } = cfg.server;
    setTimeout(
      () => {
        cleanup();
        process.exit(code || 1);
      },
      shutdownDelayMs + drainTimeoutMs + 10_000,
    ).unref();
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) {
      cleanup();
      process.exit(code);
    }
    // Each worker runs its own graceful shutdown (readiness off, delay, drain) on SIGTERM.
    for (const w of alive) w?.process.kill("SIGTERM");
  };
  process.once("SIGTERM", () => stop("SIGTERM", 0));
  process.once("SIGINT", () => stop("SIGINT", 0));
  log.info({ workers: n, port: cfg.server.port }, "starting workers");
  for (let i = 0; i < n; i++) fork();
}
