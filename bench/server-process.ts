// Helpers for benchmarks that run the real server as its own process, the way the image does:
// build dist/ (pre-stripped JavaScript), find a free port, talk HTTPS to it, read its RSS.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "./world.ts";

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Emits src/ with tsconfig.build.json into bench/.out/dist (git-ignored), as the image's build
 * stage does; returns the entry point. `root`: another checkout (paired comparisons). */
export function buildDist(root = ROOT): string {
  const out = join(root, "bench", ".out", "dist");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  rmSync(out, { recursive: true, force: true }); // no module of a deleted source lingers
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", out], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed: ${r.stdout}${r.stderr}`);
  return join(out, "main.js");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The node flags of the image's ENTRYPOINT (["node", ...flags, "dist/main.js"]): benchmarks run
 * the server exactly as the container does. */
export function imageNodeFlags(root = ROOT): string[] {
  const docker = readFileSync(join(root, "Dockerfile"), "utf8");
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(docker);
  const argv = m === null ? [] : (JSON.parse(m[1]!) as string[]);
  if (argv[0] !== "node" || argv.at(-1) !== "dist/main.js")
    throw new Error(`Dockerfile ENTRYPOINT is not ["node", ..., "dist/main.js"]: ${m?.[1] ?? "none"}`);
  return argv.slice(1, -1);
}

/** The `ENV` settings of the image's final stage (NODE_ENV, MALLOC_ARENA_MAX, ...). */
export function imageEnv(root = ROOT): Record<string, string> {
  const docker = readFileSync(join(root, "Dockerfile"), "utf8");
  const final = docker.slice(docker.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const m of final.matchAll(/^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*$/gm)) env[m[1]!] = m[2]!;
  return env;
}

/** Resident set size of a process, in MB with one decimal (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? NaN : Math.round((Number(m[1]) / 1024) * 10) / 10;
}

/** RSS in MB by where it lives (/proc smaps): the main malloc arena's `[heap]`, file-backed pages
 * (the node binary and libraries), and anonymous mappings (V8's heap pages, thread arenas, blocks
 * malloc mapped on their own). */
export function rssByMapping(pid: number): { mallocHeap: number; files: number; anonymous: number } {
  const out = { mallocHeap: 0, files: 0, anonymous: 0 };
  let into: keyof typeof out = "anonymous";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head !== null) {
      const name = head[1]!;
      into = name === "[heap]" ? "mallocHeap" : name.startsWith("/") ? "files" : "anonymous";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) out[into] += Number(rss[1]);
  }
  const mb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;
  return { mallocHeap: mb(out.mallocHeap), files: mb(out.files), anonymous: mb(out.anonymous) };
}

const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });

function call(
  port: number,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        agent,
        timeout: 5000,
        headers: body ? { "content-type": "application/json" } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.on("timeout", () => req.destroy());
    req.end(body);
  });
}

/** `total` POSTs from `concurrency` keep-alive connections at once; resolves with the elapsed ms. */
export async function burst(
  port: number,
  total: number,
  concurrency: number,
  next: (i: number) => [path: string, body: string],
): Promise<number> {
  const t0 = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < total) {
        const [path, body] = next(i++);
        await post(port, path, body);
      }
    }),
  );
  return performance.now() - t0;
}

/** burst(), recording each request's latency (ms), sorted ascending. */
export async function timedBurst(
  port: number,
  total: number,
  concurrency: number,
  next: (i: number) => [path: string, body: string],
  check?: (body: string) => void,
): Promise<{ ms: number; latencies: Float64Array }> {
  const latencies = new Float64Array(total);
  const t0 = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < total) {
        const n = i++;
        const [path, body] = next(n);
        const start = performance.now();
        const answer = await post(port, path, body);
        latencies[n] = performance.now() - start;
        check?.(answer);
      }
    }),
  );
  return { ms: performance.now() - t0, latencies: latencies.sort() };
}

export const get = (port: number, path: string): Promise<{ status: number; body: string }> =>
  call(port, "GET", path);

export async function post(port: number, path: string, body: string): Promise<string> {
  const res = await call(port, "POST", path, body);
  if (res.status !== 200) throw new Error(`POST ${path}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return res.body;
}

const POD = readFileSync(join(ROOT, "test", "fixtures", "admission", "pod-create.json"), "utf8");
let uid = 0;

/** The 6 KB pod-create fixture, moved to `namespace` and placed on the node pool `pool`. */
export function podReview(namespace: string, pool: string): string {
  const review = JSON.parse(POD) as {
    request: {
      uid: string;
      namespace: string;
      object: { metadata: { namespace: string }; spec: { nodeSelector: Record<string, string> } };
    };
  };
  review.request.uid = `00000000-0000-4000-8000-${String(++uid).padStart(12, "0")}`;
  review.request.namespace = namespace;
  review.request.object.metadata.namespace = namespace;
  review.request.object.spec.nodeSelector = { "tenant-guard.dev/pool": pool };
  return JSON.stringify(review);
}

const INGRESS = readFileSync(
  join(ROOT, "test", "fixtures", "admission", "hostnames", "ingress-free-host.json"),
  "utf8",
);

/** An Ingress CREATE in `namespace` claiming `hosts` (rules and tls). */
export function ingressReview(namespace: string, hosts: readonly string[]): string {
  const review = JSON.parse(INGRESS) as {
    request: {
      uid: string;
      namespace: string;
      object: {
        metadata: { namespace: string; creationTimestamp: string };
        spec: { rules: { host: string }[]; tls: { hosts: string[] }[] };
      };
    };
  };
  review.request.uid = `00000000-0000-4000-8000-${String(++uid).padStart(12, "0")}`;
  review.request.namespace = namespace;
  const obj = review.request.object;
  obj.metadata.namespace = namespace;
  obj.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const rule = obj.spec.rules[0] ?? { host: "" };
  obj.spec.rules = hosts.map((host) => ({ ...rule, host }));
  obj.spec.tls = [{ ...obj.spec.tls[0], hosts: [...hosts] }];
  return JSON.stringify(review);
}
