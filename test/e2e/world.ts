// Turns examples/cluster.yaml (the directory's demo world, metadata only) into objects a real API
// server accepts: secrets get data, PVCs a spec, each Tenant's priority class exists, and the
// kube-system namespace (already there) is left out. Prints multi-document YAML:
//   node test/e2e/world.ts | kubectl apply -f -
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";

type Obj = Record<string, unknown> & {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
};

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const docs = parseAllDocuments(readFileSync(join(repo, "examples/cluster.yaml"), "utf8")).map(
  (d) => d.toJS() as Obj,
);
const objects = docs.flatMap((d) => (d.kind === "List" ? (d.items as Obj[]) : [d]));

const out: Obj[] = [];
for (const o of objects) {
  if (o.kind === "Namespace" && o.metadata.name.startsWith("kube-")) continue;
  if (o.kind === "Secret") {
    const docker = o.type === "kubernetes.io/dockerconfigjson";
    out.push({
      ...o,
      stringData: docker ? { ".dockerconfigjson": '{"auths":{}}' } : { value: "e2e-placeholder" },
    });
  } else if (o.kind === "PersistentVolumeClaim") {
    out.push({ ...o, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } });
  } else {
    out.push(o);
  }
  const pc = (o.spec?.podDefaults as { priorityClassName?: string } | undefined)?.priorityClassName;
  if (o.kind === "Tenant" && pc !== undefined) {
    out.push({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: pc },
      value: 1000,
    });
  }
}
// Namespaces first, so everything namespaced has somewhere to go in one `kubectl apply`.
const rank = (o: Obj): number =>
  o.kind === "Namespace" ? 0 : o.kind === "Tenant" || o.kind === "PriorityClass" ? 1 : 2;
out.sort((a, b) => rank(a) - rank(b));
process.stdout.write(out.map((o) => stringify(o)).join("---\n"));
