import { describe, expect, it } from "vitest";
import {
  boundAuditAnnotations,
  boundWarnings,
  isQualifiedName,
  WARNINGS_TOTAL_MAX_CHARS,
  WARNING_MAX_CHARS,
} from "../../../src/admission/limits.ts";
import { escapePointer, pointer } from "../../../src/admission/patch.ts";

describe("warnings", () => {
  it("strips control characters", () => {
    expect(boundWarnings(["a\nb\u0007c\u009bd"])).toEqual(["a b c d"]);
  });

  it("truncates each warning and keeps the total within budget", () => {
    const many = Array.from({ length: 40 }, (_, i) => `warning ${i} `.padEnd(500, "x"));
    const out = boundWarnings(many);
    for (const w of out) expect(w.length).toBeLessThanOrEqual(WARNING_MAX_CHARS);
    expect(out.join("").length).toBeLessThanOrEqual(WARNINGS_TOTAL_MAX_CHARS);
    expect(out.at(-1)).toMatch(/more warning\(s\) omitted/);
    expect(out.length).toBeLessThan(40);
  });
});

describe("auditAnnotations", () => {
  it("uses legal qualified names without a prefix", () => {
    const out = boundAuditAnnotations([
      ["TG-TENANT-LABEL", "Enforce: one"],
      ["weird/Key with spaces!", "two"],
      ["TG-TENANT-LABEL", "Warn: again"],
    ]);
    for (const k of Object.keys(out)) {
      expect(isQualifiedName(k)).toBe(true);
      expect(k).not.toContain("/");
    }
    expect(out["tg-tenant-label"]).toBe("Enforce: one; Warn: again");
  });
});

describe("JSON pointer escaping", () => {
  it.each([
    ["plain", "plain"],
    ["tenant-guard.dev/tenant", "tenant-guard.dev~1tenant"],
    ["a~b", "a~0b"],
    ["~/", "~0~1"],
  ])("%s -> %s", (raw, escaped) => {
    expect(escapePointer(raw)).toBe(escaped);
  });

  it("stays right for the same key asked again and for more distinct keys than it remembers", () => {
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 600; i++) expect(escapePointer(`k${i}/a~b`)).toBe(`k${i}~1a~0b`);
  });

  it("builds paths from segments", () => {
    expect(pointer("metadata", "labels", "example.com/x~y")).toBe("/metadata/labels/example.com~1x~0y");
    expect(pointer("spec", "containers", 0, "resources")).toBe("/spec/containers/0/resources");
  });
});
