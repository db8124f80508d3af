// Loads real-shaped AdmissionReview fixtures and makes variants of them without mutating the file's copy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonRecord } from "../../src/k8s/access.ts";

const DIR = join(import.meta.dirname, "..", "fixtures", "admission");

export interface ReviewJson extends JsonRecord {
  apiVersion: string;
  kind: string;
  request: JsonRecord & {
    uid: string;
    namespace?: string;
    object?: JsonRecord | null;
    userInfo?: JsonRecord;
  };
}

/** A fresh deep copy of test/fixtures/admission/<name>.json. */
export function loadReview(name: string): ReviewJson {
  return JSON.parse(
    readFileSync(join(DIR, name.endsWith(".json") ? name : `${name}.json`), "utf8"),
  ) as ReviewJson;
}

/** Sets a value at a dotted path ("request.object.metadata.labels"), creating maps on the way. */
export function setPath(obj: JsonRecord, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: JsonRecord = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== "object" || next === null) cur[p] = {};
    cur = cur[p] as JsonRecord;
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** The decoded JSONPatch of a response, or [] when none. */
export function patchOf(response: { patch?: string }): { op: string; path: string; value?: unknown }[] {
  return response.patch === undefined
    ? []
    : JSON.parse(Buffer.from(response.patch, "base64").toString("utf8"));
}
