// Every value src/ exports is imported somewhere (src/, test/ or bench/): scripts/dead-exports.ts
// resolves each import with the TypeScript compiler and lists what nothing names. An export kept
// "for later" is a door nobody uses; drop the `export` or the code.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("exports of src/", () => {
  it("are all imported by another file", () => {
    const r = spawnSync(process.execPath, ["scripts/dead-exports.ts"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n").filter((l) => l !== "")).toEqual([]);
    expect(r.status).toBe(0);
  }, 120_000);
});
