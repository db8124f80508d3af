// Every finding that protects another tenant names it (Finding.victim), so that tenant's mode is
// resolved too. Real-shaped reviews from the fixtures, decided in process against examples/cluster.yaml.
import { describe, expect, it } from "vitest";
import { decodeReview } from "../../../src/admission/decode.ts";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import { mutatorRegistry, ruleRegistry } from "../../../src/policy/catalogue.ts";
import { decide, type Engine } from "../../../src/policy/engine.ts";
import { loadDirectoryPath } from "../../../src/tenancy/file.ts";
import { loadReview } from "../../support/fixtures.ts";

const view = await loadDirectoryPath("examples/cluster.yaml", "tenant-guard.dev/tenant");
const engine: Engine = {
  rules: ruleRegistry(),
  mutators: mutatorRegistry(),
  settings: policySettings(buildConfig(undefined, {})),
};

function victims(fixture: string): string[] {
  const req = decodeReview(JSON.stringify(loadReview(fixture))).request;
  return decide("validate", req, view, engine).findings.map((f) => `${f.code}:${f.victim ?? "-"}`);
}

describe("victim", () => {
  it.each([
    ["pod/service-account-denied", ["TG-POD-SERVICE-ACCOUNT:team-beta"]],
    ["pod/reference-denied", "TG-POD-REFERENCE:team-beta"],
    ["workloads/inferenceservice-model-storage-denied", "TG-MODEL-STORAGE:team-beta"],
    ["isolation/secret-sa-token-cross-tenant", ["TG-SECRET-SA-TOKEN:team-beta"]],
    ["isolation/serviceaccount-pull-secret-cross-tenant", ["TG-SA-SECRET-REFERENCE:team-beta"]],
    ["isolation/serviceaccount-cloud-identity-cross-tenant", ["TG-SA-CLOUD-IDENTITY:team-beta"]],
    ["isolation/rolebinding-cross-tenant", "TG-RBAC-ROLEBINDING-SUBJECT:team-beta"],
    ["isolation/token-cross-tenant", ["TG-TOKEN-CROSS-TENANT:team-alpha"]],
    ["isolation/requester-exec-cross-tenant", ["TG-REQUESTER-CROSS-TENANT:team-alpha"]],
    ["ownership/serviceaccount-relabel-denied", ["TG-TENANT-LABEL-CHANGE:team-beta"]],
    ["ownership/podtemplate-claim-denied", ["TG-TENANT-LABEL:team-beta"]],
  ])("%s", (fixture, want) => {
    const got = victims(fixture);
    if (Array.isArray(want)) expect(got).toEqual(want);
    else expect(got).toContain(want);
  });

  it("a finding that concerns only its own tenant names none", () => {
    expect(victims("pod/registry-denied")).toEqual(["TG-POD-REGISTRY:-"]);
    expect(victims("isolation/serviceaccount-cloud-identity-unconfigured")).toEqual([
      "TG-SA-CLOUD-IDENTITY:-",
    ]);
  });
});
