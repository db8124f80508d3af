// `tenant-guard serve`: directory -> certificate -> engine -> HTTPS server, and the SIGTERM dance a
// webhook behind a Service needs: fail /readyz at once, keep answering for shutdownDelay while the
// endpoint is withdrawn, stop accepting, finish what is in flight, exit.
import type { Logger } from "pino";
import type { BackgroundAudit } from "../audit/background.ts";
import { policySettings } from "../policy/settings.ts";
import type { Config } from "../config/schema.ts";
import { flushLogger, type LogClock } from "../log.ts";
import { MUTATORS, RULES, mutatorRegistry, ruleRegistry } from "../policy/catalogue.ts";
import type { Engine } from "../policy/engine.ts";
import type { Mutator, Rule } from "../policy/types.ts";
import { AfterAnswers } from "../server/after-answers.ts";
import { AFTER_BURST_DEFAULTS, AfterBurstGc } from "../server/after-burst-gc.ts";
import type { Lifecycle } from "../server/router.ts";
import { createAuthenticator } from "../server/auth.ts";
import { openKeySource } from "../server/jwks.ts";
import { Metrics } from "../server/metrics.ts";
import { startServer, type RunningServer } from "../server/server.ts";
import { TlsReloader } from "../server/tls-reload.ts";
import {
  defaultDnsNames,
  loadCertFiles,
  loadClientCa,
  selfSignedCert,
  type ServingCert,
} from "../server/tls.ts";
import { createDirectory } from "../tenancy/create.ts";
import type { Directory } from "../tenancy/directory.ts";

export interface Serving {
  readonly server: RunningServer;
  readonly directory: Directory;
  readonly metrics: Metrics;
  readonly lifecycle: Lifecycle;
  /** The serving certificate at start; `tls.current` follows reloads. */
  readonly cert: ServingCert;
  readonly tls: TlsReloader;
  /** `--background-audit`: the PolicyReport refresher, when on. */
  readonly backgroundAudit?: BackgroundAudit;
  /** Bookkeeping (metrics, review lines) queued after answers; drained before the log is flushed. */
  readonly afterAnswers: AfterAnswers;
  /** The graceful stop: readiness off, delay, close, drain. */
  shutdown(reason: string): Promise<void>;
}

export interface ServeOptions {
  readonly directory?: Directory;
  readonly defaultMetrics?: boolean;
  /** Run in addition to the catalogue (tests inject a rule that throws, for instance). */
  readonly extraRules?: readonly Rule[];
  readonly extraMutators?: readonly Mutator[];
  /** This replica's pod name and namespace (downward API), for the background audit's Lease. */
  readonly identity?: { readonly name?: string | undefined; readonly namespace?: string | undefined };
  /** The clock `log` was created with (createLogger): review lines keep their review's time. */
  readonly logClock?: LogClock;
}

