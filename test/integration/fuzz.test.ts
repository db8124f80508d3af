// Property-based fuzzing of AdmissionReviews through the REAL server (one keep-alive agent, sixteen
// requests in flight): wrong types everywhere, unicode and control characters, `__proto__` /
// `constructor` keys, huge and deep values, missing fields, seeded from every real-shaped fixture.
// Invariants: an answer always arrives; never a 5xx; a 200 is a well-formed AdmissionReview that
// echoes uid and apiVersion; no rule crashes (TG-INTERNAL) on any input; and a review that crosses
// a tenant boundary is never allowed under Enforce, whatever junk surrounds it.
import { readdirSync, readFileSync } from "node:fs";
import { Agent } from "node:https";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { httpsRequest } from "../support/https.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const FIXTURES = "test/fixtures/admission";
const SEEDS: { name: string; review: JsonRecord }[] = (readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f, review: JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as JsonRecord }));
const PROTO = "__fuzz_proto_marker__"; // becomes a literal "__proto__" key in the JSON text

let srv: TestServer;
let agent: Agent;
const internal = new Map<string, string>(); // TG-INTERNAL message -> fixture that triggered it
let sent = 0;

beforeAll(async () => {
  srv = await startTestServer({ log: { level: "warn" } });
  agent = new Agent({ keepAlive: true, maxSockets: BATCH });
});
afterAll(async () => {
  agent?.destroy();
  await srv?.close();
});

