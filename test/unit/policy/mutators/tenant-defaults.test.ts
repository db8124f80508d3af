// Tenant values that mutation copies into pods are checked when the directory loads the Tenant: a
// broken one is a load error naming file:line and the field, never a half-applied Tenant.
import { describe, expect, it } from "vitest";
import { buildIndex } from "../../../../src/tenancy/build.ts";
import { parseYamlObjects } from "../../../../src/tenancy/yaml-objects.ts";

function load(spec: string): () => unknown {
  const yaml = `apiVersion: tenant-guard.dev/v1alpha1\nkind: Tenant\nmetadata:\n  name: ml\nspec:\n${spec}`;
  return () => buildIndex(parseYamlObjects(yaml, "tenants.yaml"), "tenant-guard.dev/tenant");
}

const broken: [string, string, RegExp][] = [
  [
    "default request above the default limit",
    "  podDefaults:\n    resources:\n      requests: {cpu: '4'}\n      limits: {cpu: '2'}\n",
    /tenants\.yaml:8: .*resources\.requests\.cpu: the default cpu request "4" is above the default limit "2"/,
  ],
  [
    "default limit above maxPerPod",
    "  podDefaults:\n    resources:\n      limits:\n        memory: 64Gi\n    maxPerPod: {memory: 32Gi}\n",
    /tenants\.yaml:9: .*resources\.limits\.memory: default memory "64Gi" is above maxPerPod memory "32Gi"/,
  ],
  [
    "GPU request and limit that differ",
    "  podDefaults:\n    resources:\n      requests: {nvidia.com/gpu: 1}\n      limits: {nvidia.com/gpu: 2}\n",
    /tenants\.yaml:8: .*nvidia\.com\/gpu cannot be overcommitted/,
  ],
  [
    "fractional GPU",
    "  podDefaults:\n    resources:\n      limits: {nvidia.com/gpu: 500m}\n",
    /tenants\.yaml:8: .*must be an integer/,
  ],
  [
    "unknown unprefixed resource name",
    "  podDefaults:\n    maxPerPod: {gpu: '1'}\n",
    /tenants\.yaml:7: .*maxPerPod\.gpu: not a container resource name/,
  ],
  [
    "negative quantity",
    "  podDefaults:\n    resources:\n      requests: {cpu: '-1'}\n",
    /must not be negative/,
  ],
  [
    "toleration with a value under Exists",
    "  nodePool:\n    tolerations:\n      - {key: pool, operator: Exists, value: a}\n",
    /tenants\.yaml:8: .*nodePool\.tolerations\.0\.value: value must be empty when operator is Exists/,
  ],
  [
    "toleration without key and not Exists",
    "  nodePool:\n    tolerations:\n      - {value: a, effect: NoSchedule}\n",
    /operator must be Exists when key is empty/,
  ],
  [
    "tolerationSeconds without NoExecute",
    "  nodePool:\n    tolerations:\n      - {key: pool, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}\n",
    /effect must be NoExecute when tolerationSeconds is set/,
  ],
  [
    "toleration key that is not a label key",
    "  nodePool:\n    tolerations:\n      - {key: 'bad key', operator: Exists}\n",
    /toleration key "bad key" is not a valid label key/,
  ],
];

describe("Tenant podDefaults/nodePool checks at load", () => {
  it.each(broken)("%s", (_name, spec, message) => {
    expect(load(spec)).toThrow(message);
  });

  it("accepts the shapes mutation relies on", () => {
    const ok = load(
      [
        "  podDefaults:",
        "    resources:",
        "      requests: {cpu: 100m, memory: 256Mi, nvidia.com/gpu: 1}",
        "      limits: {cpu: '2', memory: 4Gi, nvidia.com/gpu: 1, hugepages-2Mi: 64Mi}",
        "    maxPerPod: {cpu: '16', memory: 128Gi, nvidia.com/gpu: '2', ephemeral-storage: 20Gi}",
        "  nodePool:",
        "    tolerations:",
        "      - {key: tenant-guard.dev/pool, operator: Equal, value: alpha-gpu, effect: NoSchedule}",
        "      - {operator: Exists}",
        "      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 60}",
        "",
      ].join("\n"),
    );
    expect(ok).not.toThrow();
  });

  it("compiles the defaults mutation uses: GPU halves made equal", () => {
    const t = (
      load("  podDefaults:\n    resources:\n      limits: {nvidia.com/gpu: 1, cpu: '1'}\n")() as {
        index: { tenant(n: string): { resourceDefaults: ReadonlyMap<string, unknown> } | undefined };
      }
    ).index.tenant("ml");
    expect(t?.resourceDefaults.get("nvidia.com/gpu")).toEqual({
      name: "nvidia.com/gpu",
      request: { raw: "1", value: 1 },
      limit: { raw: "1", value: 1 },
      overcommit: false,
    });
    expect(t?.resourceDefaults.get("cpu")).toEqual({
      name: "cpu",
      request: undefined,
      limit: { raw: "1", value: 1 },
      overcommit: true,
    });
  });
});
