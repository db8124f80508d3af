// The class checks on their own: TG-POD-RUNTIME-CLASS (checkRuntimeClass), TG-PVC-STORAGE-CLASS
// (checkClaimStorageClass) and the DRA device requests of every resource.k8s.io shape
// (deviceRequests), which TG-DRA-DEVICE-CLASS judges.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { deviceRequests } from "../../../../src/policy/dra/device-requests.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { buildConfig } from "../../../../src/policy/config.ts";
import { checkRuntimeClass } from "../../../../src/policy/pod/runtime-class.ts";
import { podScope } from "../../../../src/policy/pod/scope.ts";
import { checkClaimStorageClass } from "../../../../src/policy/pod/storage-class.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { Finding } from "../../../../src/policy/types.ts";
import { MemoryDirectory } from "../../../../src/tenancy/memory.ts";
import { TENANT_LABEL, namespaceObject, tenantObject } from "../../../support/objects.ts";
import { request } from "./world.ts";

// alpha: lists and defaults; beta: defaults only, no lists; gamma: empty lists.
const view = new MemoryDirectory(
  [
    tenantObject("alpha", {
      podDefaults: { runtimeClassName: "nvidia" },
      allowedRuntimeClasses: ["gvisor"],
      storage: { allowedClasses: ["standard"], defaultClass: "fast-ssd" },
    }),
    tenantObject("beta", {
      podDefaults: { runtimeClassName: "kata" },
      storage: { defaultClass: "standard" },
    }),
    tenantObject("gamma", { allowedRuntimeClasses: [], storage: { allowedClasses: [] } }),
    namespaceObject("alpha-ns", "alpha"),
    namespaceObject("beta-ns", "beta"),
    namespaceObject("gamma-ns", "gamma"),
    namespaceObject("nobody"),
  ],
  TENANT_LABEL,
).view();
const settings = policySettings(buildConfig(undefined, {}));

function run(
  check: (scope: ReturnType<typeof podScope>, spec: JsonRecord, base: string, out: Finding[]) => void,
  namespace: string,
  spec: JsonRecord,
): Finding[] {
  const out: Finding[] = [];
  check(
    podScope(buildContext(request(namespace, { spec }), view, settings)),
    spec,
    "spec.template.spec",
    out,
  );
  return out;
}

describe("checkRuntimeClass", () => {
  it.each([
    ["alpha-ns", undefined, 0],
    ["alpha-ns", "", 0],
    ["alpha-ns", "gvisor", 0],
    ["alpha-ns", "nvidia", 0], // the tenant's default is always allowed
    ["alpha-ns", "runc", 1],
    ["beta-ns", "runc", 0], // no list: any class
    ["gamma-ns", "gvisor", 1], // an empty list: only no class
    ["nobody", "runc", 0], // no tenant: nothing to hold it to
  ])("%s with runtimeClassName %s -> %i finding(s)", (ns, cls, n) => {
    expect(run(checkRuntimeClass, ns, cls === undefined ? {} : { runtimeClassName: cls })).toHaveLength(n);
  });

  it("names the class, the tenant, the field and every class it may use (the default included)", () => {
    const [f] = run(checkRuntimeClass, "alpha-ns", { runtimeClassName: "runc" });
    expect(f).toEqual({
      code: "TG-POD-RUNTIME-CLASS",
      message:
        'pod "p" in namespace "alpha-ns" uses runtime class "runc", which tenant "alpha" may not use; ' +
        'use one of "gvisor", "nvidia", or leave runtimeClassName empty',
      path: "spec.template.spec.runtimeClassName",
    });
    expect(run(checkRuntimeClass, "gamma-ns", { runtimeClassName: "x" })[0]?.message).toContain(
      "its allowedRuntimeClasses list is empty",
    );
  });
});

