// `kubectl get tenants` shows a team budget's used/hard: printer columns read status.quota, which
// the quota reconciliation writes (src/quota/status.ts). A column whose JSONPath names a field the
// status schema lacks shows nothing forever, silently; a status the schema rejects is never stored.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quotaStatus } from "../../src/quota/status.ts";
import { parseQuantity } from "../../src/k8s/quantity.ts";
import { DEPLOY, build, type K8sObject } from "./support/kustomize.ts";
import { validate, type StructuralSchema } from "./support/structural-schema.ts";

interface Column {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
}
interface CrdVersion {
  additionalPrinterColumns?: Column[];
  schema: { openAPIV3Schema: StructuralSchema };
}

// Rendered the way it is installed: the kustomize build of deploy/crd.
const crd = build(join(DEPLOY, "crd")).find(
  (o: K8sObject) => o.kind === "CustomResourceDefinition" && o.metadata?.name === "tenants.tenant-guard.dev",
) as unknown as { spec: { versions: CrdVersion[] } } | undefined;
const version = crd?.spec.versions[0];
const schema = version?.schema.openAPIV3Schema as StructuralSchema;
const columns = version?.additionalPrinterColumns ?? [];

/** The schema node a simple JSONPath (.a.b.c) reaches, or undefined. */
function nodeAt(path: string): StructuralSchema | undefined {
  let node: StructuralSchema | undefined = schema;
  for (const seg of path.replace(/^\./, "").split(".")) node = node?.properties?.[seg];
  return node;
}

const TYPE: Record<string, string> = {
  string: "string",
  boolean: "boolean",
  integer: "integer",
  date: "string",
};

const amount = (raw: string) => ({ raw, value: parseQuantity(raw)! });

describe("the Tenant CRD's budget columns", () => {
  it("has GPUs, CPU, Memory, Pods and Over-Budget columns read from status.quota", () => {
    expect(crd).toBeDefined();
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.GPUs).toMatchObject({ type: "string", jsonPath: ".status.quota.display.gpus" });
    expect(byName.CPU).toMatchObject({ type: "string", jsonPath: ".status.quota.display.cpu" });
    expect(byName.Memory).toMatchObject({ type: "string", jsonPath: ".status.quota.display.memory" });
    expect(byName.Pods).toMatchObject({ type: "string", jsonPath: ".status.quota.display.pods" });
    expect(byName["Over-Budget"]).toMatchObject({ type: "boolean", jsonPath: ".status.quota.overBudget" });
  });

  it("every column's JSONPath exists in the schema with the column's type", () => {
    expect(columns.length).toBeGreaterThanOrEqual(8);
    for (const c of columns) {
      if (c.jsonPath.startsWith(".metadata.")) continue; // ObjectMeta: the API server's, not in our schema
      const node = nodeAt(c.jsonPath);
      expect(node, `${c.name}: ${c.jsonPath}`).toBeDefined();
      // A string column may show a list (Namespace-List): the API server prints it joined.
      const ok = node?.type === TYPE[c.type] || (c.type === "string" && node?.type === "array");
      expect(ok, `${c.name}: ${c.jsonPath} is ${node?.type}, column ${c.type}`).toBe(true);
    }
  });

  it("the check notices a path the schema lacks", () => {
    expect(nodeAt(".status.quota.display.gpu")).toBeUndefined();
    expect(nodeAt(".status.quota.used.requests")).toBeUndefined();
  });

  it("the status the reconciliation writes is valid against the status schema and fills the columns", () => {
    const hard = new Map([
      ["requests.nvidia.com/gpu", amount("16")],
      ["requests.cpu", amount("256")],
      ["limits.memory", amount("2Ti")],
      ["pods", amount("500")],
    ]);
    const used = new Map([
      ["requests.nvidia.com/gpu", 18],
      ["requests.cpu", 20.5],
      ["limits.memory", 160 * 2 ** 30],
      ["pods", 3],
    ]);
    const s = quotaStatus(hard, used);
    const status = { namespaces: ["ml-train"], namespaceCount: 1, quota: { pending: [], ...s } };
    expect(validate(status, schema.properties!.status!, "status")).toEqual([]);
    expect(s.display).toEqual({ gpus: "18/16", cpu: "20.5/256", memory: "160Gi/2Ti", pods: "3/500" });
    expect(s.overBudget).toBe(true);
    expect(s.summary).toBe(
      "over budget: limits.memory 160Gi/2Ti, pods 3/500, requests.cpu 20.5/256, requests.nvidia.com/gpu 18/16 (over)",
    );
    expect(s.used).toEqual({
      "limits.memory": "160Gi",
      pods: "3",
      "requests.cpu": "20.5",
      "requests.nvidia.com/gpu": "18",
    });
  });

  it("columns of keys not budgeted stay empty; nothing used shows 0", () => {
    const s = quotaStatus(new Map([["requests.amd.com/gpu", amount("8")]]), new Map());
    expect(s.display).toEqual({ gpus: "0/8" });
    expect(s.overBudget).toBe(false);
    expect(s.summary).toBe("requests.amd.com/gpu 0/8");
  });
});
