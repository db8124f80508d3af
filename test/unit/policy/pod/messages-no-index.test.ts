// Existing violations are recognised by code, message and path with every index read as [*]
// (src/policy/existing-violations.ts). That only works while no pod check writes a list index into
// its message: this pod crosses every boundary at index >= 1 of every list, and no message may say
// where (the path does).
import { describe, expect, it } from "vitest";
import { checkPodSpec, POD_CHECKS } from "../../../../src/policy/pod/check-pod-spec.ts";
import type { Finding } from "../../../../src/policy/types.ts";
import { c, scopeFor } from "./world.ts";

const ok = c({ name: "ok" });
const spec = {
  serviceAccountName: "beta-sa",
  priorityClassName: "system-node-critical",
  runtimeClassName: "runc",
  hostNetwork: true,
  nodeSelector: { "pool.example/name": "beta-gpu" },
  tolerations: [
    { key: "x", operator: "Exists" },
    { key: "pool.example/name", operator: "Equal", value: "beta-gpu", effect: "NoSchedule" },
  ],
  imagePullSecrets: [{ name: "mine" }, { name: "beta-secret" }],
  volumes: [
    { name: "a", emptyDir: {} },
    { name: "b", secret: { secretName: "beta-secret" } },
    {
      name: "c",
      projected: { sources: [{ configMap: { name: "cm" } }, { configMap: { name: "beta-cm" } }] },
    },
    { name: "d", persistentVolumeClaim: { claimName: "beta-pvc" } },
    { name: "e", hostPath: { path: "/var/run" } },
    {
      name: "f",
      ephemeral: {
        volumeClaimTemplate: {
          spec: {
            dataSource: { kind: "PersistentVolumeClaim", name: "beta-pvc" },
            volumeName: "beta-pv",
            storageClassName: "fast-nvme",
          },
        },
      },
    },
  ],
  initContainers: [ok, c({ name: "init", image: "quay.io/x/init:1", securityContext: { privileged: true } })],
  containers: [
    ok,
    c({
      image: "quay.io/x/y:1",
      env: [
        { name: "A", value: "1" },
        { name: "STORAGE_URI", value: "s3://models/beta/x" },
        { name: "K", valueFrom: { secretKeyRef: { name: "beta-secret", key: "k" } } },
      ],
      envFrom: [{ configMapRef: { name: "cm" } }, { configMapRef: { name: "beta-cm" } }],
      resources: { limits: { "nvidia.com/gpu": "3" } },
    }),
  ],
};

describe("pod check messages", () => {
  const out: Finding[] = [];
  checkPodSpec(scopeFor("alpha-ns"), spec, "spec", out);

  it("are produced by every kind of check here", () => {
    const codes = new Set(out.map((f) => f.code));
    expect([...codes].sort()).toEqual([...new Set(POD_CHECKS.map((p) => p.code))].sort());
    expect(out.some((f) => /\[[1-9]\d*\]/.test(f.path ?? ""))).toBe(true);
  });

  it("never name a list index: the path does", () => {
    expect(out.filter((f) => /\[\d+\]/.test(f.message)).map((f) => f.message)).toEqual([]);
  });
});
