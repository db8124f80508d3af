// Memory and sync time of the cluster directory with a large cluster: the real ClusterDirectory
// (client-node informers, metadata-only lists/watches) against the fake API server, which runs in
// a child process so only the directory's memory is measured.
//
//   node_modules/.bin/node --expose-gc bench/directory-memory.ts [--namespaces 10000] [--tenants 1000]
//        [--service-accounts 100000] [--secrets 100000]
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLogger } from "../src/log.ts";
import { ClusterDirectory } from "../src/tenancy/cluster/cluster-directory.ts";
import { loadKubeConfig } from "../src/tenancy/cluster/kubeconfig.ts";
import { writeKubeconfig } from "../test/support/fake-apiserver/kubeconfig.ts";
import type { WorldSize } from "../test/support/fake-apiserver/synthetic.ts";

const RSS_TARGET_MB = 200;
const { values } = parseArgs({
  options: {
    namespaces: { type: "string", default: "10000" },
    tenants: { type: "string", default: "1000" },
    "service-accounts": { type: "string", default: "100000" },
    secrets: { type: "string", default: "100000" },
  },
});
const size: WorldSize = {
  namespaces: Number(values.namespaces),
  tenants: Number(values.tenants),
  serviceAccounts: Number(values["service-accounts"]),
  secrets: Number(values.secrets),
};

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("run with --expose-gc: node_modules/.bin/node --expose-gc bench/directory-memory.ts");
  process.exit(2);
}
const mb = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage();
}

function startChild(): Promise<{ child: ChildProcess; url: string; rssMb: number }> {
  const child = fork(
    join(import.meta.dirname, "..", "test", "support", "fake-apiserver", "child.ts"),
    [JSON.stringify(size)],
    {
      execPath: process.execPath,
      execArgv: ["--max-old-space-size=8192"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, ...(m as { url: string; rssMb: number }) }));
    child.once("exit", (code) => reject(new Error(`fake API server exited with ${code}`)));
  });
}

const t0 = performance.now();
const { child, url, rssMb: serverRss } = await startChild();
console.log(
  `fake API server loaded in ${Math.round(performance.now() - t0)} ms (its own RSS ${serverRss} MB, not counted)`,
);
const kubeconfig = await writeKubeconfig(url);
const base = settle();

const dir = new ClusterDirectory({
  kubeconfig: loadKubeConfig(kubeconfig),
  tenantLabel: "tenant-guard.dev/tenant",
  log: createLogger("warn"),
});
const start = performance.now();
await dir.start();
let peakRss = 0;
while (!dir.status().ready) {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await new Promise((r) => setTimeout(r, 20));
}
const syncMs = performance.now() - start;
const afterSync = settle();
// A webhook lives on after its sync: let V8's memory reducer return what the sync's garbage left.
await new Promise((r) => setTimeout(r, 5000));
const after = settle();
const counts = dir.status().counts;

// The view answers from the synced state (a sample lookup per kind).
const view = dir.view();
const sampleOk =
  view.tenantOfNamespace("ns-00042") !== undefined &&
  view.object("ServiceAccount", "ns-00000", "app-000000") !== undefined &&
  view.object("Secret", "ns-00000", "app-000000-token") !== undefined &&
  view.tenant("tenant-0001")?.defined === true;

const rows: [string, string][] = [
  ["namespaces / tenants", `${counts.Namespace} / ${counts.Tenant}`],
  ["service accounts / secrets", `${counts.ServiceAccount} / ${counts.Secret}`],
  ["time to sync (start -> ready)", `${Math.round(syncMs)} ms`],
  ["RSS before start (runtime + modules)", `${mb(base.rss)} MB`],
  ["RSS right after sync, after GC", `${mb(afterSync.rss)} MB (heap total ${mb(afterSync.heapTotal)} MB)`],
  ["RSS 5 s later, after GC", `${mb(after.rss)} MB (heap total ${mb(after.heapTotal)} MB)`],
  ["peak RSS during sync", `${mb(peakRss)} MB`],
  ["heap used after sync, after GC", `${mb(after.heapUsed)} MB (+${mb(after.heapUsed - base.heapUsed)} MB)`],
  ["external + array buffers", `${mb(after.external + after.arrayBuffers)} MB`],
  ["sample lookups answer", sampleOk ? "yes" : "NO"],
  [`RSS target <= ${RSS_TARGET_MB} MB`, mb(after.rss) <= RSS_TARGET_MB ? "met" : "MISSED"],
];
const w = Math.max(...rows.map(([k]) => k.length));
console.log(`\nDirectory memory (node ${process.version}, ${process.platform}/${process.arch})`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);

await dir.close();
child.send("stop");
await new Promise((r) => child.once("exit", r));
process.exit(sampleOk ? 0 : 1);
