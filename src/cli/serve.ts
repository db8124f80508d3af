// `tenant-guard serve`: directory -> certificate -> engine -> HTTPS server, and the SIGTERM dance a
// webhook behind a Service needs: fail /readyz at once, keep answering for shutdownDelay while the
// endpoint is withdrawn, stop accepting, finish what is in flight, exit.
import type { Logger } from "pino";
import { policySettings } from "../config/settings.ts";
import type { Config } from "../config/schema.ts";
import { flushLogger } from "../log.ts";
import { mutatorRegistry, ruleRegistry } from "../policy/catalogue.ts";
import type { Engine } from "../policy/engine.ts";
import type { Lifecycle } from "../server/app.ts";
import { Metrics } from "../server/metrics.ts";
import { startServer, type RunningServer } from "../server/server.ts";
import { defaultDnsNames, loadCertFiles, selfSignedCert, type ServingCert } from "../server/tls.ts";
import { createDirectory } from "../tenancy/create.ts";
import type { Directory } from "../tenancy/directory.ts";

export interface Serving {
  readonly server: RunningServer;
  readonly directory: Directory;
  readonly metrics: Metrics;
  readonly lifecycle: Lifecycle;
  readonly cert: ServingCert;
  /** The graceful stop: readiness off, delay, close, drain. */
  shutdown(reason: string): Promise<void>;
}

export interface ServeOptions {
  readonly directory?: Directory;
  readonly defaultMetrics?: boolean;
}

export async function serve(cfg: Config, log: Logger, opts: ServeOptions = {}): Promise<Serving> {
  const t0 = performance.now();
  const directory = opts.directory ?? (await createDirectory(cfg, log));
  await directory.start();
  const cert =
    cfg.server.tlsCert !== undefined && cfg.server.tlsKey !== undefined
      ? await loadCertFiles(cfg.server.tlsCert, cfg.server.tlsKey)
      : await selfSignedCert(defaultDnsNames(cfg.tenancy.namespace, cfg.server.serviceNames));
  if (cert.selfSigned) {
    log.warn(
      { dnsNames: cert.dnsNames },
      "no --tls-cert/--tls-key given: serving a self-signed ECDSA P-256 certificate",
    );
  }
  const metrics = new Metrics(directory, { defaultMetrics: opts.defaultMetrics ?? true });
  const engine: Engine = {
    rules: ruleRegistry(),
    mutators: mutatorRegistry(),
    settings: policySettings(cfg),
  };
  const lifecycle: Lifecycle = { shuttingDown: false };
  const server = await startServer(cfg, cert, {
    directory,
    engine,
    log,
    metrics,
    lifecycle,
    bodyLimit: cfg.server.bodyLimitBytes,
    failOpenWhenNotReady: cfg.directory.whenNotReady === "allow",
  });
  log.info(
    {
      url: server.url,
      directory: cfg.directory.source,
      enforcement: cfg.enforcement.mode,
      startMs: Math.round(performance.now() - t0),
    },
    "tenant-guard listening",
  );
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      lifecycle.shuttingDown = true;
      log.info(
        { reason, delayMs: cfg.server.shutdownDelayMs },
        "shutting down: readiness off, still serving",
      );
      await new Promise((r) => setTimeout(r, cfg.server.shutdownDelayMs));
      await server.close();
      await directory.close();
      log.info("shutdown complete");
      flushLogger(log);
    })();
    return stopping;
  };
  return { server, directory, metrics, lifecycle, cert, shutdown };
}
