// Defensive readers for objects we did not construct. Admission payloads are untrusted JSON: a
// field can have any type, and a key such as "constructor" must never resolve to a prototype member.

export type JsonRecord = Record<string, unknown>;

export function isRecord(x: unknown): x is JsonRecord {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function rec(x: unknown): JsonRecord | undefined {
  return isRecord(x) ? x : undefined;
}

export function str(x: unknown): string | undefined {
  return typeof x === "string" ? x : undefined;
}

export function arr(x: unknown): readonly unknown[] {
  return Array.isArray(x) ? x : EMPTY;
}
const EMPTY: readonly unknown[] = Object.freeze([]);

/**
 * Own property only: `own(obj, "constructor")` is undefined unless the JSON really had that key.
 * Every Object.prototype member but `__proto__` is a function and JSON holds no functions, so a
 * plain read can only have reached the prototype if it found a function or read `__proto__`:
 * only then is ownership checked. (Object.hasOwn on every read was 16% of validate's rule time.)
 */
export function own(obj: JsonRecord | undefined, key: string): unknown {
  if (obj === undefined) return undefined;
  const v = obj[key];
  if (v === undefined || (typeof v !== "function" && key !== "__proto__")) return v;
  return Object.hasOwn(obj, key) ? v : undefined;
}

/** The value of a string map entry, own properties only and strings only. */
export function mapGet(map: unknown, key: string): string | undefined {
  if (!isRecord(map) || !Object.hasOwn(map, key)) return undefined;
  const v = map[key];
  return typeof v === "string" ? v : undefined;
}

export function metadataOf(obj: unknown): JsonRecord | undefined {
  return rec(own(rec(obj), "metadata"));
}

export function labelOf(obj: unknown, key: string): string | undefined {
  return mapGet(own(metadataOf(obj), "labels"), key);
}

export function nameOf(obj: unknown): string | undefined {
  const md = metadataOf(obj);
  return str(own(md, "name")) ?? str(own(md, "generateName"));
}
