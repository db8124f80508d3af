// A fake Kubernetes API server on node:http, or node:https as a real one serves (127.0.0.1, port 0),
// that real client-node informers talk to: list (paged, with resourceVersion), watch (chunked events, bookmarks, 410 Gone),
// metadata-only negotiation, and fault injection. Tests drive the world through `store`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { negotiate, status } from "./accept.ts";
import { Faults } from "./faults.ts";
import { FakeLeases } from "./leases.ts";
import { send, serveList } from "./list.ts";
import { discovery } from "./discovery.ts";
import type { Pem } from "../pki.ts";
import { BY_PATH } from "./resources.ts";
import { patchTenantStatus } from "./status.ts";
import { FakeStore } from "./store.ts";
import { serveWatch, type OpenWatch } from "./watch.ts";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly watch: boolean;
  readonly accept: string | undefined;
  readonly authorization: string | undefined;
  status: number;
}

export class FakeApiServer {
  readonly store = new FakeStore();
  readonly faults = new Faults();
  readonly leases = new FakeLeases();
  readonly requests: RecordedRequest[] = [];
  /** When false, requests are not recorded (benchmarks with hundreds of pages). */
  recordRequests = true;
  /** Plurals this server does not serve, as a cluster without their CRDs: absent from discovery,
   * 404 on their paths. Changeable while running (a CRD installed later). */
  readonly unserved = new Set<string>();
  /** TCP connections accepted so far (clients that reuse connections open few). */
  connections = 0;
  private readonly watches = new Set<OpenWatch>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;
  private scheme = "http";

  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  /** `tls`: serve HTTPS with this certificate (clients then verify it against its CA). */
  async start(opts: { tls?: Pem } = {}): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    const server: Server =
      opts.tls === undefined ? createServer(handler) : createTlsServer({ ...opts.tls }, handler);
    this.scheme = opts.tls === undefined ? "http" : "https";
    server.keepAliveTimeout = 60_000;
    // Raw sockets, TLS or not (closeAllConnections misses a TLS socket the server has not yet
    // handed to HTTP).
    server.on("connection", (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Open watches, optionally of one resource (e.g. "secrets"). */
  openWatches(plural?: string): number {
    return [...this.watches].filter((w) => plural === undefined || w.plural === plural).length;
  }

  /** Cuts every open watch: "destroy" resets the socket, "end" finishes the stream cleanly. */
  dropWatches(mode: "destroy" | "end" = "destroy"): number {
    const all = [...this.watches];
    for (const w of all) w.close(mode);
    return all.length;
  }

  requestsFor(plural: string, opts: { watch?: boolean } = {}): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.endsWith(`/${plural}`) && (opts.watch === undefined || r.watch === opts.watch),
    );
  }

  async close(): Promise<void> {
    this.dropWatches("destroy");
    const server = this.server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      watch,
      accept: req.headers.accept,
      authorization: req.headers.authorization,
      status: 0,
    };
    if (this.recordRequests) this.requests.push(rec);
    const delay = this.faults.delayMs + (this.faults.delayedPaths.get(url.pathname) ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const failure = this.faults.takeFailure(url.pathname);
    if (failure !== undefined) {
      rec.status = send(res, failure, status(failure, "InternalError", "injected failure"));
      return;
    }
    const leased = await this.leases.handle(req, res, url.pathname);
    if (leased !== undefined) {
      rec.status = leased;
      return;
    }
    const patched = await patchTenantStatus(req, res, url.pathname, this.store, this.faults.statusPatchCode);
    if (patched !== undefined) {
      rec.status = patched;
      return;
    }
    const doc = req.method === "GET" && !watch ? discovery(url.pathname, this.unserved) : undefined;
    if (doc !== undefined) {
      rec.status = send(res, 200, doc);
      return;
    }
    const def = BY_PATH.get(url.pathname);
    if (def === undefined || this.unserved.has(def.plural)) {
      rec.status = send(res, 404, status(404, "NotFound", `the server could not find ${url.pathname}`));
      return;
    }
    if (this.faults.forbidden.has(def.plural)) {
      const msg = `${def.plural} is forbidden: User "system:serviceaccount:tenant-guard-system:tenant-guard" cannot list resource "${def.plural}" in API group "" at the cluster scope`;
      rec.status = send(res, 403, status(403, "Forbidden", msg));
      return;
    }
    if (req.method !== "GET") {
      rec.status = send(res, 405, status(405, "MethodNotAllowed", `${req.method} is not supported here`));
      return;
    }
    const rep = this.faults.ignoreMetadataAccept ? "full" : negotiate(req.headers.accept, watch);
    if (rep === undefined) {
      rec.status = send(res, 406, status(406, "NotAcceptable", `cannot serve ${req.headers.accept}`));
      return;
    }
    if (!watch) {
      rec.status = serveList(res, this.store, def, url.searchParams, rep);
      return;
    }
    const opened = serveWatch(res, this.store, def, url.searchParams, rep, this.faults, (w) =>
      this.watches.delete(w),
    );
    rec.status = opened.code;
    if (opened.watch !== undefined) this.watches.add(opened.watch);
  }
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  return new FakeApiServer().start();
}
