// TG-PVC-DATA-SOURCE and TG-PVC-VOLUME through the real HTTPS server (port 0, examples/cluster.yaml)
// with real-shaped AdmissionReviews from test/fixtures/admission/volumes/: every crossing is denied
// with its code, the path of the field and the other tenant named, and its legitimate twin (own
// source or volume, or one a sharing tenant offers) is allowed without a finding of these rules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const MINE = ["TG-PVC-DATA-SOURCE", "TG-PVC-VOLUME"];

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(srv, `volumes/${fixture}`);

/** The findings of the two volume rules: a denial lists them in its message, an allowed answer
 * would carry them (downgraded) in its audit annotations. */
function mine(r: ReviewResponse): string[] {
  const text = r.allowed ? Object.values(r.auditAnnotations ?? {}).join("\n") : (r.status?.message ?? "");
  return codesIn(text).filter((c) => MINE.includes(c));
}

describe("denied: a claim that copies or binds another tenant's data", () => {
  it.each([
    [
      "pvc-clone-labelled-denied",
      "TG-PVC-DATA-SOURCE",
      "spec.dataSourceRef.name",
      /"beta-scratch" in namespace "team-alpha"/,
    ],
    [
      "pvc-datasourceref-namespace-denied",
      "TG-PVC-DATA-SOURCE",
      "spec.dataSourceRef.namespace",
      /"beta-models" in namespace "team-beta"/,
    ],
    [
      "pvc-snapshot-denied",
      "TG-PVC-DATA-SOURCE",
      "spec.dataSourceRef.namespace",
      /volume snapshot "beta-models-nightly"/,
    ],
    [
      "pod-ephemeral-clone-denied",
      "TG-PVC-DATA-SOURCE",
      "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.dataSourceRef.name",
      /pod "eval-on-beta-scratch".*"beta-scratch"/,
    ],
    [
      "statefulset-claim-template-clone-denied",
      "TG-PVC-DATA-SOURCE",
      "spec.volumeClaimTemplates[1].spec.dataSourceRef.namespace",
      /statefulset "vector-db".*"beta-index-nightly"/,
    ],
    [
      "pvc-volume-name-denied",
      "TG-PVC-VOLUME",
      "spec.volumeName",
      /bound to claim "team-beta\/beta-datasets"/,
    ],
    ["pvc-selector-denied", "TG-PVC-VOLUME", "spec.selector", /matches persistent volume "beta-archive-pv"/],
    [
      "pvc-bind-update-denied",
      "TG-PVC-VOLUME",
      "spec.volumeName",
      /"beta-archive-pv", which is labelled for tenant "team-beta"/,
    ],
  ])("%s", async (fixture, code, path, detail) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(mine(r)).toEqual([code]);
    const message = r.status?.message ?? "";
    expect(message).toContain(`(${path})`);
    expect(message).toMatch(detail);
    expect(message).toMatch(/tenant "team-beta".*tenant "team-alpha"/);
  });
});

describe("allowed twins", () => {
  it.each([
    "pvc-clone-own-allowed",
    "pvc-datasourceref-own-namespace-allowed",
    "pvc-datasourceref-shared-allowed",
    "pvc-snapshot-allowed",
    "pod-ephemeral-clone-allowed",
    "statefulset-claim-template-clone-allowed",
    "pvc-volume-name-allowed",
    "pvc-volume-name-shared-allowed",
    "pvc-selector-allowed",
    "pvc-bind-update-allowed",
  ])("%s", async (fixture) => {
    const r = await validate(fixture);
    expect(mine(r)).toEqual([]);
    expect(r.allowed, r.status?.message).toBe(true);
  });
});
