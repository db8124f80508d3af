// Fail safe through the real server: a rule or mutator that throws (any value, even a stack
// overflow) becomes a clear deny under Enforce and a logged allow under Audit, never a 5xx or a
// dead process; a directory that is not ready or degraded shows in /readyz and /metrics.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import type { Mutator, Rule } from "../../src/policy/types.ts";
import type { Directory } from "../../src/tenancy/directory.ts";
import { FileDirectory } from "../../src/tenancy/file.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const pods = [{ group: "", resource: "pods" }];
const throwing = (code: string, thrown: () => unknown): Rule => ({
  code,
  summary: "test rule that fails",
  match: pods,
  operations: ["CREATE"],
  check() {
    throw thrown();
  },
});
const recurse = (n: number): number => recurse(n + 1) + 1;
const RULES: Rule[] = [
  throwing("TG-TEST-ERROR", () => new TypeError("cannot read properties of undefined")),
  { ...throwing("TG-TEST-STACK", () => null), check: () => void recurse(0) },
];
const MUTATORS: Mutator[] = [
  {
    name: "test-mutator-fails",
    match: pods,
    operations: ["CREATE"],
    mutate(_ctx, out) {
      out.push({ op: "add", path: "/metadata/labels/half", value: "applied" });
      throw new Error("mutator bug");
    },
  },
];

interface Out {
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    patch?: string;
    auditAnnotations?: Record<string, string>;
  };
}

describe("a rule that throws, under Enforce", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({}, { extraRules: RULES, extraMutators: MUTATORS });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it("denies with TG-INTERNAL naming each failed rule, and keeps serving", async () => {
    const review = loadReview("pod-create");
    const res = await srv.review("/validate", review);
    expect(res.status).toBe(200);
    const out = res.json<Out>().response;
    expect(out.uid).toBe(review.request.uid);
    expect(out.allowed).toBe(false);
    expect(out.status?.code).toBe(403);
    expect(out.status?.message).toContain(
      "[TG-INTERNAL] rule TG-TEST-ERROR failed: cannot read properties of undefined",
    );
    expect(out.status?.message).toContain("rule TG-TEST-STACK failed: Maximum call stack size exceeded");
    const failed = srv.logs.filter((l) => l.msg === "rule failed on this request");
    expect(failed.map((l) => l.level)).toEqual([50, 50]); // error level, one per failure
    expect((await srv.request("/healthz")).status).toBe(200);
  });

  it("never half-applies a mutator that throws: the review is denied without a patch", async () => {
    const out = (await srv.review("/mutate", loadReview("pod-create"))).json<Out>().response;
    expect(out.allowed).toBe(false);
    expect(out.patch).toBeUndefined();
    expect(out.status?.message).toContain("mutator test-mutator-fails failed: mutator bug");
  });
});

describe("a rule that throws something that is not an Error", () => {
  it("is still denied under Enforce with a 200 AdmissionReview", async () => {
    const srv = await startTestServer({}, { extraRules: [throwing("TG-TEST-NULL", () => null)] });
    try {
      const res = await srv.review("/validate", loadReview("pod-create"));
      expect(res.status).toBe(200);
      const out = res.json<Out>().response;
      expect(out.allowed).toBe(false);
      // the engine's TG-INTERNAL finding, or (if the engine itself trips over `null`) the server's
      // fail-safe answer: either way a deny that says tenant-guard failed
      expect(out.status?.message).toMatch(/TG-INTERNAL|could not evaluate/);
    } finally {
      await srv.close();
    }
  });
});

describe("a rule that throws, under Audit", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ enforcement: { mode: "Audit" } }, { extraRules: RULES });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it("allows, records the failure in auditAnnotations, and logs it at error level", async () => {
    const out = (await srv.review("/validate", loadReview("pod-create"))).json<Out>().response;
    expect(out.allowed).toBe(true);
    expect(out.auditAnnotations?.["tg-internal"]).toContain("Audit: [TG-INTERNAL] rule TG-TEST-ERROR failed");
    const logged = srv.logs.find((l) => l.msg === "rule failed on this request");
    expect(logged?.level).toBe(50);
    expect(logged?.mode).toBe("Audit");
    const metrics = (await srv.request("/metrics")).text;
    expect(metrics).toMatch(
      /tenant_guard_rule_findings_total\{route="\/validate",rule="TG-INTERNAL",mode="Audit",dry_run="false"\} 2/,
    );
  });
});

/** A directory whose lookups fail: a bug outside every rule. */
function brokenView(inner: Directory): Directory {
  return {
    kind: inner.kind,
    start: () => inner.start(),
    readiness: () => inner.readiness(),
    status: () => inner.status(),
    close: () => inner.close(),
    view: () => {
      throw new RangeError("index corrupted");
    },
  };
}

describe("a failure outside the rules", () => {
  it("is still an AdmissionReview: a deny under Enforce, never a 500", async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const inner = new FileDirectory({
      path: "examples/cluster.yaml",
      tenantLabel: "tenant-guard.dev/tenant",
      log: createLogger("silent", sink),
      watch: false,
    });
    const srv = await startTestServer({}, { directory: brokenView(inner) });
    try {
      const res = await srv.review("/validate", loadReview("pod-create"));
      expect(res.status).toBe(200);
      const out = res.json<Out>().response;
      expect(out.allowed).toBe(false);
      expect(out.status?.code).toBe(500);
      expect(out.status?.message).toContain("could not evaluate this request (RangeError: index corrupted)");
      expect(srv.logs.some((l) => l.msg === "admission decision failed")).toBe(true);
    } finally {
      await srv.close();
    }
  });
});

describe("directory health in readiness and metrics", () => {
  it("reports a degraded file directory (reload failed, last good state served) without going unready", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-dir-"));
    const file = join(dir, "cluster.yaml");
    copyFileSync("examples/cluster.yaml", file);
    const srv = await startTestServer({ directory: { source: `file:${file}`, watchFile: true } });
    try {
      expect((await srv.request("/metrics")).text).toContain("tenant_guard_directory_degraded 0");
      writeFileSync(file, "kind: Namespace\nmetadata: [not, a, map\n");
      const end = Date.now() + 5000;
      while (!srv.serving.directory.status().reason && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50));
      const ready = await srv.request("/readyz");
      expect(ready.status).toBe(200);
      expect(ready.json<{ warning?: string }>().warning).toBeTruthy();
      expect((await srv.request("/metrics")).text).toContain("tenant_guard_directory_degraded 1");
      // decisions continue from the last good state
      const out = (await srv.review("/validate", loadReview("pod-create"))).json<Out>().response;
      expect(out.uid).toBe(loadReview("pod-create").request.uid);
    } finally {
      await srv.close();
    }
  });
});
