// No server field, queue or module holds on to an answered review: through the real HTTPS server,
// once the bookkeeping after the answers ran, every request and rule context the engine was given
// can be collected. A child `node --expose-gc` does the reviewing (test/support/collect-served-review.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("an answered review, through the server", () => {
  it("leaves nothing reachable once its review line is written", () => {
    const child = spawnSync(process.execPath, ["--expose-gc", "test/support/collect-served-review.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    // two /validate reviews show the witness rule a request and a context each (/mutate runs
    // mutators only); all three reviews were logged
    expect(JSON.parse(child.stdout)).toEqual({ seen: 4, alive: 0, reviewLines: 3 });
  }, 90_000);
});
