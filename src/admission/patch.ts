// A hand-built RFC 6902 JSONPatch: no diffing of whole objects, just the operations a mutation asks for.

export interface PatchOp {
  readonly op: "add" | "replace" | "remove";
  readonly path: string;
  readonly value?: unknown;
}

// The keys that need escaping are mostly the configured label, annotation and pool keys
// ("tenant-guard.dev/tenant"), the same on every patch: remembered, up to a bound.
const ESCAPED_MAX = 256;
const escaped = new Map<string, string>();

/** RFC 6901: "~" -> "~0" and "/" -> "~1", in that order. */
export function escapePointer(segment: string): string {
  if (segment.indexOf("~") === -1 && segment.indexOf("/") === -1) return segment;
  let e = escaped.get(segment);
  if (e === undefined) {
    e = segment.replaceAll("~", "~0").replaceAll("/", "~1");
    if (escaped.size < ESCAPED_MAX) escaped.set(segment, e);
  }
  return e;
}

export function pointer(...segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) out += "/" + (typeof s === "number" ? String(s) : escapePointer(s));
  return out;
}
