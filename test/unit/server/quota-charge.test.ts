// Which allowed requests the ledger charges: budgeted pod creates in Enforce only. Dry runs, other
// kinds and subresources, tenants without a budget or with the quota rule in Audit, and exempt
// namespaces charge nothing (no API call on their path).
import { describe, expect, it } from "vitest";
import type { AdmissionRequest } from "../../../src/admission/types.ts";
import { chargeJob } from "../../../src/server/quota-charge.ts";
import { buildIndexFromObjects } from "../../../src/tenancy/build.ts";
import { loadReview } from "../../support/fixtures.ts";
import { settings } from "../policy/rules/world.ts";

const LABEL = "tenant-guard.dev/tenant";
const view = buildIndexFromObjects(
  [
    {
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-ml" },
      spec: { quota: { hard: { "requests.nvidia.com/gpu": "8" } } },
    },
    {
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-audit" },
      spec: { quota: { hard: { pods: "1" } }, enforcement: { rules: { "TG-QUOTA-EXCEEDED": "Audit" } } },
    },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-train", labels: { [LABEL]: "team-ml" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "aud", labels: { [LABEL]: "team-audit" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "free", labels: { [LABEL]: "team-free" } } },
  ],
  LABEL,
);

function req(patch: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { ...(loadReview("quota/gpu-within-allowed").request as unknown as AdmissionRequest), ...patch };
}

describe("chargeJob", () => {
  it("charges a budgeted pod create, keyed by namespace/name", () => {
    const job = chargeJob(req(), view, settings());
    expect(job).toMatchObject({ tenant: "team-ml", pod: "ml-train/sft-run-worker-1" });
  });

  it.each([
    ["a dry run", req({ dryRun: true })],
    ["an UPDATE", req({ operation: "UPDATE" })],
    ["a subresource", req({ subResource: "ephemeralcontainers" })],
    ["a tenant without a budget", req({ namespace: "free" })],
    ["a tenant whose quota rule is in Audit", req({ namespace: "aud" })],
  ])("charges nothing for %s", (_what, r) => {
    expect(chargeJob(r, view, settings())).toBeUndefined();
  });

  it("charges nothing in an exempt namespace", () => {
    expect(chargeJob(req(), view, settings({ tenancy: { exemptNamespaces: ["ml-train"] } }))).toBeUndefined();
  });
});
