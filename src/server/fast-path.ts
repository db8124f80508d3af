// POST /validate and POST /mutate dispatched straight from the `request` event, before express:
// the API server calls these on every write in the cluster, and express's router, its req/res
// prototype swap and its middleware chain cost more than our whole decision. Everything else
// (probes, /metrics, 404, 405, paths that only express would match such as "/validate/") goes to
// the express app unchanged. The handlers are the very ones express mounts (caller check, then
// admissionHandler), so 401, 415, 413, 408, metrics and the review log line are identical.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { admissionHandler } from "./admission-route.ts";
import type { AppDeps } from "./app.ts";
import { requireCaller } from "./auth.ts";
import { sendError, toError } from "./respond.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, failed: (err: unknown) => void) => void;

/** Wraps the express app: admission POSTs are answered here, the rest is passed through. */
export function withFastPath(app: RequestListener, deps: AppDeps): RequestListener {
  const validate = route("/validate", admissionHandler("validate", deps), deps);
  const mutate = route("/mutate", admissionHandler("mutate", deps), deps);
  return (req, res) => {
    if (req.method === "POST") {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const path = q === -1 ? url : url.slice(0, q);
      if (path === "/validate") return validate(req, res);
      if (path === "/mutate") return mutate(req, res);
    }
    app(req, res);
  };
}

function route(path: string, handler: Handler, deps: AppDeps): RequestListener {
  // What express's error handler in app.ts does with a handler that throws or fails.
  const failed = (res: ServerResponse, err: unknown): void => {
    deps.log.error({ err }, "unhandled request error");
    sendError(res, toError(err));
  };
  const run = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handler(req, res, (err) => failed(res, err));
    } catch (err) {
      failed(res, err);
    }
  };
  if (!deps.auth.enabled) return run;
  const guard = requireCaller(path, deps.auth, deps.metrics, deps.log, deps.bearer);
  return (req, res) =>
    guard(req, res, (err?: unknown) => (err === undefined ? run(req, res) : failed(res, err)));
}
