// scripts/render-install.sh: one install-<overlay>.yaml per overlay, with the image and tag set,
// that parses and holds exactly what `kubectl apply -k` of that overlay would apply. Needs the
// real kubectl (kustomize); skipped, with the reason, without it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { DEPLOY, REPO, build, type K8sObject } from "./support/kustomize.ts";

const SCRIPT = join(REPO, "scripts/render-install.sh");
const IMAGE = "registry.example.com/team/tenant-guard";
const TAG = "9.8.7-rc.1";
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { timeout: 10_000 }).status === 0;
if (!hasKubectl) console.log("test/deploy/render-install.test.ts: skipped, kubectl is not installed");

const OVERLAYS = readdirSync(join(DEPLOY, "overlays")).sort();
const out = mkdtempSync(join(tmpdir(), "tg-render-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync("bash", [SCRIPT, ...args], { cwd: REPO, encoding: "utf8", timeout: 120_000 });
const id = (o: K8sObject): string => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function parse(file: string): K8sObject[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const d of docs) expect(d.errors, file).toEqual([]);
  return docs.map((d) => d.toJS() as K8sObject);
}

type WithPod = K8sObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
const images = (objs: K8sObject[]): string[] =>
  objs
    .filter((o) => o.kind === "Deployment")
    .flatMap((o) => (o as WithPod).spec.template.spec.containers.map((c) => c.image));

describe.skipIf(!hasKubectl)("scripts/render-install.sh", () => {
  const res = hasKubectl ? run("--out", out, "--image", IMAGE, "--tag", TAG) : undefined;

  it("renders every overlay and exits 0", () => {
    expect(res?.status, res?.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(OVERLAYS.map((o) => `install-${o}.yaml`));
  });

  it.each(OVERLAYS)("%s: parses, sets the image, and equals the overlay's build", (overlay) => {
    const file = join(out, `install-${overlay}.yaml`);
    expect(readFileSync(file, "utf8")).toMatch(/^# tenant-guard 9\.8\.7-rc\.1, overlay /);
    const objs = parse(file);
    expect(images(objs)).toEqual([`${IMAGE}:${TAG}`]);
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of [
      "CustomResourceDefinition",
      "Namespace",
      "PriorityClass",
      "ServiceAccount",
      "ClusterRole",
      "ClusterRoleBinding",
      "Deployment",
      "Service",
      "ValidatingWebhookConfiguration",
      "MutatingWebhookConfiguration",
    ])
      expect(kinds, `${overlay} has a ${k}`).toContain(k);
    // The image is the only difference from the overlay as it is in deploy/.
    const expected = build(join(DEPLOY, "overlays", overlay));
    for (const d of expected.filter((o) => o.kind === "Deployment"))
      for (const c of (d as WithPod).spec.template.spec.containers) c.image = `${IMAGE}:${TAG}`;
    expect(Object.fromEntries(objs.map((o) => [id(o), o]))).toEqual(
      Object.fromEntries(expected.map((o) => [id(o), o])),
    );
  });

  it("monitoring carries the operations pack; cert-manager its certificates", () => {
    const kinds = (o: string): string[] => parse(join(out, `install-${o}.yaml`)).map((x) => x.kind);
    expect(kinds("monitoring")).toEqual(
      expect.arrayContaining(["PrometheusRule", "ServiceMonitor", "ConfigMap"]),
    );
    expect(kinds("cert-manager")).toEqual(expect.arrayContaining(["Certificate", "Issuer"]));
    expect(kinds("enforce")).not.toContain("PrometheusRule");
  });

  it("defaults to the package.json version and the published image name, for the overlays named", () => {
    const dir = mkdtempSync(join(out, "default-"));
    const r = run("--out", dir, "audit");
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(["install-audit.yaml"]);
    const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(images(parse(join(dir, "install-audit.yaml")))).toEqual([
      `ghcr.io/example-org/tenant-guard:${version}`,
    ]);
  });

  it("refuses a bad tag or an unknown overlay, writes nothing, and leaves no work directory behind", () => {
    const dir = mkdtempSync(join(out, "bad-"));
    const badTag = run("--out", dir, "--tag", "1.0 ; rm -rf /", "enforce");
    expect(badTag.status).not.toBe(0);
    expect(badTag.stderr).toContain("invalid image tag");
    const badOverlay = run("--out", dir, "no-such-overlay");
    expect(badOverlay.status).not.toBe(0);
    expect(badOverlay.stderr).toContain("no overlay deploy/overlays/no-such-overlay");
    expect(readdirSync(dir)).toEqual([]);
    const tmp = join(REPO, ".tmp");
    expect(existsSync(tmp) ? readdirSync(tmp).filter((f) => f.startsWith("render-install.")) : []).toEqual(
      [],
    );
  });
});
