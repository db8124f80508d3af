// The world the --cluster tests scan: the examples, the fixture manifests, a ReplicaSet-owned pod,
// a token secret for another tenant's service account, 1200 config maps (three pages).
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { readManifests } from "../../../../src/audit/inputs.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { parseYamlObjects } from "../../../../src/tenancy/yaml-objects.ts";
import { EXAMPLES, MANIFESTS } from "./world.ts";

export const SECRET_VALUE = "model-registry-password-4711";

/** The examples world, the fixture manifests, a ReplicaSet-owned pod, a token secret, 1200 config maps. */
export async function world(): Promise<JsonRecord[]> {
  const objs = parseYamlObjects(readFileSync(EXAMPLES, "utf8"), "x").map((s) => s.object);
  const manifests = (await readManifests([MANIFESTS], new PassThrough())).objects.map((s) => s.object);
  const owned: JsonRecord = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "trainer-api-5d8f7-abcde",
      namespace: "team-alpha",
      labels: { "tenant-guard.dev/tenant": "team-beta" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "trainer-api-5d8f7", uid: "u1", controller: true },
      ],
    },
    spec: {
      serviceAccountName: "trainer",
      containers: [{ name: "api", image: "registry.example.com/alpha/trainer-api:1.4.2" }],
    },
  };
  const token: JsonRecord = {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: {
      // beta-sync lives in team-alpha but is labelled for team-beta (examples/cluster.yaml).
      name: "beta-sync-token",
      namespace: "team-alpha",
      annotations: { "kubernetes.io/service-account.name": "beta-sync" },
    },
    data: { token: Buffer.from(SECRET_VALUE).toString("base64") },
  };
  const many = Array.from({ length: 1200 }, (_, i) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${i}`, namespace: "team-beta" },
    data: { secretish: SECRET_VALUE },
  }));
  return [...objs, ...manifests, owned, token, ...many];
}
