// Starts the real tenant-guard server (real HTTPS on 127.0.0.1, port 0) for integration tests, with
// logs captured in memory so tests can assert on them.
import { Writable } from "node:stream";
import { serve, type ServeOptions, type Serving } from "../../src/cli/serve.ts";
import { buildConfig } from "../../src/policy/config.ts";
import type { Config } from "../../src/config/schema.ts";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { LogClock, createLogger } from "../../src/log.ts";
import type { Directory } from "../../src/tenancy/directory.ts";
import { httpsRequest, type HttpResult, type RequestOptions } from "./https.ts";

export interface TestServer {
  readonly serving: Serving;
  readonly config: Config;
  readonly url: string;
  readonly ca: string;
  /** Every log line the server wrote, parsed. */
  readonly logs: JsonRecord[];
  /** Raw log text, for leak checks. */
  rawLogs(): string;
  request(path: string, opts?: RequestOptions): Promise<HttpResult>;
  /** POST a review (object or raw string) as application/json. */
  review(path: "/validate" | "/mutate", body: unknown): Promise<HttpResult>;
  close(): Promise<void>;
}

export const EXAMPLE_DIRECTORY = "file:examples/cluster.yaml";

export async function startTestServer(
  overrides: JsonRecord = {},
  opts: Omit<ServeOptions, "defaultMetrics"> & { directory?: Directory } = {},
): Promise<TestServer> {
  const base: JsonRecord = {
    server: { port: 0, host: "127.0.0.1", shutdownDelayMs: 0 },
    directory: { source: EXAMPLE_DIRECTORY, watchFile: false },
    log: { level: "info" },
  };
  const config = buildConfig(undefined, deepMerge(base, overrides));
  const logs: JsonRecord[] = [];
  let raw = "";
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = chunk.toString("utf8");
      raw += text;
      for (const line of text.split("\n")) if (line.trim()) logs.push(JSON.parse(line) as JsonRecord);
      cb();
    },
  });
  const logClock = new LogClock();
  const log = createLogger(config.log.level, sink, false, logClock);
  const serving = await serve(config, log, { logClock, ...opts, defaultMetrics: false });
  const url = `https://127.0.0.1:${serving.server.port}`;
  const ca = serving.cert.cert;
  const request = (path: string, o: RequestOptions = {}): Promise<HttpResult> =>
    httpsRequest(url + path, { ca, ...o });
  return {
    serving,
    config,
    url,
    ca,
    logs,
    rawLogs: () => raw,
    request,
    review: (path, body) =>
      request(path, {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    close: async () => {
      await serving.shutdown("test done");
    },
  };
}

function deepMerge(a: JsonRecord, b: JsonRecord): JsonRecord {
  const out: JsonRecord = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      typeof cur === "object" &&
      cur !== null &&
      !Array.isArray(cur) &&
      typeof v === "object" &&
      v !== null &&
      !Array.isArray(v)
        ? deepMerge(cur as JsonRecord, v as JsonRecord)
        : v;
  }
  return out;
}