describe("checkClaimStorageClass", () => {
  it.each([
    ["alpha-ns", undefined, 0], // still to be defaulted
    ["alpha-ns", "", 0], // static binding: TG-PVC-VOLUME's
    ["alpha-ns", "standard", 0],
    ["alpha-ns", "fast-ssd", 0], // the default is always allowed
    ["alpha-ns", "fast-nvme", 1],
    ["beta-ns", "fast-nvme", 0], // no list: any class
    ["gamma-ns", "standard", 1],
  ])("%s with storageClassName %s -> %i finding(s)", (ns, cls, n) => {
    expect(run(checkClaimStorageClass, ns, cls === undefined ? {} : { storageClassName: cls })).toHaveLength(
      n,
    );
  });

  it("says what to do instead, at the claim's field", () => {
    const [f] = run(checkClaimStorageClass, "alpha-ns", { storageClassName: "fast-nvme" });
    expect(f?.code).toBe("TG-PVC-STORAGE-CLASS");
    expect(f?.path).toBe("spec.template.spec.storageClassName");
    expect(f?.message).toContain('asks for storage class "fast-nvme", which tenant "alpha" may not use');
    expect(f?.message).toContain('use one of "fast-ssd", "standard", leave storageClassName unset');
    expect(run(checkClaimStorageClass, "gamma-ns", { storageClassName: "x" })[0]?.message).toContain(
      "its storage.allowedClasses list is empty",
    );
  });
});

describe("deviceRequests", () => {
  const spec = (requests: unknown[]): JsonRecord => ({ devices: { requests } });

  it("v1 / v1beta2: requests[].exactly, with count and allocationMode defaults", () => {
    expect(
      deviceRequests(
        spec([
          { name: "a", exactly: { deviceClassName: "gpu.nvidia.com" } },
          { name: "b", exactly: { deviceClassName: "gpu.nvidia.com", allocationMode: "All" } },
          { name: "c", exactly: { deviceClassName: "tpu", count: 4 } },
        ]),
        "spec",
      ),
    ).toEqual([
      {
        className: "gpu.nvidia.com",
        path: "spec.devices.requests[0].exactly",
        allocationMode: "ExactCount",
        count: 1,
        request: 0,
      },
      {
        className: "gpu.nvidia.com",
        path: "spec.devices.requests[1].exactly",
        allocationMode: "All",
        count: 1,
        request: 1,
      },
      {
        className: "tpu",
        path: "spec.devices.requests[2].exactly",
        allocationMode: "ExactCount",
        count: 4,
        request: 2,
      },
    ]);
  });

  it("v1beta1: the request's own fields; firstAvailable alternatives share their request's index", () => {
    expect(
      deviceRequests(
        spec([
          { name: "a", deviceClassName: "gpu.nvidia.com", count: 2 },
          {
            name: "b",
            firstAvailable: [
              { name: "big", deviceClassName: "gpu-h100" },
              { name: "small", deviceClassName: "gpu-l4", count: 2 },
            ],
          },
        ]),
        "spec.spec",
      ).map((r) => [r.className, r.path, r.count, r.request]),
    ).toEqual([
      ["gpu.nvidia.com", "spec.spec.devices.requests[0]", 2, 0],
      ["gpu-h100", "spec.spec.devices.requests[1].firstAvailable[0]", 1, 1],
      ["gpu-l4", "spec.spec.devices.requests[1].firstAvailable[1]", 2, 1],
    ]);
  });

  it("bad shapes give nothing rather than a crash", () => {
    expect(deviceRequests(undefined, "spec")).toEqual([]);
    expect(deviceRequests({ devices: "x" }, "spec")).toEqual([]);
    expect(deviceRequests(spec(["x", null, 3, { name: "no-class" }]), "spec")).toEqual([]);
    expect(deviceRequests(spec([{ exactly: { deviceClassName: 7, count: "9" } }]), "spec")).toEqual([
      {
        className: undefined,
        path: "spec.devices.requests[0].exactly",
        allocationMode: "ExactCount",
        count: 1,
        request: 0,
      },
    ]);
  });
});
