// The hand-built review line must be the very bytes pino writes for the same fields, so nobody
// reading the logs can tell which of the two wrote a line.
import { describe, expect, it } from "vitest";
import { createLogger, pinLogTime } from "../../../src/log.ts";
import { ReviewLines, reviewLogFields, type ReviewLineFields } from "../../../src/server/review-line.ts";

const BASE: ReviewLineFields = {
  route: "/validate",
  uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
  kind: "Pod",
  subResource: "",
  namespace: "team-alpha",
  name: "",
  operation: "CREATE",
  user: "system:serviceaccount:kube-system:replicaset-controller",
  dryRun: false,
  decision: "allowed",
  patchOps: 0,
  latencyMs: 0.412,
};

const VARIANTS: Partial<ReviewLineFields>[] = [
  {},
  { route: "/mutate", decision: "patched", patchOps: 8, name: "web-1", dryRun: true },
  { kind: "Namespace", namespace: "", name: "team-beta", operation: "UPDATE", latencyMs: 12 },
  { subResource: "status", kind: "Pod", operation: "UPDATE", decision: "denied" },
  { name: 'quote " and back\\slash', user: "tab\there, newline\n, nul\u0000" },
  { user: "ünïcödé 用户 🚀", namespace: "x".repeat(150) },
  { user: `${"y".repeat(120)}"` },
];

function capture(level = "info") {
  const lines: string[] = [];
  const log = createLogger(level, { write: (s: string) => void lines.push(s) }).child({}, { redact: [] });
  return { log, lines };
}

describe("ReviewLines", () => {
  it("writes the same bytes as pino for the same fields", () => {
    const ours = capture();
    const theirs = capture();
    const lines = new ReviewLines(ours.log);
    pinLogTime(Date.parse("2026-11-24T04:05:06.789Z"));
    try {
      for (const v of VARIANTS) {
        const f = { ...BASE, ...v };
        lines.write(f);
        theirs.log.info(reviewLogFields(f), "review");
      }
    } finally {
      pinLogTime(undefined);
    }
    expect(ours.lines).toHaveLength(VARIANTS.length);
    expect(ours.lines).toEqual(theirs.lines);
    for (const line of ours.lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("escapes a lone surrogate instead of writing invalid UTF-8", () => {
    const { log, lines } = capture();
    new ReviewLines(log).write({ ...BASE, name: "half \ud800 pair" });
    expect(lines[0]).toContain('"name":"half \\ud800 pair"');
    expect((JSON.parse(lines[0]!) as { name: string }).name).toBe("half \ud800 pair");
  });

  it("writes nothing when the logger is above info", () => {
    const { log, lines } = capture("warn");
    new ReviewLines(log).write(BASE);
    expect(lines).toEqual([]);
  });
});
