// node:https + express: timeouts that bound slow clients, a connection cap, an optional client
// certificate request (mTLS), a swappable TLS context (hot reload), and an orderly drain.
import type { ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { SecureContextOptions } from "node:tls";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { createApp, type AppDeps } from "./app.ts";
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

export async function startServer(
  cfg: Config,
  tls: { cert: ServingCert; clientCa: ClientCa | undefined },
  deps: AppDeps,
): Promise<RunningServer> {
  const s = cfg.server;
  const app = createApp(deps);
  const server = createServer(
    {
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
      // Node checks the two timeouts above on this interval (default 30 s: far too coarse).
      connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(s.headersTimeoutMs / 4))),
    },
    app,
  );
  server.keepAliveTimeout = s.keepAliveTimeoutMs;
  server.headersTimeout = s.headersTimeoutMs;
  server.requestTimeout = s.requestTimeoutMs;
  server.maxConnections = s.maxConnections;

  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // Before express sees the request: track it, and mark it when we are draining.
  server.prependListener("request", (_req, res: ServerResponse) => {
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });
  server.on("tlsClientError", (err) => deps.log.debug({ err: err.message }, "TLS handshake failed"));
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // A timed-out or malformed request gets a plain answer; a reset socket has nobody to answer.
    if (err.code === "ECONNRESET" || !socket.writable) socket.destroy();
    else if (err.code === "ERR_HTTP_REQUEST_TIMEOUT")
      socket.end("HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    deps.log.debug({ err: err.message, code: err.code }, "client error");
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
    for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
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
