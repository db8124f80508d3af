// Start-to-ready: spawn the server the way users do (`npm start`), straight from the sources
// (`node src/main.ts serve`) and the way the container does (`node dist/main.js serve`, built here
// into bench/.out/dist), poll GET /readyz, and take the time from spawn to the first 200.
import { spawn } from "node:child_process";
import { buildDist, freePort, get, imageNodeFlags } from "./server-process.ts";
import { table } from "./stats.ts";
import { ROOT } from "./world.ts";

/** Milliseconds from spawn to the first 200 from /readyz (the server is stopped afterwards). */
export async function timeToReady(cmd: string, args: readonly string[], timeoutMs = 20_000): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    cwd: ROOT,
    detached: true, // its own process group, so npm's child node is stopped with it
    stdio: "ignore",
    env: { ...process.env, TENANT_GUARD_PORT: String(port), TENANT_GUARD_HOST: "127.0.0.1" },
  });
  try {
    while (performance.now() - t0 < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}`);
      if ((await get(port, "/readyz")).status === 200) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`${cmd} ${args.join(" ")}: not ready after ${timeoutMs} ms`);
  } finally {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export interface StartupRow {
  readonly how: string;
  readonly runs: number[];
}

export async function runStartup(runs = 5): Promise<StartupRow[]> {
  const built = buildDist();
  const flags = imageNodeFlags();
  const ways: [string, string, string[]][] = [
    ["npm start", "npm", ["start", "--silent"]],
    ["node src/main.ts serve (type stripping)", process.execPath, ["src/main.ts", "serve"]],
    [`node ${flags.join(" ")} dist/main.js serve (the image)`, process.execPath, [...flags, built, "serve"]],
  ];
  // Round-robin, so a change in the shared machine's load hits every row alike.
  const times: number[][] = ways.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [w, [, cmd, args]] of ways.entries()) times[w]!.push(await timeToReady(cmd, args));
  }
  return ways.map(([how], w) => ({ how, runs: times[w]!.sort((a, b) => a - b) }));
}

export function startupTable(rows: readonly StartupRow[]): string {
  return table(
    ["command", "median ms", "min ms", "max ms", "runs"],
    rows.map((r) => [
      r.how,
      (r.runs[Math.floor(r.runs.length / 2)] as number).toFixed(0),
      (r.runs[0] as number).toFixed(0),
      (r.runs[r.runs.length - 1] as number).toFixed(0),
      String(r.runs.length),
    ]),
  );
}

if (import.meta.main) {
  const rows = await runStartup(Number(process.env.BENCH_STARTUP_RUNS ?? 5));
  console.log("### Start to ready (spawn -> first 200 from GET /readyz), examples/cluster.yaml\n");
  console.log(startupTable(rows));
  console.log();
}
