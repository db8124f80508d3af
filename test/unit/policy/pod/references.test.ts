import { describe, expect, it } from "vitest";
import { checkReferences } from "../../../../src/policy/pod/references.ts";
import { c, messages, run } from "./world.ts";

const R = "TG-POD-REFERENCE";

describe("checkReferences", () => {
  it.each([
    [
      "own secret, config map and PVC",
      {
        volumes: [
          { name: "a", secret: { secretName: "mine" } },
          { name: "b", configMap: { name: "cm" } },
          { name: "c", persistentVolumeClaim: { claimName: "data" } },
        ],
      },
      [],
    ],
    [
      "unknown objects count for the namespace",
      { volumes: [{ name: "a", secret: { secretName: "not-cached" } }] },
      [],
    ],
    [
      "secret volume",
      {
        volumes: [
          { name: "a", emptyDir: {} },
          { name: "b", secret: { secretName: "beta-secret" } },
        ],
      },
      [`${R}@spec.volumes[1].secret.secretName`],
    ],
    [
      "config map volume",
      { volumes: [{ name: "a", configMap: { name: "beta-cm" } }] },
      [`${R}@spec.volumes[0].configMap.name`],
    ],
    [
      "PVC volume",
      { volumes: [{ name: "a", persistentVolumeClaim: { claimName: "beta-pvc" } }] },
      [`${R}@spec.volumes[0].persistentVolumeClaim.claimName`],
    ],
    [
      "projected sources",
      {
        volumes: [
          {
            name: "p",
            projected: {
              sources: [
                { serviceAccountToken: { path: "t" } },
                { secret: { name: "beta-secret" } },
                { configMap: { name: "beta-cm" } },
              ],
            },
          },
        ],
      },
      [
        `${R}@spec.volumes[0].projected.sources[1].secret.name`,
        `${R}@spec.volumes[0].projected.sources[2].configMap.name`,
      ],
    ],
    [
      "CSI nodePublishSecretRef",
      {
        volumes: [
          {
            name: "s",
            csi: { driver: "secrets-store.csi.k8s.io", nodePublishSecretRef: { name: "beta-secret" } },
          },
        ],
      },
      [`${R}@spec.volumes[0].csi.nodePublishSecretRef.name`],
    ],
    [
      "cephfs secretRef",
      { volumes: [{ name: "s", cephfs: { monitors: ["m"], secretRef: { name: "beta-secret" } } }] },
      [`${R}@spec.volumes[0].cephfs.secretRef.name`],
    ],
    [
      "azureFile secretName",
      { volumes: [{ name: "s", azureFile: { secretName: "beta-secret", shareName: "x" } }] },
      [`${R}@spec.volumes[0].azureFile.secretName`],
    ],
    [
      "imagePullSecrets",
      { imagePullSecrets: [{ name: "mine" }, { name: "beta-secret" }] },
      [`${R}@spec.imagePullSecrets[1].name`],
    ],
    [
      "env valueFrom in an app container",
      {
        containers: [
          c({
            env: [
              { name: "A", value: "x" },
              { name: "K", valueFrom: { secretKeyRef: { name: "beta-secret", key: "k" } } },
              { name: "C", valueFrom: { configMapKeyRef: { name: "beta-cm", key: "k" } } },
            ],
          }),
        ],
      },
      [
        `${R}@spec.containers[0].env[1].valueFrom.secretKeyRef.name`,
        `${R}@spec.containers[0].env[2].valueFrom.configMapKeyRef.name`,
      ],
    ],
    [
      "envFrom in an init container",
      {
        initContainers: [
          c({ envFrom: [{ secretRef: { name: "beta-secret" } }, { configMapRef: { name: "beta-cm" } }] }),
        ],
      },
      [
        `${R}@spec.initContainers[0].envFrom[0].secretRef.name`,
        `${R}@spec.initContainers[0].envFrom[1].configMapRef.name`,
      ],
    ],
    [
      "ephemeral container env",
      { ephemeralContainers: [c({ envFrom: [{ secretRef: { name: "beta-secret" } }] })] },
      [`${R}@spec.ephemeralContainers[0].envFrom[0].secretRef.name`],
    ],
    [
      "garbage shapes are skipped",
      { volumes: "x", containers: [null, 3, { env: [null, { valueFrom: 7 }] }], imagePullSecrets: [{}] },
      [],
    ],
    [
      "a key named __proto__ does not resolve to the prototype",
      { volumes: [{ name: "x", ["__proto__"]: { secretName: "beta-secret" } }] },
      [],
    ],
  ])("%s", (_name, spec, want) => {
    expect(run(checkReferences, "alpha-ns", spec)).toEqual(want);
  });

  it("allows what the owner shares (beta shares with gamma)", () => {
    expect(
      run(checkReferences, "gamma-ns", {
        volumes: [{ name: "s", secret: { secretName: "beta-shared-secret" } }],
      }),
    ).toEqual([]);
  });

  it("names the object kind, the object and both tenants", () => {
    const [m] = messages(checkReferences, "alpha-ns", {
      volumes: [{ name: "s", secret: { secretName: "beta-secret" } }],
    });
    expect(m).toMatch(/secret "beta-secret", which belongs to tenant "beta".*tenant "alpha"/);
  });
});
