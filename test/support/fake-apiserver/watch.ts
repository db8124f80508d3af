// GET <collection>?watch=true: a chunked stream of JSON lines. Headers are flushed at once (the
// client's informer waits for them), then the events after the requested resourceVersion are
// replayed, then live events follow. A compacted resourceVersion gets 410 Gone.
import type { ServerResponse } from "node:http";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { META_GV, contentType, status, toMetadata, type Representation } from "./accept.ts";
import type { Faults } from "./faults.ts";
import { send } from "./list.ts";
import type { ResourceDef } from "./resources.ts";
import type { FakeStore, StoredEvent } from "./store.ts";

export interface OpenWatch {
  readonly plural: string;
  readonly res: ServerResponse;
  close(mode: "destroy" | "end"): void;
}

export function serveWatch(
  res: ServerResponse,
  store: FakeStore,
  def: ResourceDef,
  query: URLSearchParams,
  rep: Representation,
  faults: Faults,
  onClose: (w: OpenWatch) => void,
): { code: number; watch?: OpenWatch } {
  const rawRv = query.get("resourceVersion") ?? "";
  const fromRv = rawRv === "" || rawRv === "0" ? undefined : Number(rawRv);
  if (fromRv !== undefined && !Number.isInteger(fromRv)) {
    return { code: send(res, 400, status(400, "BadRequest", `invalid resourceVersion ${rawRv}`)) };
  }
  const replay = fromRv === undefined ? undefined : store.eventsAfter(def.plural, fromRv);
  const gone = status(410, "Expired", `too old resource version: ${rawRv} (${store.resourceVersion})`);
  if (replay === "gone" && faults.goneAs === "http") return { code: send(res, 410, gone) };

  res.writeHead(200, { "content-type": contentType(rep, true), "transfer-encoding": "chunked" });
  res.flushHeaders();
  const shape = (o: JsonRecord): JsonRecord => (rep === "metadata" ? toMetadata(o) : o);
  const write = (type: string, object: JsonRecord): void => {
    if (res.writableEnded || res.destroyed) return; // ended; "close" (and cleanup) comes later
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  if (replay === "gone") {
    write("ERROR", gone);
    res.end();
    return { code: 200 };
  }
  if (replay === undefined) for (const o of store.list(def.plural)) write("ADDED", shape(o));
  else for (const ev of replay) write(ev.type, shape(ev.object));

  const unsubscribe = store.subscribe(def.plural, (ev: StoredEvent) => write(ev.type, shape(ev.object)));
  const timers: NodeJS.Timeout[] = [];
  if (query.get("allowWatchBookmarks") === "true") {
    const bookmark = setInterval(() => {
      const object = {
        kind: rep === "metadata" ? "PartialObjectMetadata" : def.kind,
        apiVersion: rep === "metadata" ? META_GV : def.apiVersion,
        metadata: { resourceVersion: String(store.resourceVersion) },
      };
      write("BOOKMARK", object);
    }, faults.bookmarkIntervalMs);
    bookmark.unref();
    timers.push(bookmark);
  }
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "0");
  if (timeoutSeconds > 0) timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000).unref());

  const watch: OpenWatch = {
    plural: def.plural,
    res,
    close(mode) {
      if (mode === "end") res.end();
      else res.destroy();
    },
  };
  const cleanup = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    onClose(watch);
  };
  res.on("close", cleanup);
  return { code: 200, watch };
}
