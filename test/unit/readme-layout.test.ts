// The README's layout block names every folder of src/ (and its subfolders) and every top-level
// file, so a newcomer's map has no blank room; a folder that is gone is gone from the map too.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SRC = join(ROOT, "src");

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => [relative(SRC, join(dir, d.name)), ...folders(join(dir, d.name))]);
}

function layoutBlock(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("```\nsrc/\n");
  expect(start, "README has a layout block starting with src/").toBeGreaterThan(-1);
  return readme.slice(start, readme.indexOf("```", start + 3));
}

describe("README layout", () => {
  it("names every folder of src/ and every top-level file", () => {
    const block = layoutBlock();
    // A top-level folder as "  name/", a subfolder by its last segment ("cluster/") in its parent's lines.
    const missing = folders(SRC).filter((f) => !block.includes(`${f.split("/").at(-1)}/`));
    const files = readdirSync(SRC).filter((f) => f.endsWith(".ts"));
    expect(missing).toEqual([]);
    expect(files.filter((f) => !block.includes(`  ${f} `))).toEqual([]);
  });

  it("names no top-level folder or file that does not exist", () => {
    const top = new Set(readdirSync(SRC).map((f) => f));
    const named = [...layoutBlock().matchAll(/^ {2}([\w.-]+\/?)\s/gm)].map((m) => m[1]!.replace(/\/$/, ""));
    expect(named.filter((n) => !top.has(n))).toEqual([]);
  });
});
