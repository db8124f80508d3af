// The hand-built review line must be exactly what pino would have written for the same fields.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";
import { pinoFields, reviewLogger, type ReviewFields } from "../../../src/server/review-log.ts";

const base: ReviewFields = {
  uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
  kind: "Pod",
  subResource: "",
  namespace: "team-alpha",
  name: "",
  operation: "CREATE",
  user: "system:serviceaccount:kube-system:replicaset-controller",
  dryRun: false,
  decision: "patched",
  rules: undefined,
  patchOps: 8,
  latencyMs: 0.041,
};

const cases: [string, ReviewFields][] = [
  ["a patched pod", base],
  [
    "an allowed review with a name and a sub-resource",
    { ...base, name: "web-0", subResource: "binding", decision: "allowed", patchOps: 0 },
  ],
  [
    "a denial with findings in Audit and text that needs escaping",
    {
      ...base,
      decision: "denied",
      dryRun: true,
      rules: ["TG-SA-01:Enforce", "TG-NS-02:Audit"],
      audit: true,
      findings: [
        {
          code: "TG-SA-01",
          mode: "Enforce",
          modeSource: "default",
          message: 'serviceAccount "x\\y" is\nnot "ours" \u2028 é',
          path: "spec.serviceAccountName",
        },
        { code: "TG-NS-02", mode: "Audit", message: "tab\there \u0001" },
      ],
      patchOps: 0,
      latencyMs: 12.5,
    },
  ],
  ["a user name with quotes and unicode", { ...base, user: 'o"brien ✓ \\', namespace: "", latencyMs: 1 }],
];

function capture(level = "info"): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(level, { write: (s: string) => void lines.push(s) }), lines };
}

/** Both lines with the time replaced, so they can be compared byte for byte. */
const untimed = (line: string): string => line.replace(/"time":"[^"]+"/, '"time":"T"');

describe("reviewLogger", () => {
  for (const [what, fields] of cases) {
    it(`writes pino's own line for ${what}`, () => {
      const { log, lines } = capture();
      for (const logger of [log, log.child({ worker: 2 })]) {
        lines.length = 0;
        reviewLogger(logger, "/mutate")(fields);
        logger.info(pinoFields("/mutate", fields), "review");
        expect(lines).toHaveLength(2);
        const [ours, theirs] = lines as [string, string];
        expect(untimed(ours)).toBe(untimed(theirs));
        expect(ours.endsWith("}\n")).toBe(true);
        expect(JSON.parse(ours)).toMatchObject({
          level: 30,
          msg: "review",
          route: "/mutate",
          uid: fields.uid,
        });
        expect((JSON.parse(ours) as { time: string }).time).toMatch(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
        );
      }
    });
  }

  it("carries the bindings of the logger it was made from (a worker's id)", () => {
    const { log, lines } = capture();
    reviewLogger(log.child({ worker: 3 }), "/validate")(base);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      service: "tenant-guard",
      worker: 3,
      route: "/validate",
    });
  });

  it("writes nothing when info is off", () => {
    const { log, lines } = capture("warn");
    reviewLogger(log, "/mutate")(base);
    expect(lines).toEqual([]);
  });

  it("falls back to pino for a logger it cannot mirror (a mixin)", () => {
    const lines: string[] = [];
    const log = pino({ mixin: () => ({ extra: 1 }) }, { write: (s: string) => void lines.push(s) });
    reviewLogger(log, "/mutate")(base);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ extra: 1, msg: "review", uid: base.uid });
  });
});