interface Answer {
  status: number;
  body: string;
}
async function post(path: string, body: string): Promise<Answer> {
  sent++;
  const res = await httpsRequest(srv.url + path, {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
    ca: srv.ca,
    agent,
    timeoutMs: 5000, // "never a hang"
  });
  return { status: res.status, body: res.text };
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }), // any code point, control characters included
  fc.constantFrom("", "\u0000", "\u202e\u0007evil", "team-alpha\n", "ﾃｽﾄ", "🦀".repeat(30), "a".repeat(300)),
);
const key = fc.oneof(
  text,
  fc.constantFrom(PROTO, "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "length"),
);
const deep = (n: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v] : { [PROTO]: v };
  return v;
};
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-0, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2),
  text,
  fc.array(fc.oneof(text, fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(key, fc.oneof(text, fc.integer(), fc.constant(null), fc.dictionary(key, text)), {
    maxKeys: 4,
  }),
  fc.integer({ min: 1, max: 600 }).map((n) => deep(n, "x")), // around the 512 nesting limit
  fc.constantFrom(
    "x".repeat(20_000),
    Array.from({ length: 500 }, (_, i) => ({ name: `c${i}` })),
  ),
);

type Path = (string | number)[];
function pathsOf(x: unknown, base: Path = [], out: Path[] = []): Path[] {
  out.push(base);
  if (Array.isArray(x)) x.forEach((v, i) => pathsOf(v, [...base, i], out));
  else if (typeof x === "object" && x !== null)
    for (const [k, v] of Object.entries(x)) pathsOf(v, [...base, k], out);
  return out;
}
type Edit = { pick: number; op: "set" | "delete" | "addKey"; value: unknown; key: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom("set", "set", "delete", "addKey"),
  value: junk,
  key,
});
function apply(root: JsonRecord, e: Edit, allowed: (p: Path) => boolean): void {
  const candidates = pathsOf(root).filter((p) => p.length > 0 && allowed(p));
  const p = candidates[e.pick % Math.max(1, candidates.length)];
  if (p === undefined) return;
  let parent: unknown = root;
  for (const seg of p.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
  const last = p[p.length - 1] as string | number;
  const target = parent as Record<string | number, unknown>;
  // A fresh copy: generated constants are shared between cases and must never alias each other.
  const value = structuredClone(e.value);
  if (e.op === "delete") {
    if (Array.isArray(target)) target.splice(last as number, 1);
    else delete target[last];
  } else if (
    e.op === "addKey" &&
    typeof target[last] === "object" &&
    target[last] !== null &&
    !Array.isArray(target[last])
  ) {
    Object.defineProperty(target[last], e.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[last] = value;
}
const toJson = (x: unknown): string => JSON.stringify(x).replaceAll(`"${PROTO}"`, '"__proto__"');

interface Review {
  apiVersion?: string;
  kind?: string;
  response?: {
    uid?: unknown;
    allowed?: unknown;
    status?: { code?: number; message?: string };
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
  };
}
/** The invariants every answer keeps; returns the decoded review when it was a 200. */
function check(a: Answer, sentUid: unknown, sentVersion: unknown, seed: string): Review | undefined {
  expect(a.status, `${seed}: ${a.body.slice(0, 200)}`).toBeLessThan(500);
  expect([200, 400, 413]).toContain(a.status);
  const body = JSON.parse(a.body) as Review & { error?: { code: string } };
  if (a.status !== 200) {
    expect(body.error?.code).toMatch(/^TG_/);
    return undefined;
  }
  expect(body.kind).toBe("AdmissionReview");
  expect(body.apiVersion).toBe(sentVersion);
  expect(body.response?.uid).toBe(sentUid);
  expect(typeof body.response?.allowed).toBe("boolean");
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be absent
  for (const w of body.response?.warnings ?? []) expect(w).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  const msg = [
    body.response?.status?.message ?? "",
    ...Object.values(body.response?.auditAnnotations ?? {}),
  ].join(" ");
  for (const m of msg.matchAll(/\[TG-INTERNAL\] ([^;(]*)/g)) internal.set(m[1] as string, seed);
  return body;
}

const seed = fc.constantFrom(...SEEDS);
const BATCH = 16;

describe("fuzzing AdmissionReviews through the real server", () => {
  it("survives arbitrary JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: BATCH, maxLength: BATCH }),
        async (values) => {
          const answers = await Promise.all(values.map((v) => post("/validate", JSON.stringify(v))));
          answers.forEach((a) => check(a, undefined, undefined, "arbitrary json"));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("survives wrong types, odd keys and strange text anywhere in real reviews", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(seed, fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean()), {
          minLength: BATCH,
          maxLength: BATCH,
        }),
        async (cases) => {
          const answers = await Promise.all(
            cases.map(async ([s, edits, mutate]) => {
              const r = structuredClone(s.review);
              for (const e of edits) apply(r, e, () => true);
              return { a: await post(mutate ? "/mutate" : "/validate", toJson(r)), r, s };
            }),
          );
          for (const { a, r, s } of answers)
            check(a, (r.request as JsonRecord | undefined)?.uid, r.apiVersion, s.name);
        },
      ),
      { numRuns: 75 },
    );
  });

  it("never allows a cross-tenant pod under Enforce, whatever junk surrounds the violation", async () => {
    const violating = SEEDS.find((s) => s.name === "pod-create.json")!.review;
    const req = violating.request as { object: { metadata: { labels: Record<string, string> } } };
    req.object.metadata.labels["tenant-guard.dev/tenant"] = "team-beta"; // namespace is team-alpha's
    const label = ["request", "object", "metadata", "labels", "tenant-guard.dev/tenant"];
    // junk may go anywhere in the object except onto the claim itself (or a map holding it)
    const elsewhere = (p: Path): boolean =>
      p[0] === "request" &&
      (p[1] === "object" || p[1] === "oldObject") &&
      !label.slice(0, p.length).every((s, i) => s === p[i]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(edit, { minLength: 1, maxLength: 5 }), { minLength: BATCH, maxLength: BATCH }),
        async (batches) => {
          const answers = await Promise.all(
            batches.map((edits) => {
              const r = structuredClone(violating);
              for (const e of edits) apply(r, e, elsewhere);
              return post("/validate", toJson(r));
            }),
          );
          for (const a of answers) {
            const out = check(
              a,
              (violating.request as JsonRecord).uid,
              violating.apiVersion,
              "cross-tenant pod",
            );
            if (out !== undefined) expect(out.response?.allowed, a.body.slice(0, 300)).toBe(false);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("ran thousands of cases, no rule crashed, and the server is still healthy", async () => {
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect([...internal].map(([m, seedName]) => `${m} (from ${seedName})`)).toEqual([]);
    expect(srv.logs.filter((l) => Number(l.level) >= 50 && l.msg !== "rule failed on this request")).toEqual(
      [],
    );
    expect((await srv.request("/healthz")).status).toBe(200);
  });
  it("refuses nesting past the limit quickly and handles huge flat objects", async () => {
    const base = SEEDS.find((s) => s.name === "pod-create.json")!.review;
    // 6 MB of brackets: V8 alone would spend seconds parsing it (JSON.stringify cannot even make it)
    const n = 1_000_000;
    const body = JSON.stringify(base).replace('"spec":{', `"spec":{"x":${"[".repeat(n)}${"]".repeat(n)},`);
    const t0 = performance.now();
    const a = await post("/validate", body);
    expect(a.status).toBe(400);
    expect(a.body).toContain("nested deeper than 512");
    expect(performance.now() - t0).toBeLessThan(2000);
    const wide = structuredClone(base) as { request: { object: { metadata: { annotations: JsonRecord } } } };
    wide.request.object.metadata.annotations = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, i) => [`k${i}`, "v"]),
    );
    check(
      await post("/mutate", JSON.stringify(wide)),
      (base.request as JsonRecord).uid,
      base.apiVersion,
      "wide",
    );
    // a 5000-container pod and a 1 MB name: answered, bounded, not a crash
    const many = structuredClone(base) as {
      request: { object: { spec: { containers: JsonRecord[] }; metadata: JsonRecord } };
    };
    many.request.object.spec.containers = Array.from({ length: 5000 }, (_, i) => ({
      name: `c${i}`,
      image: "ghcr.io/x/y:1",
    }));
    many.request.object.metadata.generateName = "n".repeat(1_000_000);
    const out = check(
      await post("/validate", JSON.stringify(many)),
      (base.request as JsonRecord).uid,
      base.apiVersion,
      "many",
    );
    // Names are bounded before they reach the findings, so this is an ordinary, bounded deny.
    expect(out?.response?.allowed).toBe(false);
    expect(out?.response?.status?.message?.length ?? Infinity).toBeLessThanOrEqual(8192);
    expect((await srv.request("/healthz")).status).toBe(200);
  });
});
