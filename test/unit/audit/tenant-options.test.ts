// `tenant-guard audit` reports the namespace options and PersistentVolume rules for manifests, as
// admission would decide them: a Namespace beyond the tenant's spec.namespaces.max, and a
// PersistentVolume applied as a tenant identity. A pinned label with another value is not a finding:
// /mutate sets it first, as the API server would, and the audit shows that patch.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flagged, json, tempFile } from "./support/run-audit.ts";
import { EXAMPLES } from "./support/world.ts";

const PSA = "pod-security.kubernetes.io/enforce";
const TENANT = `---
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: { name: team-delta }
spec:
  owners: [{ kind: User, name: dave@example.com }]
  namespaces: { max: 1, labels: { ${PSA}: restricted } }
---
apiVersion: v1
kind: Namespace
metadata: { name: delta-a, labels: { tenant-guard.dev/tenant: team-delta, ${PSA}: restricted } }
`;
const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: delta-b
  labels: { tenant-guard.dev/tenant: team-delta, ${PSA}: privileged }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: delta-nfs, labels: { tenant-guard.dev/tenant: team-delta } }
spec:
  capacity: { storage: 100Gi }
  accessModes: [ReadWriteMany]
  storageClassName: ""
  nfs: { server: nfs.example.internal, path: /exports/delta }
`;

async function run(as: string[]): Promise<string[]> {
  const world = await tempFile("cluster.yaml", readFileSync(EXAMPLES, "utf8") + TENANT);
  const file = await tempFile("delta.yaml", MANIFEST);
  const { report } = await json(["--directory", `file:${world}`, ...as, file]);
  expect(report.summary.objects).toBe(2);
  return flagged(report).map((l) => l.replace(/:Enforce/g, ""));
}

describe("audit: namespace options and persistent volumes", () => {
  it("as the tenant's owner: the namespace is over max (its privileged label mutated back); the PV is not the tenant's to create", async () => {
    expect(await run(["--as", "dave@example.com"])).toEqual([
      "Namespace /delta-b: TG-NS-MAX",
      "PersistentVolume /delta-nfs: TG-PV-TENANT",
    ]);
  });

  it("as a cluster component: the max still holds, PVs are its to write", async () => {
    expect(await run([])).toEqual(["Namespace /delta-b: TG-NS-MAX"]);
  });
});
