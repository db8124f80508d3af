// Memory and sync time of the webhook with a large cluster directory, measured on the real server
// process the image runs (`node <the Dockerfile ENTRYPOINT's flags> dist/main.js serve --directory
// cluster`, built here into bench/.out/dist) against the fake API server in another process (its memory is not
// counted). RSS is read from /proc; heap from the server's own /metrics.
//
//   node_modules/.bin/node bench/directory-memory.ts [--namespaces 10000] [--tenants 1000]
//        [--service-accounts 100000] [--secrets 100000] [--requests 20000]
//        [--pods 100000 --budgets]   running pods counted, every Tenant with a spec.quota budget: then
//                                    also the latency of budgeted pod creates at 16 connections, each
//                                    charged to its Tenant's status ledger on the fake API server
//        [--ingresses 10000] [--http-routes 10000]   (routes > 0 serves with --gateway-api)
//        [--plain-http]   the fake API server speaks plain HTTP instead of HTTPS (a real one's TLS,
//                         verified against the CA its kubeconfig names, is the default)
import { fork, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { writeKubeconfig } from "../test/support/fake-apiserver/kubeconfig.ts";
import {
  syntheticIngressHost,
  syntheticRouteHost,
  type WorldSize,
} from "../test/support/fake-apiserver/synthetic.ts";
import {
  buildDist,
  burst,
  freePort,
  get,
  imageEnv,
  imageNodeFlags,
  ingressReview,
  podReview,
  post,
  timedBurst,
  rssByMapping,
  rssMb,
  sleep,
} from "./server-process.ts";
import { ROOT } from "./world.ts";

const RSS_TARGET_MB = 200;
const FLAGS = imageNodeFlags();
const { values } = parseArgs({
  options: {
    namespaces: { type: "string", default: "10000" },
    tenants: { type: "string", default: "1000" },
    "service-accounts": { type: "string", default: "100000" },
    secrets: { type: "string", default: "100000" },
    requests: { type: "string", default: "20000" },
    pods: { type: "string", default: "0" },
    budgets: { type: "boolean", default: false },
    ingresses: { type: "string", default: "10000" },
    "http-routes": { type: "string", default: "10000" },
    "plain-http": { type: "boolean", default: false },
  },
});
const size: WorldSize = {
  namespaces: Number(values.namespaces),
  tenants: Number(values.tenants),
  serviceAccounts: Number(values["service-accounts"]),
  secrets: Number(values.secrets),
  pods: Number(values.pods),
  budgets: values.budgets,
  ingresses: Number(values.ingresses),
  httpRoutes: Number(values["http-routes"]),
};
const REQUESTS = Number(values.requests);

function startFakeApiServer(): Promise<{ child: ChildProcess; url: string; ca?: string }> {
  const transport = values["plain-http"] ? "plain" : "tls";
  const child = fork(
    join(ROOT, "test", "support", "fake-apiserver", "child.ts"),
    [JSON.stringify(size), transport],
    {
      execPath: process.execPath,
      execArgv: ["--max-old-space-size=8192"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, ...(m as { url: string; ca?: string }) }));
    child.once("exit", (code) => reject(new Error(`fake API server exited with ${code}`)));
  });
}

/** Starts the built server; resolves when /readyz answers 200, with the peak RSS seen until then. */
async function startServer(
  main: string,
  args: readonly string[],
): Promise<{ server: ChildProcess; port: number; readyMs: number; peakMb: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const server = spawn(
    process.execPath,
    [...FLAGS, main, "serve", ...args, "--host", "127.0.0.1", "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      // info, as users run it: a log line per review is part of the load.
      env: { ...process.env, ...imageEnv(), TENANT_GUARD_LOG_LEVEL: "info" },
    },
  );
  createInterface({ input: server.stdout! }).on("line", (line) => {
    if (!line.includes("returned memory to the OS")) return;
    const e = JSON.parse(line) as { why: string; pauseMs: number; rssBeforeMb: number; rssAfterMb: number };
    collections.push(`${e.why}: ${e.rssBeforeMb} -> ${e.rssAfterMb} MB, ${e.pauseMs} ms pause`);
  });
  let peakMb = 0;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    peakMb = Math.max(peakMb, rssMb(server.pid!));
    if ((await get(port, "/readyz")).status === 200) break;
    if (performance.now() - t0 > 180_000) throw new Error("server not ready after 180 s");
    await sleep(50);
  }
  return { server, port, readyMs: performance.now() - t0, peakMb };
}

