// Both descriptions of a Tenant — the zod schema the directory validates with and the CRD's OpenAPI
// schema the API server validates with — reduced to one small tree shape, so they can be compared
// field by field. An unknown zod construct throws: the comparison must never silently skip a field.
import type { z } from "zod";
import type { StructuralSchema } from "./structural-schema.ts";

export type SchemaNode =
  | { readonly kind: "object"; readonly fields: Record<string, SchemaNode>; readonly required: string[] }
  | { readonly kind: "map"; readonly values: SchemaNode }
  | { readonly kind: "array"; readonly items: SchemaNode }
  | {
      readonly kind: "string";
      readonly enum?: readonly string[];
      readonly pattern?: string;
      readonly minLength?: number;
      readonly maxLength?: number;
    }
  | { readonly kind: "integer" | "number" | "boolean" | "quantity" | "any" };

interface ZodDefLike {
  readonly type: string;
  readonly [k: string]: unknown;
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly maximum?: number;
  readonly minimum?: number;
}

function def(s: z.ZodType): ZodDefLike {
  return s.def as unknown as ZodDefLike;
}

function checks(d: ZodDefLike): CheckDef[] {
  const list = (d.checks ?? []) as { _zod: { def: CheckDef } }[];
  return list.map((c) => c._zod.def);
}

function stringNode(d: ZodDefLike): SchemaNode {
  const node: { pattern?: string; minLength?: number; maxLength?: number } = {};
  for (const c of checks(d)) {
    if (c.check === "string_format" && c.format === "regex" && c.pattern) node.pattern = c.pattern.source;
    if (c.check === "max_length") node.maxLength = c.maximum;
    if (c.check === "min_length") node.minLength = c.minimum;
  }
  return { kind: "string", ...node };
}

export function fromZod(schema: z.ZodType): SchemaNode {
  const d = def(schema);
  switch (d.type) {
    case "optional":
      return fromZod(d.innerType as z.ZodType);
    case "object": {
      const shape = d.shape as Record<string, z.ZodType>;
      const fields: Record<string, SchemaNode> = {};
      const required: string[] = [];
      for (const [k, v] of Object.entries(shape)) {
        fields[k] = fromZod(v);
        if (def(v).type !== "optional") required.push(k);
      }
      return { kind: "object", fields, required: required.sort() };
    }
    case "record":
      return { kind: "map", values: fromZod(d.valueType as z.ZodType) };
    case "array":
      return { kind: "array", items: fromZod(d.element as z.ZodType) };
    case "string":
      return stringNode(d);
    case "literal":
      return { kind: "string" };
    case "enum":
      return { kind: "string", enum: Object.values(d.entries as Record<string, string>).sort() };
    case "number": {
      const int = checks(d).some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
      return { kind: int ? "integer" : "number" };
    }
    case "union": {
      const kinds = (d.options as z.ZodType[]).map((o) => def(o).type).sort();
      if (kinds.join() === "number,string") return { kind: "quantity" };
      throw new Error(`unsupported zod union of ${kinds.join(", ")}`);
    }
    case "unknown":
      return { kind: "any" };
    case "boolean":
      return { kind: "boolean" };
    default:
      throw new Error(`unsupported zod type ${d.type}`);
  }
}

export function fromOpenApi(s: StructuralSchema): SchemaNode {
  if (s["x-kubernetes-int-or-string"] === true) return { kind: "quantity" };
  switch (s.type) {
    case "object": {
      if (typeof s.additionalProperties === "object") {
        return { kind: "map", values: fromOpenApi(s.additionalProperties) };
      }
      const fields: Record<string, SchemaNode> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) fields[k] = fromOpenApi(v);
      return { kind: "object", fields, required: [...(s.required ?? [])].sort() };
    }
    case "array":
      if (s.items === undefined) throw new Error("array without items is not structural");
      return { kind: "array", items: fromOpenApi(s.items) };
    case "string": {
      const node: { enum?: string[]; pattern?: string; minLength?: number; maxLength?: number } = {};
      if (s.enum !== undefined) node.enum = (s.enum as string[]).slice().sort();
      if (s.pattern !== undefined) node.pattern = s.pattern;
      if (s.minLength !== undefined) node.minLength = s.minLength;
      if (s.maxLength !== undefined) node.maxLength = s.maxLength;
      return { kind: "string", ...node };
    }
    case "integer":
    case "number":
    case "boolean":
      return { kind: s.type };
    default:
      throw new Error(`schema without a supported type: ${JSON.stringify(s).slice(0, 120)}`);
  }
}

/** Where the API server checks fields itself, "required" in the two schemas legitimately differs. */
const REQUIRED_CHECKED_BY_APISERVER = new Set(["", ".metadata"]);

/** Every difference between the zod tree and the CRD tree, as "path: what". Empty = same shape. */
export function diffTrees(zod: SchemaNode, crd: SchemaNode, path = ""): string[] {
  const at = path || "<root>";
  if (zod.kind === "any") return []; // zod accepts anything there (status); the CRD may be precise
  if (zod.kind !== crd.kind) return [`${at}: zod says ${zod.kind}, CRD says ${crd.kind}`];
  const out: string[] = [];
  if (zod.kind === "object" && crd.kind === "object") {
    for (const k of Object.keys(zod.fields)) {
      if (!(k in crd.fields)) out.push(`${path}.${k}: in the zod schema, missing from the CRD`);
    }
    for (const k of Object.keys(crd.fields)) {
      if (!(k in zod.fields)) out.push(`${path}.${k}: in the CRD, missing from the zod schema`);
      else out.push(...diffTrees(zod.fields[k]!, crd.fields[k]!, `${path}.${k}`));
    }
    if (!REQUIRED_CHECKED_BY_APISERVER.has(path) && zod.required.join() !== crd.required.join()) {
      out.push(`${at}: required zod [${zod.required.join()}] vs CRD [${crd.required.join()}]`);
    }
  } else if (zod.kind === "map" && crd.kind === "map") {
    out.push(...diffTrees(zod.values, crd.values, `${path}.*`));
  } else if (zod.kind === "array" && crd.kind === "array") {
    out.push(...diffTrees(zod.items, crd.items, `${path}[]`));
  } else if (zod.kind === "string" && crd.kind === "string") {
    for (const key of ["enum", "pattern", "minLength", "maxLength"] as const) {
      const a = JSON.stringify(zod[key]);
      const b = JSON.stringify(crd[key]);
      if (a !== b) out.push(`${at}: ${key} zod ${a ?? "none"} vs CRD ${b ?? "none"}`);
    }
  }
  return out;
}
