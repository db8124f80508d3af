// GET <collection>: the list, in pages when the client sends limit (continue token carries the
// resourceVersion of the first page and the last key served, like the real API server's).
import type { ServerResponse } from "node:http";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { META_GV, contentType, status, toMetadata, type Representation } from "./accept.ts";
import type { ResourceDef } from "./resources.ts";
import { keyOf, type FakeStore } from "./store.ts";

interface ContinueToken {
  readonly rv: number;
  readonly after: string;
}

function decodeContinue(raw: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as ContinueToken;
    return typeof t.rv === "number" && typeof t.after === "string" ? t : undefined;
  } catch {
    return undefined;
  }
}

export function serveList(
  res: ServerResponse,
  store: FakeStore,
  def: ResourceDef,
  query: URLSearchParams,
  rep: Representation,
): number {
  const limit = Number(query.get("limit") ?? "0");
  const cont = query.get("continue");
  const token = cont === null || cont === "" ? undefined : decodeContinue(cont);
  if (cont !== null && cont !== "" && token === undefined) {
    return send(res, 400, status(400, "BadRequest", "continue key is not valid"));
  }
  // Later pages come from the current state, not a snapshot; the watch from the first page's
  // resourceVersion replays whatever changed meanwhile, so the informer still converges.
  const { items: page, remaining } = store.page(def.plural, token?.after, limit);
  const rv = token?.rv ?? store.resourceVersion;
  const last = page[page.length - 1];
  const listMeta: JsonRecord = { resourceVersion: String(rv) };
  if (remaining > 0 && last !== undefined) {
    listMeta.continue = Buffer.from(JSON.stringify({ rv, after: keyOf(last) })).toString("base64url");
    listMeta.remainingItemCount = remaining;
  }
  const body =
    rep === "metadata"
      ? {
          kind: "PartialObjectMetadataList",
          apiVersion: META_GV,
          metadata: listMeta,
          items: page.map(toMetadata),
        }
      : { kind: def.listKind, apiVersion: def.apiVersion, metadata: listMeta, items: page };
  return send(res, 200, body, contentType(rep, false));
}

export function send(res: ServerResponse, code: number, body: unknown, type = "application/json"): number {
  const text = JSON.stringify(body);
  res.writeHead(code, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
  return code;
}
