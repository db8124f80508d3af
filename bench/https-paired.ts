// tenant-guard against the bare node:https baseline over HTTPS, in alternation: each round
// measures bare, tenant-guard at log info and at log warn back to back, for the same number of
// requests at 16 connections, and the ratios are taken within a round. compare.sh measures each
// server once, one after another; on this shared VM the machine's speed drifts by 30 % and more
// within minutes, so a single compare.sh ratio swung between 0.57x and 0.96x for the same build.
// Pairing within a round cancels the drift; the median over rounds is what is reported.
// Two ratios: throughput (what docs/ARCHITECTURE.md's target names; bare at 16 connections is partly held back
// by the load generator's own core) and server CPU per request (utime + stime from /proc over the
// measured requests), which does not depend on how much of either core the neighbours left.
// Latency percentiles come from compare.sh (bench/https.sh): a cell here starts from fresh
// connections and is too short for a p99 worth reporting.
// Env: ROUNDS (6), REQUESTS (25000 per cell), WARM (5000), CONCURRENCY (16), PEERS_DIR, BENCH_DEPS.
// PAIRED_OTHERS=label=/path/to/checkout,...: those checkouts' builds (log info), each run as its own
// Dockerfile runs it (its node flags and ENV), join every round,
// so a before/after or a library-vs-stand-in comparison is paired too. PAIRED_NO_WARN=1 drops the
// log-warn server (shorter rounds when only the info cells are compared).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert } from "../src/server/tls.ts";
import { buildDist, freePort, imageEnv, imageNodeFlags, sleep } from "./server-process.ts";
import { table } from "./stats.ts";
import { ROOT } from "./world.ts";

const env = process.env;
const PEERS = env.PEERS_DIR ?? join(ROOT, "..", "shared", "peers");
const DEPS_NODE = join(env.BENCH_DEPS ?? "/tmp/bench-deps", "node_modules", ".bin", "node");
const ROUNDS = Number(env.ROUNDS ?? 6);
const REQUESTS = Number(env.REQUESTS ?? 25_000);
const WARM = Number(env.WARM ?? 5000);
const CONCURRENCY = Number(env.CONCURRENCY ?? 16);
const FIXTURE = join(PEERS, "fixtures", "pod-create.json");
// /proc/PID/stat counts CPU time in clock ticks.
const TICKS_PER_S = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

interface Server {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}
interface Cell {
  readonly cpuUs: number;
  readonly rps: number;
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" "); // fields from 3 on
  return Number(rest[11]) + Number(rest[12]); // utime (14) + stime (15)
}

function load(port: number, endpoint: string, n: number): { rps: number } {
  const r = spawnSync(
    "taskset",
    [
      "-c",
      "1",
      DEPS_NODE,
      join(PEERS, "load.mjs"),
      "--url",
      `https://127.0.0.1:${port}/${endpoint}`,
      "--fixture",
      FIXTURE,
      "-c",
      String(CONCURRENCY),
      "-n",
      String(n),
      "--warmup",
      "0",
    ],
    { encoding: "utf8" },
  );
  const out = JSON.parse(r.stdout) as { rps: number; errors: number };
  if (r.status !== 0 || out.errors > 0)
    throw new Error(`load.mjs against ${endpoint}: ${r.stdout}${r.stderr}`);
  return out;
}

