// The express 5 application: admission routes, probes, metrics, and JSON for everything else.
import express, { type NextFunction, type Request, type Response } from "express";
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

export interface AppDeps extends AdmissionDeps {
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

type Handler = (req: Request, res: Response, next: NextFunction) => void;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", false);

  // No pass-through layer when a route is open: the hot path stays as short as without auth.
  const guard = (route: string, needed: boolean): Handler[] =>
    deps.auth.enabled && needed ? [requireCaller(route, deps.auth, deps.metrics, deps.log, deps.bearer)] : [];

  app.post("/validate", ...guard("/validate", true), admissionHandler("validate", deps));
  app.post("/mutate", ...guard("/mutate", true), admissionHandler("mutate", deps));

  app.get("/healthz", ...guard("/healthz", deps.authProbes), (_req, res) =>
    sendJson(res, 200, '{"status":"ok"}'),
  );
  app.get("/readyz", ...guard("/readyz", deps.authProbes), (_req, res) => {
    const st = deps.directory.readiness();
    if (deps.lifecycle.shuttingDown) return sendJson(res, 503, JSON.stringify({ status: "shutting down" }));
    if (!st.ready) return sendJson(res, 503, JSON.stringify({ status: "not ready", reason: st.reason }));
    sendJson(res, 200, JSON.stringify({ status: "ready", ...(st.reason ? { warning: st.reason } : {}) }));
  });
  app.get("/metrics", ...guard("/metrics", deps.authMetrics), async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.setHeader("content-type", deps.metrics.registry.contentType);
    res.end(body);
  });

  for (const path of ["/validate", "/mutate", "/healthz", "/readyz", "/metrics"]) {
    app.all(path, (_req, res) => sendError(res, new TenantGuardError("TG_METHOD_NOT_ALLOWED")));
  }
  app.use((req: Request, res: Response) => {
    sendError(res, new TenantGuardError("TG_NOT_FOUND", `${req.method} ${req.path}`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = toError(err);
    deps.log.error({ err }, "unhandled request error");
    sendError(res, e);
  });
  return app;
}
