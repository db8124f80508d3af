// The only place that reads argv and the environment: builds the config, wires the parts, starts.
import { checkConfig } from "./cli/check-config.ts";
import { checkDefaultDirectory } from "./config/default-directory.ts";
import { didYouMean } from "./config/did-you-mean.ts";
import { parseServeArgs } from "./cli/args.ts";
import { serve } from "./cli/serve.ts";
import { readConfigFile } from "./config/load.ts";
import { buildConfig } from "./policy/config.ts";
import { isTenantGuardError } from "./errors.ts";
import { LogClock, createLogger } from "./log.ts";
import { installProcessGuards } from "./server/process-guard.ts";

const USAGE = `usage:
  tenant-guard serve [--config FILE] [--port 8443] [--host 0.0.0.0]
                     [--directory file:PATH | cluster] [--kubeconfig PATH]
                     [--tls-cert FILE --tls-key FILE] [--client-ca FILE] [--jwks FILE|URL]
                     [--enforcement Enforce|Warn|Audit] [--log-level info] [--workers 1]
                     [--background-audit 10m] [--gateway-api]
  tenant-guard audit [FILE|DIR|-]... | --cluster [--publish]
                     [--directory file:PATH | cluster] [--kubeconfig PATH] [--config FILE]
                     [--as USER] [--group G]... [-n NAMESPACE] [--enforcement Enforce|Warn|Audit]
                     [-o table|json|policyreport]        (tenant-guard audit --help for more)
  tenant-guard check-config [FILE] [--directory file:PATH]
Every serve flag has a TENANT_GUARD_* environment twin (e.g. TENANT_GUARD_PORT).`;

const COMMANDS = ["serve", "audit", "check-config", "help"];

async function runServe(argv: readonly string[]): Promise<number> {
  const args = parseServeArgs(argv, process.env);
  const cfg = buildConfig(
    args.configPath === undefined ? undefined : readConfigFile(args.configPath),
    args.overrides,
  );
  checkDefaultDirectory(cfg);
  // A person at a terminal reads lines; a pipe or a container runtime gets JSON.
  const logClock = new LogClock();
  let log = createLogger(cfg.log.level, undefined, process.stdout.isTTY === true, logClock);
  let served = cfg;
  if (cfg.server.workers > 1) {
    const { runWorkers, BACKGROUND_AUDIT_WORKER_ENV } = await import("./cli/workers.ts");
    const workerLog = await runWorkers(cfg, log);
    if (workerLog === undefined) return -1; // the primary only supervises
    log = workerLog;
    // One worker publishes the background audit's reports; the others only answer reviews.
    if (process.env[BACKGROUND_AUDIT_WORKER_ENV] !== "1") {
      const background = { ...cfg.audit.background, interval: undefined };
      served = { ...cfg, audit: { ...cfg.audit, background } };
    }
  }
  // The downward API's pod name is this replica's holder identity on the background audit's Lease.
  const identity = { name: process.env.POD_NAME, namespace: process.env.POD_NAMESPACE };
  const serving = await serve(served, log, { identity, logClock });
  const stop = (reason: string, code: number): void => {
    // A hard deadline inside the default 30 s grace period, in case something never drains.
    const { shutdownDelayMs, drainTimeoutMs } = cfg.server;
    setTimeout(() => process.exit(1), shutdownDelayMs + drainTimeoutMs + 5000).unref();
    void serving.shutdown(reason).then(() => process.exit(code));
  };
  process.once("SIGTERM", () => stop("SIGTERM", 0));
  process.once("SIGINT", () => stop("SIGINT", 0));
  installProcessGuards(process, {
    log,
    metrics: serving.metrics,
    beforeFlush: () => serving.afterAnswers.drain(),
    giveUp: (why) => stop(why, 1),
  });
  return -1; // keep running
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return runServe(rest);
    case "check-config":
      return checkConfig(rest);
    case "audit": {
      const { runAudit } = await import("./cli/audit.ts");
      return runAudit(rest, process.stdin, process.stdout, process.stderr);
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command ${JSON.stringify(command)}${didYouMean(command, COMMANDS)}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    if (isTenantGuardError(e)) {
      console.error(`tenant-guard: ${e.message}`);
      if (e.code === "TG_USAGE") console.error("(tenant-guard help lists the commands and flags)");
      process.exitCode = 2;
    } else {
      console.error(e);
      process.exitCode = 1;
    }
  },
);
