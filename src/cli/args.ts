// Flags and their TENANT_GUARD_* environment twins -> config overrides. The only place besides
// main.ts that sees argv/env, and it only turns them into data.
import { parseArgs } from "node:util";
import { TenantGuardError } from "../errors.ts";
import { usageMessage } from "../config/did-you-mean.ts";
import type { JsonRecord } from "../k8s/access.ts";

interface FlagSpec {
  readonly flag: string;
  readonly path: readonly [string, ...string[]];
  readonly type: "string" | "number" | "boolean";
}

/** `serve` flags: flag name, config path, type. The env twin is TENANT_GUARD_<FLAG_IN_CAPS>. */
const SERVE_FLAGS: readonly FlagSpec[] = [
  { flag: "port", path: ["server", "port"], type: "number" },
  { flag: "host", path: ["server", "host"], type: "string" },
  { flag: "tls-cert", path: ["server", "tlsCert"], type: "string" },
  { flag: "tls-key", path: ["server", "tlsKey"], type: "string" },
  { flag: "client-ca", path: ["server", "clientCa"], type: "string" },
  { flag: "jwks", path: ["server", "jwks"], type: "string" },
  { flag: "directory", path: ["directory", "source"], type: "string" },
  { flag: "kubeconfig", path: ["directory", "kubeconfig"], type: "string" },
  { flag: "enforcement", path: ["enforcement", "mode"], type: "string" },
  { flag: "log-level", path: ["log", "level"], type: "string" },
  { flag: "workers", path: ["server", "workers"], type: "number" },
  { flag: "background-audit", path: ["audit", "background", "interval"], type: "string" },
  { flag: "gateway-api", path: ["directory", "gatewayAPI"], type: "boolean" },
];

export function envName(flag: string): string {
  return `TENANT_GUARD_${flag.toUpperCase().replaceAll("-", "_")}`;
}

export interface ParsedServeArgs {
  readonly configPath: string | undefined;
  readonly overrides: JsonRecord;
}

function setPath(target: JsonRecord, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as JsonRecord;
  at[path[path.length - 1] ?? ""] = value;
}

function convert(spec: FlagSpec, raw: string, source: string): unknown {
  if (spec.type === "string") return raw;
  if (spec.type === "boolean") {
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw new TenantGuardError("TG_USAGE", `${source} must be true or false, got ${JSON.stringify(raw)}`);
  }
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n)) {
    throw new TenantGuardError("TG_USAGE", `${source} must be an integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Env first, then flags on top: a flag always wins over its environment twin. */
export function parseServeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedServeArgs {
  const options: Record<string, { type: "string" | "boolean" }> = { config: { type: "string" } };
  for (const s of SERVE_FLAGS) options[s.flag] = { type: s.type === "boolean" ? "boolean" : "string" };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new TenantGuardError("TG_USAGE", usageMessage(e as Error, Object.keys(options)));
  }
  const overrides: JsonRecord = {};
  for (const spec of SERVE_FLAGS) {
    const fromEnv = env[envName(spec.flag)];
    if (fromEnv !== undefined && fromEnv !== "")
      setPath(overrides, spec.path, convert(spec, fromEnv, envName(spec.flag)));
    const fromFlag = values[spec.flag];
    if (fromFlag === true) setPath(overrides, spec.path, true);
    else if (typeof fromFlag === "string")
      setPath(overrides, spec.path, convert(spec, fromFlag, `--${spec.flag}`));
  }
  const cfgFlag = values.config;
  const configPath = typeof cfgFlag === "string" ? cfgFlag : env[envName("config")] || undefined;
  return { configPath, overrides };
}
