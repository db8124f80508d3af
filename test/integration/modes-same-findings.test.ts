// The issue's "done when": the same object gives the same findings at admission (Audit mode), in
// the offline CLI and in a cluster scan. Here: the fixture pod debug-shell (alpha-train, labelled
// for team-gamma) sent to the real server as the API server would send it, and audited offline.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { json } from "../unit/audit/support/run-audit.ts";
import { MANIFESTS, type ReviewOut } from "../unit/audit/support/world.ts";

const POD_FILE = join(MANIFESTS, "pod.yaml");
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ enforcement: { mode: "Audit" } });
});
afterAll(async () => {
  await srv.close();
});

function reviewOf(pod: JsonRecord): JsonRecord {
  const r = loadReview("pod-create");
  const md = pod.metadata as JsonRecord;
  Object.assign(r.request, { name: md.name, namespace: md.namespace, object: pod });
  return r;
}

describe("one object, the same findings everywhere", () => {
  it("admission's audit annotations carry exactly the offline audit's findings", async () => {
    const pod = parse(readFileSync(POD_FILE, "utf8")) as JsonRecord;
    const res = await srv.review("/validate", reviewOf(pod));
    const annotations = res.json<ReviewOut>().response.auditAnnotations ?? {};
    const { report } = await json(["--enforcement", "Audit", POD_FILE]);
    const offline = report.results[0]!.findings as unknown as {
      code: string;
      mode: string;
      message: string;
      path?: string;
    }[];
    expect(offline.length).toBeGreaterThan(0);
    // Annotation keys are lower-cased codes; values "Mode: [CODE] message (path)".
    const fromAdmission = Object.entries(annotations)
      .map(([k, v]) => `${k} ${v}`)
      .sort();
    const fromAudit = offline
      .map(
        (f) => `${f.code.toLowerCase()} ${f.mode}: [${f.code}] ${f.message}${f.path ? ` (${f.path})` : ""}`,
      )
      .sort();
    expect(fromAdmission).toEqual(fromAudit);
  });
});
