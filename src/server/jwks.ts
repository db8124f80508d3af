// Where bearer-token signing keys come from: a JWKS file (reloaded when it changes, e.g. a mounted
// ConfigMap; a broken new file keeps the old keys) or a JWKS URL (jose caches it, refetches it
// after cacheMaxAge, and at once on a token with an unknown `kid`, so key rotation needs no restart).
import { readFile } from "node:fs/promises";
import type * as JoseModule from "jose";
import type { JSONWebKeySet, JWTVerifyGetKey, JWTVerifyOptions } from "jose";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { TenantGuardError } from "../errors.ts";
import { isRecord } from "../k8s/access.ts";
import type { Metrics } from "./metrics.ts";
import { watchFiles, type FileWatch } from "../k8s/file-watch.ts";

type Jose = typeof JoseModule;

export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  /** jose's jwtVerify against these keys (jose is loaded only when a JWKS is configured). */
  verify(token: string, options: JWTVerifyOptions): Promise<unknown>;
  readonly origin: "file" | "url";
  /** File source: re-reads the file; resolves true when the keys changed. */
  reload(): Promise<boolean>;
  /** Moves whenever the keys change (caches of verified tokens must then be dropped). */
  readonly generation: number;
  close(): void;
}

function isJwksUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export async function openKeySource(cfg: Config, log: Logger, metrics: Metrics): Promise<KeySource> {
  const source = cfg.server.jwks;
  if (source === undefined) throw new TenantGuardError("TG_CONFIG_INVALID", "server.jwks is not set");
  const jwt = cfg.auth.jwt;
  const jose = await import("jose");
  if (isJwksUrl(source)) {
    const remote = jose.createRemoteJWKSet(new URL(source), {
      cacheMaxAge: jwt.cacheMaxAgeSec * 1000,
      cooldownDuration: jwt.cooldownSec * 1000,
      timeoutDuration: jwt.fetchTimeoutMs,
    });
    // Warm the cache without delaying readiness; a failure here is retried on the first token.
    remote
      .reload()
      .catch((e: unknown) => log.warn({ err: (e as Error).message, source }, "JWKS fetch failed"));
    return {
      getKey: remote,
      verify: (token, options) => jose.jwtVerify(token, remote, options),
      origin: "url",
      // jose refetches the set by itself; tokens stay cached at most VerifiedTokens' TTL.
      generation: 0,
      reload: async () => false,
      close: () => {},
    };
  }
  return FileKeySource.open(jose, source, cfg.server.reloadPollMs, log, metrics);
}

function parseJwks(text: string, path: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `${path}: not JSON (${(e as Error).name})`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `${path}: not a JWKS (want {"keys": [...]} with keys)`);
  }
  return parsed as unknown as JSONWebKeySet;
}

class FileKeySource implements KeySource {
  readonly origin = "file" as const;
  generation = 0;
  private text: string;
  private current: JWTVerifyGetKey;
  private lastFailed = "";
  private readonly path: string;
  private readonly jose: Jose;
  private readonly log: Logger;
  private readonly metrics: Metrics;
  private watch: FileWatch | undefined;

  private constructor(jose: Jose, path: string, text: string, log: Logger, metrics: Metrics) {
    this.jose = jose;
    this.path = path;
    this.text = text;
    this.current = jose.createLocalJWKSet(parseJwks(text, path));
    this.log = log;
    this.metrics = metrics;
  }

  static async open(
    jose: Jose,
    path: string,
    pollMs: number,
    log: Logger,
    metrics: Metrics,
  ): Promise<FileKeySource> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      throw new TenantGuardError("TG_CONFIG_INVALID", `cannot read JWKS: ${(e as Error).message}`);
    }
    const src = new FileKeySource(jose, path, text, log, metrics);
    src.watch = watchFiles([path], () => void src.reload(), {
      pollMs,
      onError: (e) => log.error({ err: e.message, path }, "watching the JWKS file failed; polling only"),
    });
    return src;
  }

  readonly getKey: JWTVerifyGetKey = (header, token) => this.current(header, token);

  verify(token: string, options: JWTVerifyOptions): Promise<unknown> {
    return this.jose.jwtVerify(token, this.getKey, options);
  }

  async reload(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      this.log.warn({ err: (e as Error).message, path: this.path }, "JWKS file not readable; keeping keys");
      return false;
    }
    if (text === this.text || text === this.lastFailed) return false;
    try {
      this.current = this.jose.createLocalJWKSet(parseJwks(text, this.path));
      this.text = text;
    } catch (e) {
      this.lastFailed = text;
      this.metrics.reloads.inc({ file: "jwks", result: "error" });
      this.log.error({ err: (e as Error).message }, "new JWKS file rejected; still using the previous keys");
      return false;
    }
    this.generation++;
    this.metrics.reloads.inc({ file: "jwks", result: "ok" });
    this.log.info({ path: this.path }, "JWKS file reloaded");
    return true;
  }

  close(): void {
    this.watch?.close();
  }
}
