// The manifest checks run on test/deploy/support/kustomize.ts's builds; where a real kustomize is at
// hand (`kubectl kustomize`), this proves both build the same objects, so the checks are about what
// `kubectl apply -k` really applies. Skipped, with the reason, where kubectl is not installed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { DEPLOY, build, type K8sObject } from "./support/kustomize.ts";

const probe = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8", timeout: 10_000 });
const hasKubectl = probe.status === 0;
if (!hasKubectl) console.log("test/deploy/kustomize.test.ts: skipped, kubectl is not installed");

const id = (o: K8sObject): string => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const byId = (objs: K8sObject[]): Record<string, K8sObject> =>
  Object.fromEntries(objs.map((o) => [id(o), o]));

describe.skipIf(!hasKubectl)("kubectl kustomize builds what the CI kustomize builds", () => {
  for (const dir of [
    "base",
    "overlays/enforce",
    "overlays/audit",
    "overlays/cert-manager",
    "overlays/ml-platforms",
    "overlays/gateway-api",
    "overlays/all-resources",
    "overlays/scoped",
    "overlays/monitoring",
    "overlays/background-audit",
    "overlays/kueue",
  ]) {
    it(dir, () => {
      const res = spawnSync("kubectl", ["kustomize", join(DEPLOY, dir)], {
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(res.status, res.stderr).toBe(0);
      const real = parseAllDocuments(res.stdout).map((d) => d.toJS() as K8sObject);
      expect(byId(build(join(DEPLOY, dir)))).toEqual(byId(real));
    });
  }
});
