// The Tenant CRD and the zod schema the directory validates with must describe the same object:
// the same fields, types, enums and patterns. Otherwise the API server accepts a Tenant that
// tenant-guard then rejects (or the reverse), and the tenant silently gets the global defaults.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isQuantity } from "../../src/k8s/quantity.ts";
import { tenantSchema } from "../../src/tenancy/tenant-schema.ts";
import { DEPLOY, REPO, readYamlDocs } from "./support/kustomize.ts";
import { diffTrees, fromOpenApi, fromZod, type SchemaNode } from "./support/schema-tree.ts";
import { KNOWN_KEYWORDS, validate, type StructuralSchema } from "./support/structural-schema.ts";

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources?: { status?: object };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string }[];
  schema: { openAPIV3Schema: StructuralSchema };
}
interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: CrdVersion[];
  };
}

const [crd] = readYamlDocs(join(DEPLOY, "crd/tenants.tenant-guard.dev.yaml")) as Crd[];
const version = crd!.spec.versions[0]!;
const schema = version.schema.openAPIV3Schema;

/** A Tenant with every field of the Tenant spec (src/tenancy/tenant-schema.ts) set. */
const FULL_TENANT = {
  apiVersion: "tenant-guard.dev/v1alpha1",
  kind: "Tenant",
  metadata: { name: "team-alpha", labels: { env: "prod" } },
  spec: {
    owners: [
      { kind: "Group", name: "team-alpha-devs" },
      { kind: "User", name: "alice@example.com" },
      { kind: "ServiceAccount", name: "system:serviceaccount:alpha-ci:deployer" },
    ],
    enforcement: { mode: "Enforce", rules: { "TG-TENANT-LABEL": "Warn" } },
    podDefaults: {
      labels: { "cost-center": "ml-research" },
      annotations: { "example.com/team": "alpha" },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
      maxPerPod: { cpu: 16, memory: "128Gi", "nvidia.com/gpu": "2" },
      priorityClassName: "team-alpha",
      runtimeClassName: "nvidia",
    },
    nodePool: {
      nodeSelector: { "tenant-guard.dev/pool": "alpha-gpu" },
      tolerations: [
        { key: "tenant-guard.dev/pool", operator: "Equal", value: "alpha-gpu", effect: "NoSchedule" },
      ],
    },
    allowedRegistries: ["registry.example.com/alpha/", "ghcr.io/example-org/"],
    allowedPriorityClasses: ["team-alpha-batch", "inference.high"],
    allowedRuntimeClasses: ["nvidia", "gvisor"],
    storage: { allowedClasses: ["standard", "fast-ssd"], defaultClass: "standard" },
    allowedDeviceClasses: ["gpu.nvidia.com"],
    cloudIdentities: ["arn:aws:iam::123456789012:role/alpha-*"],
    ingress: {
      allowedClasses: ["nginx-internal"],
      defaultClass: "nginx-internal",
      allowedHostnames: ["*.alpha.example.com", "alpha.example.com"],
    },
    services: { allowedTypes: ["ClusterIP", "LoadBalancer"], allowedExternalIPs: ["203.0.113.0/28"] },
    modelStorage: ["s3://models/team-alpha/", "pvc://alpha-models"],
    sharedWith: ["team-beta"],
    namespaces: { max: 10, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    cordoned: false,
    quota: { hard: { "requests.nvidia.com/gpu": "16", "limits.memory": "2Ti", pods: 500 }, warnAt: 90 },
    queue: "team-alpha",
  },
  status: { namespaces: ["team-alpha", "alpha-train"], namespaceCount: 2 },
};

function walkSchema(s: StructuralSchema, path: string, out: string[]): void {
  for (const k of Object.keys(s)) if (!KNOWN_KEYWORDS.has(k)) out.push(`${path}: unknown keyword ${k}`);
  const intOrString = s["x-kubernetes-int-or-string"] === true;
  if (s.type === undefined && !intOrString) out.push(`${path}: no type (not structural)`);
  if (s.type === "array" && s.items === undefined) out.push(`${path}: array without items`);
  if (s.type === "object" && s.properties === undefined && typeof s.additionalProperties !== "object") {
    out.push(`${path}: object without properties or additionalProperties`);
  }
  if (s.pattern !== undefined) new RegExp(s.pattern); // throws on an invalid pattern
  for (const [k, v] of Object.entries(s.properties ?? {})) walkSchema(v, `${path}.${k}`, out);
  if (s.items) walkSchema(s.items, `${path}[]`, out);
  if (typeof s.additionalProperties === "object") walkSchema(s.additionalProperties, `${path}.*`, out);
}

describe("deploy/crd: the tenants.tenant-guard.dev CRD", () => {
  it("is v1alpha1, cluster-scoped, served and stored, with a status subresource and printer columns", () => {
    expect(crd!.metadata.name).toBe("tenants.tenant-guard.dev");
    expect(crd!.spec.group).toBe("tenant-guard.dev");
    expect(crd!.spec.scope).toBe("Cluster");
    expect(crd!.spec.names).toMatchObject({ kind: "Tenant", plural: "tenants" });
    expect(crd!.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: "v1alpha1", served: true, storage: true });
    expect(version.subresources?.status).toEqual({});
    const cols = Object.fromEntries((version.additionalPrinterColumns ?? []).map((c) => [c.name, c]));
    expect(cols.Mode).toMatchObject({ type: "string", jsonPath: ".spec.enforcement.mode" });
    expect(cols.Namespaces).toMatchObject({ type: "integer", jsonPath: ".status.namespaceCount" });
    expect(schema.properties?.status?.properties?.namespaces).toEqual({
      type: "array",
      items: { type: "string" },
    });
  });

  it("is structural: every node typed, arrays with items, objects with properties, valid patterns", () => {
    const problems: string[] = [];
    walkSchema(schema, "<root>", problems);
    expect(problems).toEqual([]);
  });

  it("has exactly the fields, types, enums and patterns of the zod Tenant schema", () => {
    expect(diffTrees(fromZod(tenantSchema), fromOpenApi(schema))).toEqual([]);
  });

  it("the comparison notices a field missing on either side, a wrong type and a changed enum", () => {
    const zodTree = fromZod(tenantSchema);
    const spec = structuredClone(schema.properties!.spec!) as {
      properties: Record<string, StructuralSchema>;
    };
    delete spec.properties.sharedWith;
    spec.properties.extra = { type: "string" };
    spec.properties.allowedRegistries = { type: "string" };
    spec.properties.enforcement = {
      type: "object",
      properties: { mode: { type: "string", enum: ["Enforce"] }, rules: { type: "object" } },
    };
    const broken = { ...schema, properties: { ...schema.properties, spec } } as StructuralSchema;
    const diff = diffTrees(zodTree, fromOpenApi(broken)).join("\n");
    expect(diff).toContain(".spec.sharedWith: in the zod schema, missing from the CRD");
    expect(diff).toContain(".spec.extra: in the CRD, missing from the zod schema");
    expect(diff).toContain(".spec.allowedRegistries: zod says array, CRD says string");
    expect(diff).toContain(".spec.enforcement.mode: enum");
    expect(diff).toContain(".spec.enforcement.rules: zod says map, CRD says object");
  });

  it("accepts a Tenant with every field, as does the zod schema", () => {
    expect(validate(FULL_TENANT, schema)).toEqual([]);
    expect(tenantSchema.safeParse(FULL_TENANT).success).toBe(true);
  });

  it("accepts every Tenant in examples/cluster.yaml", () => {
    const tenants = readYamlDocs(join(REPO, "examples/cluster.yaml")).filter(
      (d) => (d as { kind?: string }).kind === "Tenant",
    );
    expect(tenants.length).toBeGreaterThanOrEqual(3);
    for (const t of tenants) expect(validate(t, schema)).toEqual([]);
  });

  it("rejects what the API server would reject, naming the field", () => {
    const bad = structuredClone(FULL_TENANT) as Record<string, unknown> & typeof FULL_TENANT;
    const spec = bad.spec as Record<string, unknown> & typeof FULL_TENANT.spec;
    spec.enforcement.mode = "Block";
    spec.owners.push({ kind: "Robot", name: "" });
    (spec.podDefaults as Record<string, unknown>).maxPerPod = {
      cpu: "lots",
      memory: -1,
      "nvidia.com/gpu": 1.5,
    };
    spec.nodePool.tolerations[0]!.operator = "In";
    spec.sharedWith = ["Team_Beta"];
    spec.allowedRegistries = "ghcr.io/" as unknown as string[];
    spec.typo = true;
    spec.quota.warnAt = 150;
    const errors = validate(bad, schema).join("\n");
    for (const expected of [
      '<root>.spec.enforcement.mode: "Block" is not one of',
      '<root>.spec.owners[3].kind: "Robot" is not one of',
      "<root>.spec.owners[3].name: shorter than 1",
      '<root>.spec.podDefaults.maxPerPod.cpu: "lots" does not match',
      "<root>.spec.podDefaults.maxPerPod.memory: must be >= 0",
      "<root>.spec.podDefaults.maxPerPod.nvidia.com/gpu: must be an integer or a string, got number",
      '<root>.spec.nodePool.tolerations[0].operator: "In" is not one of',
      '<root>.spec.sharedWith[0]: "Team_Beta" does not match',
      "<root>.spec.allowedRegistries: must be of type array, got string",
      "<root>.spec.typo: unknown field",
      "<root>.spec.quota.warnAt: must be <= 100",
    ]) {
      expect(errors).toContain(expected);
    }
  });

  it("its quantity pattern agrees with the directory's quantity parser", () => {
    const quantity = schema.properties!.spec!.properties!.podDefaults!.properties!.maxPerPod!
      .additionalProperties as StructuralSchema;
    const pattern = new RegExp(quantity.pattern!);
    const samples = ["0", "1", "100m", "2.5", ".5", "4Gi", "128Mi", "1e3", "1E-3", "5k", "1Ki", "+3"];
    const wrong = ["", "lots", "1.2.3", "Gi", "1 Gi", "1gi", "1e", "1Kib", "0x10", "1e1.5"];
    for (const s of samples) expect([s, pattern.test(s)]).toEqual([s, isQuantity(s)]);
    for (const s of wrong) expect([s, pattern.test(s), isQuantity(s)]).toEqual([s, false, false]);
    expect(pattern.test("-1")).toBe(false); // negative quantities: the zod schema refuses them too
  });

  it("the zod tree covers every section 6 field (guards the walker itself)", () => {
    const spec = (fromZod(tenantSchema) as Extract<SchemaNode, { kind: "object" }>).fields.spec;
    expect(Object.keys((spec as Extract<SchemaNode, { kind: "object" }>).fields).sort()).toEqual(
      Object.keys(FULL_TENANT.spec).sort(),
    );
  });
});
