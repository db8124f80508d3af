// The decoder's defences against hostile bodies (src/admission/decode.ts): nesting depth, parse
// errors that never quote the input, and metadata fields that name the object.
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, decodeReview } from "../../../src/admission/decode.ts";
import type { TenantGuardError } from "../../../src/errors.ts";
import { loadReview } from "../../support/fixtures.ts";

const withSpecValue = (raw: string): string =>
  JSON.stringify(loadReview("pod-create")).replace('"spec":{', `"spec":{"x":${raw},`);
const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);
function code(body: string): string | undefined {
  try {
    decodeReview(body);
    return undefined;
  } catch (e) {
    return (e as TenantGuardError).code;
  }
}

describe("decode hardening", () => {
  it("accepts nesting up to the limit and refuses one level more, in arrays or objects", () => {
    // the review itself nests 4 levels down to spec's contents (review, request, object, spec)
    expect(code(withSpecValue(nested(MAX_JSON_DEPTH - 4)))).toBeUndefined();
    expect(code(withSpecValue(nested(MAX_JSON_DEPTH - 3)))).toBe("TG_INVALID_JSON");
    const objects = '{"a":'.repeat(MAX_JSON_DEPTH) + "1" + "}".repeat(MAX_JSON_DEPTH);
    expect(code(withSpecValue(objects))).toBe("TG_INVALID_JSON");
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const s = JSON.stringify('\\"' + "[".repeat(2000));
    expect(code(withSpecValue(s))).toBeUndefined();
  });

  it("reports a syntax error by byte position only, never quoting the body", () => {
    const body = withSpecValue("SECRET-VALUE-123");
    try {
      decodeReview(body);
      expect.unreachable();
    } catch (e) {
      const err = e as TenantGuardError;
      expect(err.code).toBe("TG_INVALID_JSON");
      expect(err.message).toMatch(/^request body is not valid JSON: syntax error( at byte \d+)?$/);
      expect(err.message).not.toContain("SECRET");
    }
  });

  it("refuses a name, generateName or namespace that is not a string", () => {
    for (const field of ["name", "generateName", "namespace"]) {
      const r = loadReview("pod-create");
      (r.request.object!.metadata as Record<string, unknown>)[field] = { nested: true };
      expect(code(JSON.stringify(r)), field).toBe("TG_INVALID_REQUEST");
    }
  });
});
