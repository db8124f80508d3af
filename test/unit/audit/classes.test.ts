// `tenant-guard audit` reports the class rules like the server decides them: evaluate() over the
// example world (team-alpha: runtime classes nvidia/gvisor, storage standard/fast-ssd with default
// standard, device class gpu.nvidia.com, maxPerPod nvidia.com/gpu 2), mutation before validation.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import { auditUser } from "../../../src/audit/identity.ts";
import { evaluate } from "../../../src/audit/evaluate.ts";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { mutatorRegistry, ruleRegistry } from "../../../src/policy/catalogue.ts";
import { buildIndex } from "../../../src/tenancy/build.ts";
import { parseYamlObjects } from "../../../src/tenancy/yaml-objects.ts";
import { EXAMPLES } from "./support/world.ts";

const world = buildIndex(
  parseYamlObjects(readFileSync(EXAMPLES, "utf8"), EXAMPLES),
  "tenant-guard.dev/tenant",
).index;
const engine = {
  rules: ruleRegistry(),
  mutators: mutatorRegistry(),
  settings: policySettings(buildConfig(undefined)),
};
const opts = { user: auditUser(undefined, []), defaultNamespace: "alpha-train" };

function codes(object: JsonRecord): string[] {
  return evaluate({ object, file: "m.yaml", line: 1 }, world, engine, opts).findings.map((f) => f.code);
}

const claim = (deviceClassName: string, count: number): JsonRecord => ({
  apiVersion: "resource.k8s.io/v1",
  kind: "ResourceClaim",
  metadata: { name: "gpus" },
  spec: { devices: { requests: [{ name: "gpu", exactly: { deviceClassName, count } }] } },
});

const pvc = (spec: JsonRecord): JsonRecord => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

const pod = (runtimeClassName?: string): JsonRecord => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "nb" },
  spec: {
    ...(runtimeClassName === undefined ? {} : { runtimeClassName }),
    containers: [{ name: "nb", image: "registry.example.com/alpha/notebook:1" }],
  },
});

describe("audit reports the class rules", () => {
  it("DRA claims: another class or more devices than the cap; the allowed class within it passes", () => {
    expect(codes(claim("gpu-h100.example.com", 1))).toEqual(["TG-DRA-DEVICE-CLASS"]);
    expect(codes(claim("gpu.nvidia.com", 3))).toEqual(["TG-DRA-DEVICE-CLASS"]);
    expect(codes(claim("gpu.nvidia.com", 2))).toEqual([]);
  });

  it('PVCs: another class is reported; none gets the tenant default first; "" stays', () => {
    expect(codes(pvc({ storageClassName: "fast-nvme" }))).toEqual(["TG-PVC-STORAGE-CLASS"]);
    expect(codes(pvc({}))).toEqual([]);
    expect(codes(pvc({ storageClassName: "" }))).toEqual([]);
  });

  it("pods: another runtime class is reported; none gets the default", () => {
    expect(codes(pod("runc-unsandboxed"))).toEqual(["TG-POD-RUNTIME-CLASS"]);
    expect(codes(pod())).toEqual([]);
  });
});
