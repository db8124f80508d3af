// PersistentVolumes in the directory: what the file backend keeps of them (labels, claimRef, class,
// phase; never the volume source), which ones a selector is matched against, counts, and the audit
// overlay in which an audited manifest's volume shadows the directory's.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { OverlayView } from "../../../src/audit/overlay-view.ts";
import { buildIndexFromObjects } from "../../../src/tenancy/build.ts";
import { parseYamlObjects } from "../../../src/tenancy/yaml-objects.ts";
import { buildIndex } from "../../../src/tenancy/build.ts";

const LABEL = "tenant-guard.dev/tenant";
const WORLD = `
apiVersion: v1
kind: PersistentVolume
metadata:
  name: beta-bound
  labels: {tier: archive}
  annotations: {pv.kubernetes.io/provisioned-by: nfs.csi.k8s.io}
spec:
  capacity: {storage: 10Gi}
  storageClassName: nfs
  csi: {driver: nfs.csi.k8s.io, volumeHandle: "nfs.example.internal#/exports/beta-secret-share"}
  claimRef: {kind: PersistentVolumeClaim, namespace: team-beta, name: data, uid: 1b4c}
status: {phase: Bound}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: PersistentVolume
    metadata: {name: alpha-free, labels: {${LABEL}: team-alpha, tier: ckpt}}
    spec: {capacity: {storage: 1Gi}, hostPath: {path: /mnt/alpha}}
    status: {phase: Available}
  - apiVersion: v1
    kind: PersistentVolume
    metadata: {name: unlabelled-empty-label, labels: {${LABEL}: ""}}
    spec: {capacity: {storage: 1Gi}}
`;

const index = buildIndex(parseYamlObjects(WORLD, "world.yaml"), LABEL).index;

describe("PersistentVolumes in the file directory", () => {
  it("keeps labels, claimRef namespace/name, storage class and phase", () => {
    expect(index.persistentVolume("beta-bound")).toEqual({
      name: "beta-bound",
      labels: { tier: "archive" },
      tenant: undefined,
      claimRef: { namespace: "team-beta", name: "data" },
      storageClassName: "nfs",
      phase: "Bound",
    });
    expect(index.persistentVolume("alpha-free")).toMatchObject({
      tenant: "team-alpha",
      claimRef: undefined,
      phase: "Available",
    });
    expect(index.persistentVolume("nope")).toBeUndefined();
  });

  it("drops the volume source, annotations and uid", () => {
    const dump = inspect(index, { depth: Infinity });
    expect(dump).toContain("beta-bound");
    for (const gone of ["beta-secret-share", "/mnt/alpha", "provisioned-by", "1b4c"])
      expect(dump).not.toContain(gone);
  });

  it("offers only tenant-labelled volumes for selector matching, and counts them all", () => {
    expect([...index.tenantPersistentVolumes()].map((pv) => pv.name)).toEqual(["alpha-free"]);
    expect(index.counts().PersistentVolume).toBe(3);
  });

  it("follows a relabel and a deletion", () => {
    const idx = buildIndexFromObjects([], LABEL);
    const pv = index.persistentVolume("alpha-free");
    if (pv === undefined) throw new Error("fixture");
    idx.upsertPersistentVolume(pv);
    idx.upsertPersistentVolume({ ...pv, tenant: undefined, labels: {} });
    expect([...idx.tenantPersistentVolumes()]).toEqual([]);
    idx.upsertPersistentVolume(pv);
    idx.deletePersistentVolume("alpha-free");
    expect(idx.persistentVolume("alpha-free")).toBeUndefined();
    expect([...idx.tenantPersistentVolumes()]).toEqual([]);
  });
});

describe("PersistentVolumes in the audit overlay", () => {
  it("lets an audited manifest's volume shadow the directory's", () => {
    const top = buildIndexFromObjects(
      [
        {
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name: "alpha-free", labels: { [LABEL]: "team-beta" } },
        },
      ],
      LABEL,
    );
    const view = new OverlayView(index, top);
    expect(view.persistentVolume("alpha-free")?.tenant).toBe("team-beta");
    expect(view.persistentVolume("beta-bound")?.claimRef?.name).toBe("data");
    expect([...view.tenantPersistentVolumes()].map((pv) => `${pv.name}:${pv.tenant}`)).toEqual([
      "alpha-free:team-beta",
    ]);
  });
});