function heapUsedMb(metrics: string): number {
  const m = /^tenant_guard_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(metrics);
  return m === null ? NaN : Math.round((Number(m[1]) / 2 ** 20) * 10) / 10;
}

const main = buildDist();
/** The server's memory-reducing collections (src/runtime/reduce-memory.ts), from its log. */
const collections: string[] = [];
const rows: [string, string][] = [];

// The same server on the small example file: what the runtime and modules cost without a cluster.
{
  const { server, port } = await startServer(main, ["--directory", "file:examples/cluster.yaml"]);
  await sleep(10_000);
  rows.push(["idle server, file:examples/cluster.yaml (10 s after ready)", `${rssMb(server.pid!)} MB`]);
  void port;
  server.kill("SIGTERM");
}

const t0 = performance.now();
const { child, url, ca } = await startFakeApiServer();
console.log(`fake API server loaded in ${Math.round(performance.now() - t0)} ms (its memory is not counted)`);
const kubeconfig = await writeKubeconfig(url, ca);
const { server, port, readyMs, peakMb } = await startServer(main, [
  "--directory",
  "cluster",
  "--kubeconfig",
  kubeconfig,
  ...((size.httpRoutes ?? 0) > 0 ? ["--gateway-api"] : []),
]);
const atReady = rssMb(server.pid!);
await sleep(10_000);
const after10 = rssMb(server.pid!);
await sleep(10_000);
const after20 = rssMb(server.pid!);
const where = rssByMapping(server.pid!);
const heapIdle = heapUsedMb((await get(port, "/metrics")).body);

// Decisions come from the synced directory: ns-00000 belongs to tenant-0000; the pool of tenant-0002
// is someone else's, the pool of tenant-0000 is its own.
const foreign = await post(port, "/validate", podReview("ns-00000", "tenant-0002-pool"));
const own = await post(port, "/validate", podReview("ns-00000", "tenant-0000-pool"));
// Claimed hosts: ns-00001 (tenant-0001) takes ns-00000's Ingress host, or a host of its own.
const takenHost = (size.ingresses ?? 0) > 0 ? syntheticIngressHost(0, "ns-00000") : undefined;
const takenRoute = (size.httpRoutes ?? 0) > 0 ? syntheticRouteHost(0, "ns-00000") : undefined;
const hostsOk = async (): Promise<boolean> => {
  if (takenHost === undefined) return true;
  const taken = await post(port, "/validate", ingressReview("ns-00001", [takenHost]));
  const wildcard = await post(port, "/validate", ingressReview("ns-00001", ["*.ns-00000.example.com"]));
  const free = await post(port, "/validate", ingressReview("ns-00001", ["free.ns-00001.example.com"]));
  const route =
    takenRoute === undefined
      ? "TG-HOSTNAME-COLLISION"
      : await post(port, "/validate", ingressReview("ns-00001", [takenRoute]));
  return (
    taken.includes("TG-HOSTNAME-COLLISION") &&
    taken.includes("tenant-0000") &&
    wildcard.includes("TG-HOSTNAME-COLLISION") &&
    route.includes("TG-HOSTNAME-COLLISION") &&
    !free.includes("TG-HOSTNAME-COLLISION")
  );
};
const decisionsOk =
  foreign.includes("TG-POD-NODE-POOL") &&
  foreign.includes("tenant-0002") &&
  !own.includes("TG-POD-NODE-POOL") &&
  (await hostsOk());
// Load as the API server brings it: 16 connections at once, mutate and validate alternating.
let duringMb = 0;
const sampler = setInterval(() => (duringMb = Math.max(duringMb, rssMb(server.pid!))), 100);
const serveMs = await burst(port, REQUESTS, 16, (i) => [
  i % 2 ? "/validate" : "/mutate",
  podReview(`ns-${String(i % size.namespaces).padStart(5, "0")}`, "x"),
]);
clearInterval(sampler);
await sleep(10_000);
const afterServe = rssMb(server.pid!);
const heapServe = heapUsedMb((await get(port, "/metrics")).body);