export async function serve(cfg: Config, log: Logger, opts: ServeOptions = {}): Promise<Serving> {
  const t0 = performance.now();
  // Certificate (file or freshly generated), client CA, JWKS and directory load side by side;
  // if any fails, nothing started is left running (a watcher would keep the process alive).
  const directory = opts.directory ?? (await createDirectory(cfg, log));
  const metrics = new Metrics(directory, { defaultMetrics: opts.defaultMetrics ?? true });
  const loads = [
    cfg.server.tlsCert !== undefined && cfg.server.tlsKey !== undefined
      ? loadCertFiles(cfg.server.tlsCert, cfg.server.tlsKey)
      : selfSignedCert(defaultDnsNames(cfg.tenancy.namespace, cfg.server.serviceNames)),
    cfg.server.clientCa === undefined ? undefined : loadClientCa(cfg.server.clientCa),
    cfg.server.jwks === undefined ? undefined : openKeySource(cfg, log, metrics),
    directory.start(),
  ] as const;
  const settled = await Promise.allSettled(loads);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed !== undefined) {
    if (settled[2].status === "fulfilled") settled[2].value?.close();
    await directory.close().catch(() => {});
    throw failed.reason;
  }
  const [cert, clientCa, keys] = await Promise.all([loads[0], loads[1], loads[2]]);
  if (cert.selfSigned) {
    log.warn(
      { dnsNames: cert.dnsNames },
      "no --tls-cert/--tls-key given: serving a self-signed ECDSA P-256 certificate",
    );
  }
  const engine: Engine = {
    rules: ruleRegistry([...RULES, ...(opts.extraRules ?? [])]),
    mutators: mutatorRegistry([...MUTATORS, ...(opts.extraMutators ?? [])]),
    settings: policySettings(cfg),
  };
  const lifecycle: Lifecycle = { shuttingDown: false };
  const afterAnswers = new AfterAnswers();
  let server: RunningServer;
  try {
    server = await startServer(
      cfg,
      { cert, clientCa },
      {
        directory,
        engine,
        log,
        metrics,
        lifecycle,
        bodyLimit: cfg.server.bodyLimitBytes,
        failOpenWhenNotReady: cfg.directory.whenNotReady === "allow",
        requestTimeoutMs: cfg.server.requestTimeoutMs,
        auth: createAuthenticator(cfg, keys),
        authProbes: cfg.auth.probesRequireAuth,
        authMetrics: cfg.auth.metricsRequireAuth,
        bearer: keys !== undefined,
        afterAnswers,
        ...(opts.logClock === undefined ? {} : { logClock: opts.logClock }),
      },
    );
  } catch (e) {
    // e.g. the port is taken: stop what was started so the process can exit with the error
    keys?.close();
    await directory.close().catch(() => {});
    throw e;
  }
  const tls = new TlsReloader(
    { cert, clientCa },
    {
      certPath: cert.selfSigned ? undefined : cfg.server.tlsCert,
      keyPath: cert.selfSigned ? undefined : cfg.server.tlsKey,
      clientCaPath: cfg.server.clientCa,
      pollMs: cfg.server.reloadPollMs,
      log,
      metrics,
      apply: (o) => server.setSecureContext(o),
    },
  );
  tls.start();
  const afterBurst = new AfterBurstGc(() => metrics.reviews, log, {
    ...AFTER_BURST_DEFAULTS,
    minRssBytes: cfg.server.reduceMemoryAboveMb * 2 ** 20,
  });
  afterBurst.start();
  let backgroundAudit: BackgroundAudit | undefined;
  if (cfg.audit.background.interval !== undefined) {
    try {
      // Loaded only when on: client-node is heavy. A timer of its own, never on the request path.
      const { startBackgroundAudit } = await import("../audit/background-start.ts");
      backgroundAudit = startBackgroundAudit(cfg, {
        engine,
        view: () => directory.view(),
        log,
        registry: metrics.registry,
        ...(opts.identity === undefined ? {} : { identity: opts.identity }),
      });
    } catch (e) {
      tls.close();
      afterBurst.close();
      keys?.close();
      await server.close();
      await directory.close().catch(() => {});
      throw e;
    }
  }
  log.info(
    {
      url: server.url,
      directory: cfg.directory.source,
      enforcement: cfg.enforcement.mode,
      mtls: clientCa !== undefined,
      jwt: keys?.origin,
      startMs: Math.round(performance.now() - t0),
      // since the process began (module loading included), wall and CPU
      processMs: Math.round(process.uptime() * 1000),
      processCpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    },
    "tenant-guard listening",
  );
  flushLogger(log); // the async destination buffers; operators (and tests) wait for this line
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      // Readiness off at once; keep answering while the endpoint is withdrawn, each answer with
      // `Connection: close` so keep-alive callers reconnect to another replica.
      lifecycle.shuttingDown = true;
      server.beginDrain();
      log.info(
        { reason, delayMs: cfg.server.shutdownDelayMs },
        "shutting down: readiness off, still serving",
      );
      afterAnswers.drain();
      flushLogger(log);
      await new Promise((r) => setTimeout(r, cfg.server.shutdownDelayMs));
      await backgroundAudit?.close();
      await server.close();
      tls.close();
      afterBurst.close();
      keys?.close();
      await directory.close();
      afterAnswers.drain(); // review lines still waiting for their batch's end come first
      log.info("shutdown complete");
      flushLogger(log);
    })();
    return stopping;
  };
  return {
    server,
    directory,
    metrics,
    lifecycle,
    cert,
    tls,
    shutdown,
    afterAnswers,
    ...(backgroundAudit ? { backgroundAudit } : {}),
  };
}
