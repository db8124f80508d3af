// Puts the objects of a Kubernetes YAML file (multi-document, List too) into the fake API server,
// skipping kinds it does not serve, so a test can serve examples/cluster.yaml as a live cluster.
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { isRecord, type JsonRecord } from "../../../src/k8s/access.ts";
import { BY_KIND } from "./resources.ts";
import type { FakeStore } from "./store.ts";

export function objectsOfYaml(text: string): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (const doc of parseAllDocuments(text)) {
    const v: unknown = doc.toJS();
    if (!isRecord(v)) continue;
    if (Array.isArray(v.items) && typeof v.kind === "string" && v.kind.endsWith("List")) {
      for (const item of v.items) if (isRecord(item)) out.push(item);
    } else out.push(v);
  }
  return out;
}

export async function loadYamlFile(store: FakeStore, path: string): Promise<number> {
  let n = 0;
  for (const obj of objectsOfYaml(await readFile(path, "utf8"))) {
    if (typeof obj.kind !== "string" || !BY_KIND.has(obj.kind)) continue;
    store.apply(obj);
    n++;
  }
  return n;
}
