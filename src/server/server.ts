// node:https + our router: timeouts that bound slow clients, a connection cap, an optional client
// certificate request (mTLS), a swappable TLS context (hot reload), and an orderly drain.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { SecureContextOptions, TLSSocket } from "node:tls";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { createRouter, type RouterDeps } from "./router.ts";
import { secureContextOptions, type ClientCa, type ServingCert } from "./tls.ts";

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** New connections use these from now on; open ones keep theirs. */
  setSecureContext(opts: SecureContextOptions): void;
  /** Every response from now on carries `Connection: close`, so callers move to other replicas. */
  beginDrain(): void;
  /** Stop accepting, close idle connections, let in-flight requests finish (cut after drainTimeoutMs). */
  close(): Promise<void>;
}

interface Connection {
  /** Cut the connection if no request starts in time; cleared by the first request. */
  silent: NodeJS.Timeout | undefined;
  /** The latest response on this connection (keep-alive: one at a time). */
  res: ServerResponse | undefined;
}

export async function startServer(
  cfg: Config,
  tls: { cert: ServingCert; clientCa: ClientCa | undefined },
  deps: RouterDeps,
): Promise<RunningServer> {
  const s = cfg.server;
  // How often Node checks headersTimeout/requestTimeout (its default, 30 s, is far too coarse).
  const checkEvery = Math.min(1000, Math.max(100, Math.floor(s.headersTimeoutMs / 4)));
  const server = createServer({
    ...secureContextOptions(tls.cert, tls.clientCa),
    // Ask for a client certificate but accept connections without one: probes carry none, and
    // each route decides (auth.ts). Verification against the CA still happens: socket.authorized.
    requestCert: tls.clientCa !== undefined,
    rejectUnauthorized: false,
    // A client that opens TCP and never finishes the handshake holds a slot no longer than this.
    handshakeTimeout: s.headersTimeoutMs,
    keepAliveTimeout: s.keepAliveTimeoutMs,
    headersTimeout: s.headersTimeoutMs,
    requestTimeout: s.requestTimeoutMs,
    connectionsCheckingInterval: checkEvery,
  });
  server.keepAliveTimeout = s.keepAliveTimeoutMs;
  server.headersTimeout = s.headersTimeoutMs;
  server.requestTimeout = s.requestTimeoutMs;
  server.maxConnections = s.maxConnections;

  // Per connection, not per request: the silence timer below and the response in progress. A
  // listener per request (res.once("close"), a second "request" listener) cost more than the
  // tracking itself at thousands of reviews per second.
  const connections = new Map<TLSSocket, Connection>();
  let draining = false;
  // Node times headers only from a request's first byte: a connection that finishes the handshake
  // and then says nothing would hold its slot forever. Give it as long as a request's headers get.
  server.on("secureConnection", (socket: TLSSocket) => {
    const timer = setTimeout(() => socket.destroy(), s.headersTimeoutMs + checkEvery + 100);
    timer.unref();
    connections.set(socket, { silent: timer, res: undefined });
    socket.once("close", () => {
      clearTimeout(timer);
      connections.delete(socket);
    });
  });
  // Before the routes see the request: note it on its connection, and mark it when we are draining.
  const handle = createRouter(deps);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const conn = connections.get(req.socket as TLSSocket);
    if (conn !== undefined) {
      if (conn.silent !== undefined) {
        clearTimeout(conn.silent);
        conn.silent = undefined;
      }
      conn.res = res;
    }
    if (draining) res.setHeader("connection", "close");
    handle(req, res);
  });
  server.on("tlsClientError", (err) => deps.log.debug({ err: err.message }, "TLS handshake failed"));
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = err.code ?? "";
    deps.log.debug({ err: err.message, code }, "client error");
    // No HTTP answer on a reset socket or inside a TLS handshake that never completed.
    if (
      !socket.writable ||
      code === "ECONNRESET" ||
      code.startsWith("ERR_TLS") ||
      code.startsWith("ERR_SSL")
    ) {
      socket.destroy();
      return;
    }
    const status =
      code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "408 Request Timeout"
        : code === "HPE_HEADER_OVERFLOW"
          ? "431 Request Header Fields Too Large"
          : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    // A client that does not read its answer must not keep the socket.
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  server.on("drop", () =>
    deps.log.warn({ max: s.maxConnections }, "connection dropped: at server.maxConnections"),
  );

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(s.port, s.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = s.host === "0.0.0.0" || s.host === "::" ? "localhost" : s.host;
  const beginDrain = (): void => {
    draining = true;
    // A connection's latest response is the one in flight, if any has not been answered yet.
    for (const { res } of connections.values())
      if (res !== undefined && !res.headersSent && !res.writableEnded) res.setHeader("connection", "close");
  };
  return {
    server,
    port,
    url: `https://${host}:${port}`,
    setSecureContext: (opts) => server.setSecureContext(opts),
    beginDrain,
    close: () => {
      beginDrain();
      return closeServer(server, s.drainTimeoutMs, deps.log);
    },
  };
}

function closeServer(server: Server, drainTimeoutMs: number, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      log.warn({ drainTimeoutMs }, "in-flight requests did not finish in time: closing their connections");
      server.closeAllConnections();
    }, drainTimeoutMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    // Idle keep-alive sockets would hold close() open until their timeout; busy ones finish first.
    server.closeIdleConnections();
    log.info("server stopped accepting connections");
  });
}