async function start(name: string, args: string[], extraEnv: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn("taskset", ["-c", "0", ...args.map((a) => a.replace("@PORT", String(port)))], {
    cwd: ROOT,
    env: { ...env, ...extraEnv, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const r = spawnSync(DEPS_NODE, [
      join(PEERS, "load.mjs"),
      "--url",
      `https://127.0.0.1:${port}/validate`,
      "--fixture",
      FIXTURE,
      "--once",
    ]);
    if (r.status === 0) return { name, port, child };
  }
  child.kill("SIGKILL");
  throw new Error(`${name} did not answer on port ${port}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(PEERS, "load.mjs")) || !existsSync(DEPS_NODE)) {
    console.error(
      `bench/https-paired.ts: no harness at ${PEERS} or no ${DEPS_NODE} (run ../shared/peers/setup.sh); skipping`,
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "tg-paired-"));
  const cert = await selfSignedCert(["localhost"]);
  const [certFile, keyFile] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  writeFileSync(certFile, cert.cert);
  writeFileSync(keyFile, cert.key);
  const tls = { TLS_CERT: certFile, TLS_KEY: keyFile };
  const main = buildDist();
  const node = join(ROOT, "node_modules", ".bin", "node");
  const tg = (level: string, entry = main, root = ROOT): string[] => [
    node,
    ...imageNodeFlags(root),
    entry,
    "serve",
    "--port",
    "@PORT",
    "--host",
    "127.0.0.1",
    "--directory",
    "file:examples/cluster.yaml",
    "--tls-cert",
    certFile,
    "--tls-key",
    keyFile,
    "--log-level",
    level,
  ];
  const servers = [
    await start("bare node:https", [node, join(PEERS, "peers", "bare-https.mjs")], tls),
    await start("tenant-guard (log info)", tg("info"), imageEnv()),
  ];
  if (env.PAIRED_NO_WARN !== "1")
    servers.push(await start("tenant-guard (log warn)", tg("warn"), imageEnv()));
  for (const other of (env.PAIRED_OTHERS ?? "").split(",").filter((x) => x !== "")) {
    const eq = other.indexOf("=");
    const [label, dir] = eq === -1 ? [other, other] : [other.slice(0, eq), other.slice(eq + 1)];
    servers.push(
      await start(`tenant-guard ${label} (log info)`, tg("info", buildDist(dir), dir), imageEnv(dir)),
    );
  }
  const cells = new Map<string, Cell[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const endpoint of ["mutate", "validate"]) {
        for (const s of servers) {
          load(s.port, endpoint, WARM);
          const before = cpuTicks(s.child.pid!);
          const { rps } = load(s.port, endpoint, REQUESTS);
          const ticks = cpuTicks(s.child.pid!) - before;
          const key = `${s.name}\t${endpoint}`;
          const cell = { cpuUs: (ticks * 1e6) / TICKS_PER_S / REQUESTS, rps };
          cells.set(key, [...(cells.get(key) ?? []), cell]);
        }
      }
      process.stderr.write(`bench/https-paired.ts: round ${round + 1}/${ROUNDS} done\n`);
    }
  } finally {
    for (const s of servers) s.child.kill("SIGTERM");
  }
  report(
    servers.map((s) => s.name),
    cells,
  );
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function report(names: readonly string[], cells: Map<string, Cell[]>): void {
  const rows: string[][] = [];
  for (const endpoint of ["mutate", "validate"]) {
    const bare = cells.get(`${names[0]}\t${endpoint}`) ?? [];
    for (const name of names) {
      const c = cells.get(`${name}\t${endpoint}`) ?? [];
      // Within each round: bare's CPU per request over ours (= our throughput share on a full core).
      const cpuRatio = c.map((x, i) => (bare[i]?.cpuUs ?? NaN) / x.cpuUs);
      const rpsRatio = c.map((x, i) => x.rps / (bare[i]?.rps ?? NaN));
      rows.push([
        name,
        endpoint,
        String(CONCURRENCY),
        median(c.map((x) => x.cpuUs)).toFixed(1),
        Math.min(...c.map((x) => x.cpuUs)).toFixed(1),
        median(c.map((x) => x.rps)).toFixed(0),
        `${median(cpuRatio).toFixed(2)}x (${Math.min(...cpuRatio).toFixed(2)}–${Math.max(...cpuRatio).toFixed(2)})`,
        `${median(rpsRatio).toFixed(2)}x (${Math.min(...rpsRatio).toFixed(2)}–${Math.max(...rpsRatio).toFixed(2)})`,
      ]);
    }
  }
  console.log(
    `### Over HTTPS, paired: ${ROUNDS} rounds of bare / tenant-guard info / warn back to back, ` +
      `${REQUESTS} requests per cell after ${WARM} warm-up, ${CONCURRENCY} connections, server on core 0, load on core 1\n`,
  );
  console.log(
    table(
      [
        "server",
        "endpoint",
        "c",
        "server CPU µs/request (median)",
        "min",
        "rps (median)",
        "bare CPU/req ÷ ours, paired (median, range)",
        "rps vs bare, paired (median, range)",
      ],
      rows,
    ),
  );
}

await main();
