// One HTTP request to the API server, authenticated by client-node's KubeConfig (client certs,
// bearer tokens, exec plugins, CA): the transport under the cluster directory's list pages, the
// audit's lists and report publishing.
//
// Connections are kept alive and reused. client-node's own agent for node:https has keep-alive
// off, so every page of a 200,000-object sync paid a TCP + TLS handshake; its typed APIs go
// further and build a new undici Agent per request, each keeping its socket open after the page
// (bench/README.md, "Stand-ins measured").
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

export interface KubeRequestOptions {
  /** Aborts the request (e.g. AbortSignal.timeout for a page that must not hang a sync). */
  readonly signal?: AbortSignal;
  /** Socket idle time before the request fails (default 60 s). */
  readonly idleTimeoutMs?: number;
}

/** A non-2xx answer, with the status where informers and callers look for it. */
export class KubeHttpError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = "KubeHttpError";
    this.statusCode = statusCode;
  }
}

type TlsMaterial = string | Buffer | readonly (string | Buffer | object)[] | object | undefined;

function part(v: TlsMaterial): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("base64");
  if (Array.isArray(v)) return v.map((x: TlsMaterial) => part(x)).join(",");
  return JSON.stringify(v);
}

interface Shared {
  readonly key: string;
  readonly agent: http.Agent;
}
const shared = new WeakMap<KubeConfig, Shared>();

/** One keep-alive agent per KubeConfig and TLS material; a rotated certificate gets a new one. */
function keepAliveAgent(kc: KubeConfig, opts: https.RequestOptions, plain: boolean): http.Agent {
  const tls = [opts.ca, opts.cert, opts.key, opts.pfx, opts.passphrase, opts.servername];
  const key = createHash("sha256")
    .update(`${plain}|${String(opts.rejectUnauthorized)}|${tls.map((v) => part(v as TlsMaterial)).join("|")}`)
    .digest("hex");
  const have = shared.get(kc);
  if (have?.key === key) return have.agent;
  // A replaced agent is not destroyed: requests in flight on it finish, and its idle sockets close
  // after `timeout`. `timeout` applies to idle pooled sockets; a request in flight sets its own.
  const common = { keepAlive: true, timeout: 15_000 };
  const agent = plain
    ? new http.Agent(common)
    : new https.Agent({
        ...common,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
        servername: opts.servername,
        ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
      });
  shared.set(kc, { key, agent });
  return agent;
}

/** client-node's plain agents are replaced by a shared keep-alive one; proxy agents are kept. */
function isPlainAgent(agent: unknown): boolean {
  return (
    agent === undefined ||
    (agent as object).constructor === https.Agent ||
    (agent as object).constructor === http.Agent
  );
}

export async function kubeRequest(
  kc: KubeConfig,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: string,
  ropts: KubeRequestOptions = {},
): Promise<KubeResponse> {
  const opts: https.RequestOptions = { method, headers: { ...headers } };
  await kc.applyToHTTPSOptions(opts);
  const plain = url.protocol === "http:";
  if (isPlainAgent(opts.agent)) opts.agent = keepAliveAgent(kc, opts, plain);
  if (ropts.signal !== undefined) opts.signal = ropts.signal;
  const idle = ropts.idleTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const req = (plain ? http : https).request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
      res.on("close", () => {
        if (!res.complete) reject(new Error(`${method} ${url.pathname}: connection closed mid-response`));
      });
    });
    req.setTimeout(idle, () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** `path` on the current cluster's server, keeping any path prefix the server URL has. */
export function apiUrl(kc: KubeConfig, path: string): URL {
  return new URL((kc.getCurrentCluster()?.server ?? "").replace(/\/$/, "") + path);
}

/** A collection page's URL: the cluster's server (any path prefix kept), `limit`, `continue`. */
export function listPageUrl(kc: KubeConfig, path: string, limit: number, cont: string | undefined): URL {
  const url = apiUrl(kc, path);
  url.searchParams.set("limit", String(limit));
  if (cont !== undefined) url.searchParams.set("continue", cont);
  return url;
}

/** The response body as JSON, or undefined when it is not (an HTML error page from a proxy, say). */
export function jsonBody(res: KubeResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}
