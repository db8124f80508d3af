// The README's rules table is the operator's reference: every rule code the engine can emit must
// have a row there (code | what it denies | example | exempt / downgrade), and no row may name a
// code that does not exist.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/policy/catalogue.ts";
import { RULE_FAILED_CODE } from "../../src/policy/engine.ts";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

function rulesTable(): Map<string, string[]> {
  const start = README.indexOf("<!-- section: rules -->");
  const end = README.indexOf("<!-- /section: rules -->");
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const rows = new Map<string, string[]>();
  for (const line of README.slice(start, end).split("\n")) {
    const m = /^\|\s*`(TG-[A-Z0-9-]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (m === null) continue;
    rows.set(
      m[1] as string,
      (m[2] as string).split(" | ").map((c) => c.trim()),
    );
  }
  return rows;
}

describe("README rules table", () => {
  const rows = rulesTable();
  const codes = [...new Set(RULES.map((r) => r.code))];

  it("has rules registered at all", () => {
    expect(codes.length).toBeGreaterThan(1);
  });

  it.each(codes)("documents %s with what it denies, an example and how to exempt it", (code) => {
    const cells = rows.get(code);
    expect(cells, `README rules table has no row for ${code}`).toBeDefined();
    expect(cells).toHaveLength(3);
    for (const c of cells ?? []) expect(c.length).toBeGreaterThan(0);
  });

  it("documents TG-INTERNAL and no code the engine cannot emit", () => {
    const known = new Set([...codes, RULE_FAILED_CODE]);
    expect(rows.has(RULE_FAILED_CODE)).toBe(true);
    expect([...rows.keys()].filter((c) => !known.has(c))).toEqual([]);
  });
});