// Budgeted pod creates (--budgets): allowed pods (the tenant's own pool and registry), so each one
// is charged to the Tenant's status ledger (a GET and a merge PATCH with a resourceVersion
// precondition on the fake API server), 16 connections over all tenants, validate only.
const budgeted: [string, string][] = [];
if (size.budgets === true) {
  const tenantOfNs = (n: number): string => `tenant-${String(n % size.tenants).padStart(4, "0")}`;
  let denied = 0;
  let firstDenial = "";
  const creates = Math.min(REQUESTS, 5000);
  const { ms, latencies } = await timedBurst(
    port,
    creates,
    16,
    (i) => {
      const n = (i * 7) % size.namespaces;
      const t = tenantOfNs(n);
      const body = podReview(`ns-${String(n).padStart(5, "0")}`, `${t}-pool`).replaceAll(
        /registry\.example\.com\/(storefront|mirror)\//g,
        `registry.example.com/${t}/`,
      );
      return ["/validate", body];
    },
    (answer) => {
      if (answer.includes('"allowed":true')) return;
      denied++;
      firstDenial ||= answer.slice(0, 600);
    },
  );
  const at = (q: number): string =>
    `${(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(1)} ms`;
  budgeted.push(
    [
      `${creates} budgeted pod creates, 16 connections (each charged to the ledger)`,
      `p50 ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}; ${Math.round(creates / (ms / 1000))} creates/s; ${denied} denied`,
    ],
    ["RSS after the budgeted creates", `${rssMb(server.pid!)} MB`],
  );
  if (denied > 0)
    console.error(`budgeted creates: ${denied} were denied (expected all allowed): ${firstDenial}`);
}
server.kill("SIGTERM");
child.send("stop");

const settled = Math.max(after20, afterServe);
rows.push(
  ["API server transport", url.startsWith("https:") ? "HTTPS (CA from the kubeconfig)" : "plain HTTP"],
  ["namespaces / tenants", `${size.namespaces} / ${size.tenants}`],
  ["service accounts / secrets", `${size.serviceAccounts} / ${size.secrets}`],
  [
    "running pods counted / budgets",
    `${size.pods ?? 0} / ${size.budgets === true ? "every tenant" : "none"}`,
  ],
  ["Ingresses / HTTPRoutes (claimed hosts)", `${size.ingresses ?? 0} / ${size.httpRoutes ?? 0}`],
  ["spawn -> ready (includes the full sync)", `${Math.round(readyMs)} ms`],
  ["peak RSS until ready", `${peakMb} MB`],
  ["RSS at ready", `${atReady} MB`],
  ["RSS 10 s / 20 s after ready", `${after10} MB / ${after20} MB (heap used ${heapIdle} MB)`],
  [
    "  of which malloc [heap] / files / anonymous",
    `${where.mallocHeap} / ${where.files} / ${where.anonymous} MB (anonymous: V8 pages, arenas, mapped blocks)`,
  ],
  [
    `peak RSS during ${REQUESTS} pod reviews, 16 connections`,
    `${duringMb} MB (${Math.round(REQUESTS / (serveMs / 1000))} reviews/s)`,
  ],
  ["RSS 10 s after that load", `${afterServe} MB (heap used ${heapServe} MB)`],
  ...budgeted,
  ["memory-reducing collections (from the log)", collections.join("; ") || "none"],
  ["decisions read the synced directory", decisionsOk ? "yes" : "NO"],
  [
    `RSS target <= ${RSS_TARGET_MB} MB (at rest after sync, and after load)`,
    settled <= RSS_TARGET_MB ? `met (${settled} MB)` : `MISSED (${settled} MB)`,
  ],
);
const w = Math.max(...rows.map(([k]) => k.length));
console.log(
  `\nDirectory memory: the server process as the image runs it (${Object.entries(imageEnv())
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")} node ${process.version} ${FLAGS.join(" ")} dist/main.js)`,
);
for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
process.exit(decisionsOk ? 0 : 1);
