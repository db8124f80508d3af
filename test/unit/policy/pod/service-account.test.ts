import { describe, expect, it } from "vitest";
import { checkServiceAccount } from "../../../../src/policy/pod/service-account.ts";
import { messages, run } from "./world.ts";

const SA = "TG-POD-SERVICE-ACCOUNT";

describe("checkServiceAccount", () => {
  it.each([
    ["own service account", "alpha-ns", { serviceAccountName: "trainer" }, []],
    ["no service account (default)", "alpha-ns", {}, []],
    [
      "service account not in the directory counts for the namespace",
      "alpha-ns",
      { serviceAccountName: "new" },
      [],
    ],
    [
      "one labelled for another tenant",
      "alpha-ns",
      { serviceAccountName: "beta-sa" },
      [`${SA}@spec.serviceAccountName`],
    ],
    [
      "deprecated serviceAccount alone",
      "alpha-ns",
      { serviceAccount: "beta-sa" },
      [`${SA}@spec.serviceAccount`],
    ],
    [
      "serviceAccount differing from serviceAccountName is checked too",
      "alpha-ns",
      { serviceAccountName: "trainer", serviceAccount: "beta-sa" },
      [`${SA}@spec.serviceAccount`],
    ],
    ["shared by its owner (beta shares with gamma)", "gamma-ns", { serviceAccountName: "beta-shared" }, []],
    [
      "not shared (alpha does not share with gamma)",
      "gamma-ns",
      { serviceAccountName: "alpha-sa" },
      [`${SA}@spec.serviceAccountName`],
    ],
    ["wrong type is ignored, not thrown", "alpha-ns", { serviceAccountName: 42 }, []],
  ])("%s", (_name, ns, spec, want) => {
    expect(run(checkServiceAccount, ns, spec)).toEqual(want);
  });

  it("names both tenants and the service account", () => {
    const [m] = messages(checkServiceAccount, "alpha-ns", { serviceAccountName: "beta-sa" });
    expect(m).toContain('"beta-sa"');
    expect(m).toContain('tenant "beta"');
    expect(m).toContain('tenant "alpha"');
  });
});
