// Dependencies point one way: cli -> server -> audit -> policy -> tenancy -> config, each room
// importing only rooms below it (docs/ARCHITECTURE.md). Walks every import under src/, so a
// wrong-way import (config/ reaching into policy/, say) fails here, not in a later review.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SRC = join(ROOT, "src");

/** Higher imports lower; equal ranks may not import each other. Top-level files count as rooms. */
const RANK: Readonly<Record<string, number>> = {
  "errors.ts": 0,
  k8s: 0,
  config: 1,
  admission: 1,
  "log-sink.ts": 1,
  "log-pretty.ts": 2,
  "log.ts": 3,
  // Team-budget accounting: read by the directory (usage) and by the rules and server above it.
  quota: 1.5,
  tenancy: 2,
  policy: 3,
  audit: 4,
  server: 5,
  cli: 6,
  "main.ts": 7,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The room a path under src/ lives in: its first folder, or the file itself at the top. */
function room(path: string): string {
  return relative(SRC, path).split(/[\\/]/)[0] ?? "";
}

// Relative specifiers after `from` (multi-line imports end in `} from "..."`), `import "..."` or `import(...)`.
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

interface Edge {
  readonly from: string;
  readonly to: string;
}

function edges(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) out.push({ from: file, to: normalize(join(dirname(file), m[1]!)) });
  return out;
}

/** Imports that go sideways or up, as "src/a/x.ts -> src/b/y.ts". */
function wrongWay(all: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const e of all) {
    const a = room(e.from);
    const b = room(e.to);
    if (a === b) continue;
    const ra = RANK[a];
    const rb = RANK[b];
    if (ra === undefined || rb === undefined || rb >= ra)
      bad.push(`${relative(ROOT, e.from)} -> ${relative(ROOT, e.to)}`);
  }
  return bad;
}

const ALL = files(SRC).flatMap((f) => edges(f, readFileSync(f, "utf8")));

describe("one-way dependencies in src/", () => {
  it("every room has a rank", () => {
    const rooms = new Set(files(SRC).map(room));
    expect([...rooms].filter((r) => RANK[r] === undefined)).toEqual([]);
  });

  it("the walk sees the imports (config is imported from below policy)", () => {
    expect(ALL.some((e) => room(e.from) === "policy" && room(e.to) === "config")).toBe(true);
  });

  it("no import goes sideways or up", () => {
    expect(wrongWay(ALL)).toEqual([]);
  });

  it("a wrong-way import is caught", () => {
    const file = join(SRC, "config", "load.ts");
    const bad = edges(file, 'import {\n  RULES,\n} from "../policy/catalogue.ts";\n');
    expect(wrongWay(bad)).toEqual(["src/config/load.ts -> src/policy/catalogue.ts"]);
  });

  it("the README's layout lists every folder of src/", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const layout = readme.slice(readme.indexOf("Layout ("), readme.indexOf("```", readme.indexOf("src/\n")));
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !new RegExp(`^ {2}${f}/ `, "m").test(layout))).toEqual([]);
  });
});
