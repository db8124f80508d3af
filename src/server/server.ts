// node:https + express: timeouts above the API server's, a connection cap, and an orderly stop.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { createApp, type AppDeps } from "./app.ts";
import type { ServingCert } from "./tls.ts";

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stop accepting, let in-flight requests finish (closing their connections), then resolve. */
  close(): Promise<void>;
}

export async function startServer(cfg: Config, cert: ServingCert, deps: AppDeps): Promise<RunningServer> {
  const app = createApp(deps);
  const server = createServer(
    {
      cert: cert.cert,
      key: cert.key,
      minVersion: "TLSv1.2",
      keepAliveTimeout: cfg.server.keepAliveTimeoutMs,
      headersTimeout: cfg.server.headersTimeoutMs,
      requestTimeout: cfg.server.requestTimeoutMs,
    },
    app,
  );
  server.keepAliveTimeout = cfg.server.keepAliveTimeoutMs;
  server.headersTimeout = cfg.server.headersTimeoutMs;
  server.requestTimeout = cfg.server.requestTimeoutMs;
  server.maxConnections = cfg.server.maxConnections;
  server.on("tlsClientError", (err) => deps.log.debug({ err: err.message }, "TLS handshake failed"));
  server.on("clientError", (err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
    deps.log.debug({ err: err.message }, "malformed HTTP request");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.server.port, cfg.server.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = cfg.server.host === "0.0.0.0" || cfg.server.host === "::" ? "localhost" : cfg.server.host;
  return {
    server,
    port,
    url: `https://${host}:${port}`,
    close: () => closeServer(server, deps.log),
  };
}

function closeServer(server: Server, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open until their timeout; busy ones finish first.
    server.closeIdleConnections();
    log.info("server stopped accepting connections");
  });
}
