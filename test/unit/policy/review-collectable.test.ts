// No module in policy/ holds on to a finished review: per-request values live on the request's own
// context. A child `node --expose-gc` reviews a pod and reports whether the request was collected.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

describe("a finished review", () => {
  it("leaves nothing reachable: its request object is collected", () => {
    const child = spawnSync(process.execPath, ["--expose-gc", "test/support/collect-review.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual({ collected: true });
  });
});
