// The five routes, matched by exact method and path from the `request` event. Our own table, not
// express: the profile put express's router and req/res swap at 9 % of busy server time, more than
// the whole decision (bench/README.md, "What moved the numbers"), and five fixed paths need no more.
// Case variants and trailing slashes are unknown paths (404), as the API server never sends them.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { TenantGuardError } from "../errors.ts";
import type { Directory } from "../tenancy/directory.ts";
import { admissionHandler, type AdmissionDeps } from "./admission-route.ts";
import { requireCaller, type Authenticator } from "./auth.ts";
import type { Metrics } from "./metrics.ts";
import { sendError, sendJson, toError } from "./respond.ts";

export interface Lifecycle {
  /** True once SIGTERM arrived: /readyz fails so the endpoint is withdrawn. */
  shuttingDown: boolean;
}

export interface RouterDeps extends AdmissionDeps {
  readonly directory: Directory;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly lifecycle: Lifecycle;
  readonly auth: Authenticator;
  /** Which non-admission routes need an authenticated caller too. */
  readonly authProbes: boolean;
  readonly authMetrics: boolean;
  /** JWT configured: 401s carry `WWW-Authenticate: Bearer`. */
  readonly bearer: boolean;
}

/** A route's handler; `failed` answers what it could not (an error it caught or a rejection). */
type Handler = (req: IncomingMessage, res: ServerResponse, failed: (err: unknown) => void) => void;

interface Route {
  readonly method: "POST" | "GET";
  readonly run: RequestListener;
}

/** One dispatcher for every request; each handler and caller check is built once, here. */
export function createRouter(deps: RouterDeps): RequestListener {
  const failed = (res: ServerResponse, err: unknown): void => {
    deps.log.error({ err }, "unhandled request error");
    sendError(res, toError(err));
  };
  const route = (path: string, method: Route["method"], needsCaller: boolean, handler: Handler): Route => {
    const run = (req: IncomingMessage, res: ServerResponse): void => {
      try {
        handler(req, res, (err) => failed(res, err));
      } catch (err) {
        failed(res, err);
      }
    };
    // No pass-through layer when a route is open: the hot path stays as short as without auth.
    if (!deps.auth.enabled || !needsCaller) return { method, run };
    const guard = requireCaller(path, deps.auth, deps.metrics, deps.log, deps.bearer);
    return {
      method,
      run: (req, res) =>
        guard(req, res, (err?: unknown) => (err === undefined ? run(req, res) : failed(res, err))),
    };
  };

  const routes = new Map<string, Route>([
    ["/validate", route("/validate", "POST", true, admissionHandler("validate", deps))],
    ["/mutate", route("/mutate", "POST", true, admissionHandler("mutate", deps))],
    [
      "/healthz",
      route("/healthz", "GET", deps.authProbes, (_req, res) => sendJson(res, 200, '{"status":"ok"}')),
    ],
    ["/readyz", route("/readyz", "GET", deps.authProbes, (_req, res) => readyz(deps, res))],
    [
      "/metrics",
      route("/metrics", "GET", deps.authMetrics, (_req, res, fail) => {
        deps.metrics.registry.metrics().then((body) => {
          res.setHeader("content-type", deps.metrics.registry.contentType);
          res.end(body);
        }, fail);
      }),
    ],
  ]);

  return (req, res) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const r = routes.get(path);
    if (r === undefined) return sendError(res, new TenantGuardError("TG_NOT_FOUND", `${req.method} ${path}`));
    // HEAD is GET without the body (Node drops it), as probes may send it.
    if (req.method !== r.method && !(req.method === "HEAD" && r.method === "GET"))
      return sendError(res, new TenantGuardError("TG_METHOD_NOT_ALLOWED"));
    r.run(req, res);
  };
}

function readyz(deps: RouterDeps, res: ServerResponse): void {
  const st = deps.directory.readiness();
  if (deps.lifecycle.shuttingDown) return sendJson(res, 503, JSON.stringify({ status: "shutting down" }));
  if (!st.ready) return sendJson(res, 503, JSON.stringify({ status: "not ready", reason: st.reason }));
  sendJson(
    res,
    200,
    JSON.stringify({
      status: "ready",
      ...(st.reason ? { warning: st.reason } : {}),
      ...(st.note ? { note: st.note } : {}),
    }),
  );
}
