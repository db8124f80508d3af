// A validator for the subset of OpenAPI v3 structural schemas our CRD uses, with the API server's
// semantics where they matter: int-or-string, additionalProperties maps, unknown fields rejected
// (as `kubectl apply`'s strict field validation does) except under metadata, which the API server
// validates itself.

export interface StructuralSchema {
  readonly type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly required?: readonly string[];
  readonly items?: StructuralSchema;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly anyOf?: readonly StructuralSchema[];
  readonly "x-kubernetes-int-or-string"?: boolean;
}

/** Keywords this validator understands; a schema using anything else is reported, not ignored. */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "format",
  "description",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "anyOf",
  "x-kubernetes-int-or-string",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every violation of `schema` by `value`, each prefixed with its field path. */
export function validate(value: unknown, schema: StructuralSchema, path = ""): string[] {
  const out: string[] = [];
  check(value, schema, path || "<root>", out, false);
  return out;
}

function checkType(value: unknown, schema: StructuralSchema, path: string, out: string[]): boolean {
  const actual = typeOf(value);
  if (schema["x-kubernetes-int-or-string"] === true) {
    if (actual !== "integer" && actual !== "string") {
      out.push(`${path}: must be an integer or a string, got ${actual}`);
      return false;
    }
    return true;
  }
  if (schema.type === undefined) return true;
  const ok = schema.type === "number" ? actual === "number" || actual === "integer" : actual === schema.type;
  if (!ok) out.push(`${path}: must be of type ${schema.type}, got ${actual}`);
  return ok;
}

function check(value: unknown, schema: StructuralSchema, path: string, out: string[], loose: boolean): void {
  for (const k of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(k)) out.push(`${path}: schema keyword ${JSON.stringify(k)} is not supported`);
  }
  if (!checkType(value, schema, path, out)) return;
  if (schema.anyOf !== undefined) {
    const branches = schema.anyOf.map((s) => validate(value, s, path));
    if (!branches.some((errs) => errs.length === 0)) out.push(`${path}: matches none of anyOf`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") checkString(value, schema, path, out);
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
    out.push(`${path}: must be >= ${schema.minimum}`);
  }
  if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) {
    out.push(`${path}: must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((v, i) => check(v, schema.items as StructuralSchema, `${path}[${i}]`, out, false));
  }
  if (isRecord(value)) checkObject(value, schema, path, out, loose);
}

function checkString(value: string, schema: StructuralSchema, path: string, out: string[]): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    out.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    out.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    out.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: StructuralSchema,
  path: string,
  out: string[],
  loose: boolean,
): void {
  for (const r of schema.required ?? []) {
    if (!Object.hasOwn(value, r)) out.push(`${path}.${r}: required`);
  }
  const ap = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const sub = `${path}.${k}`;
    const prop = schema.properties !== undefined && Object.hasOwn(schema.properties, k);
    if (prop)
      check(
        v,
        (schema.properties as Record<string, StructuralSchema>)[k]!,
        sub,
        out,
        isRootMetadata(path, k),
      );
    else if (typeof ap === "object") check(v, ap, sub, out, false);
    else if (ap !== true && !loose) out.push(`${sub}: unknown field`);
  }
}

/** Only the object's own metadata is checked by the API server rather than by the schema. */
function isRootMetadata(path: string, key: string): boolean {
  return key === "metadata" && path === "<root>";
}
