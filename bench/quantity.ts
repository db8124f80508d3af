// The quantity parser on its own: 1,000,000 typical quantities ("250m", "4Gi", "1e3", ...), and
// one hostile value (30,000 digits + "e2.5", which Kubeflow's CRD pattern accepts), for the
// scanner in src/k8s/quantity.ts and for the regular expression it replaced ("before").
// `node_modules/.bin/node bench/quantity.ts`
import { parseQuantity } from "../src/k8s/quantity.ts";

// The parser before issue 19, kept here only to compare against.
const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;
function before(q: string): number | undefined {
  const m = QUANTITY.exec(q.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  if (m[2] !== undefined) return n * 10 ** Number(m[2].slice(1));
  return n * (SUFFIX[m[3] ?? ""] ?? 1);
}

const TYPICAL = ["250m", "4Gi", "1", "512Mi", "1e3", "2.5", "100Ki", "0.5", "16", "8G", "750u", "1500m"];
const N = 1_000_000;
const HOSTILE = `${"1".repeat(30_000)}e2.5`;

function perCall(parse: (q: string) => number | undefined): number {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += parse(TYPICAL[i % TYPICAL.length] as string) ?? 0; // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += parse(TYPICAL[i % TYPICAL.length] as string) ?? 0;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (sink === -1) console.log(sink); // keeps the loop from being optimised away
  return ns;
}

function hostileMs(parse: (q: string) => number | undefined): string {
  const t0 = process.hrtime.bigint();
  const v = parse(HOSTILE);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return `${ms < 1 ? ms.toFixed(4) : ms.toFixed(0)} ms (${v === undefined ? "not a quantity" : v})`;
}

console.log(
  `### Quantity parser: ${N.toLocaleString("en")} typical quantities, and 30,000 digits + "e2.5"\n`,
);
console.log("| parser | ns per typical quantity | 30,000 digits + e2.5 |");
console.log("|---|---|---|");
console.log(`| before (regex) | ${perCall(before).toFixed(1)} | ${hostileMs(before)} |`);
console.log(`| scanner | ${perCall(parseQuantity).toFixed(1)} | ${hostileMs(parseQuantity)} |`);
console.log();
