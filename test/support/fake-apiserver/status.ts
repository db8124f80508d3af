// GET and PATCH of a Tenant's status subresource, as the API server does it for a merge patch: only
// `status` changes (metadata and spec in the patch are ignored), the resourceVersion moves and
// watchers get MODIFIED; a patch that changes nothing leaves the object and its version alone. A
// patch carrying metadata.resourceVersion is a precondition: 409 Conflict when the object moved
// on (optimistic concurrency, what the quota ledger relies on).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { status } from "./accept.ts";
import { send } from "./list.ts";
import type { FakeStore } from "./store.ts";

const STATUS_PATH = /^\/apis\/tenant-guard\.dev\/v1alpha1\/tenants\/([^/]+)\/status$/;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** RFC 7386 merge of `patch` into `target`. */
function merge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: JsonRecord = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Handles PATCH .../tenants/NAME/status; returns the HTTP status, or undefined for another path. */
export async function patchTenantStatus(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: FakeStore,
  refuseWith?: number,
): Promise<number | undefined> {
  const m = STATUS_PATH.exec(path);
  if (m === null || (req.method !== "PATCH" && req.method !== "GET")) return undefined;
  if (req.method === "GET") {
    const current = store.get("Tenant", undefined, decodeURIComponent(m[1] ?? ""));
    if (current === undefined)
      return send(res, 404, status(404, "NotFound", `tenants.tenant-guard.dev "${m[1]}" not found`));
    return send(res, 200, current);
  }
  if (refuseWith !== undefined)
    return send(res, refuseWith, status(refuseWith, "Forbidden", `cannot patch resource "tenants/status"`));
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim();
  if (type !== "application/merge-patch+json")
    return send(
      res,
      415,
      status(415, "UnsupportedMediaType", `the body of the request was in an unknown format: ${type}`),
    );
  let patch: unknown;
  try {
    patch = JSON.parse(await body(req));
  } catch {
    return send(res, 400, status(400, "BadRequest", "the patch is not JSON"));
  }
  const name = decodeURIComponent(m[1] ?? "");
  const current = store.get("Tenant", undefined, name);
  if (current === undefined)
    return send(res, 404, status(404, "NotFound", `tenants.tenant-guard.dev "${name}" not found`));
  const wanted = isRecord(patch) && isRecord(patch.metadata) ? patch.metadata.resourceVersion : undefined;
  const have = isRecord(current.metadata) ? current.metadata.resourceVersion : undefined;
  if (wanted !== undefined && wanted !== have)
    return send(
      res,
      409,
      status(
        409,
        "Conflict",
        `Operation cannot be fulfilled on tenants.tenant-guard.dev "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      ),
    );
  const next = merge(current.status, isRecord(patch) ? patch.status : undefined);
  if (JSON.stringify(next) === JSON.stringify(current.status)) return send(res, 200, current);
  return send(res, 200, store.apply({ ...structuredClone(current), status: next }));
}
