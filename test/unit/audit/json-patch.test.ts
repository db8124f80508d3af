// The audit applies /mutate's patch before validating; its small applier must agree with a full
// RFC 6902 implementation (fast-json-patch) on what the real mutators produce and on edge cases.
import jsonpatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import { validateReview } from "../../../src/admission/decode.ts";
import type { PatchOp } from "../../../src/admission/patch.ts";
import { applyPatch } from "../../../src/audit/json-patch.ts";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { mutatorRegistry, ruleRegistry } from "../../../src/policy/catalogue.ts";
import { decide } from "../../../src/policy/engine.ts";
import { loadDirectoryPath } from "../../../src/tenancy/file.ts";
import { loadReview } from "../../support/fixtures.ts";
import { EXAMPLES } from "./support/world.ts";

function reference(doc: JsonRecord, ops: readonly PatchOp[]): JsonRecord {
  return jsonpatch.applyPatch(structuredClone(doc), structuredClone(ops) as Operation[]).newDocument;
}

describe("applyPatch", () => {
  it("matches fast-json-patch on the real mutators' patches for the admission fixtures", async () => {
    const view = await loadDirectoryPath(EXAMPLES, "tenant-guard.dev/tenant");
    const engine = {
      rules: ruleRegistry(),
      mutators: mutatorRegistry(),
      settings: policySettings(buildConfig(undefined)),
    };
    let patched = 0;
    for (const name of ["pod-create", "deployment-create", "pod-update"]) {
      const req = validateReview(loadReview(name)).request;
      const d = decide("mutate", req, view, engine);
      const obj = req.object as JsonRecord;
      if (d.patch.length > 0) patched++;
      expect(applyPatch(obj, d.patch), name).toEqual(reference(obj, d.patch));
    }
    expect(patched).toBeGreaterThan(0); // the comparison saw real patches
  });

  it("handles escaped keys, array insert/append/replace/remove, and leaves the input alone", () => {
    const doc: JsonRecord = {
      metadata: { labels: { a: "1" } },
      spec: { tolerations: [{ key: "x" }, { key: "y" }] },
    };
    const ops: PatchOp[] = [
      { op: "add", path: "/metadata/labels/tenant-guard.dev~1tenant", value: "team-alpha" },
      { op: "add", path: "/metadata/labels/odd~0key", value: "v" },
      { op: "add", path: "/spec/tolerations/-", value: { key: "z" } },
      { op: "add", path: "/spec/tolerations/0", value: { key: "w" } },
      { op: "replace", path: "/spec/tolerations/1", value: { key: "X" } },
      { op: "remove", path: "/spec/tolerations/2" },
      { op: "add", path: "/metadata/annotations", value: { b: "2" } },
      { op: "replace", path: "/metadata/labels/a", value: "3" },
      { op: "remove", path: "/metadata/labels/a" },
    ];
    const before = structuredClone(doc);
    expect(applyPatch(doc, ops)).toEqual(reference(doc, ops));
    expect(doc).toEqual(before);
  });

  it("an op whose parent is missing is skipped, never a crash", () => {
    expect(applyPatch({ a: 1 }, [{ op: "add", path: "/no/such/parent", value: 1 }])).toEqual({ a: 1 });
  });

  it("never touches Object.prototype, whatever the path says", () => {
    const out = applyPatch({ metadata: {} }, [
      { op: "add", path: "/__proto__/polluted", value: "yes" },
      { op: "add", path: "/metadata/__proto__", value: { polluted: "yes" } },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(out.metadata as object, "__proto__")).toBe(true);
  });
});
