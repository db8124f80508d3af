// The file backend: multi-document YAML and Lists, errors that name file and line, live reload on
// change, and a broken edit that keeps the last good state (with the problem in status().reason).
import { mkdtemp, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";
import { FileDirectory, loadDirectoryPath } from "../../../src/tenancy/file.ts";

const LABEL = "tenant-guard.dev/tenant";
const WORLD = `# a comment before the first document
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: {name: team-a}
spec:
  owners: [{kind: Group, name: team-a-devs}]
---
apiVersion: v1
kind: Namespace
metadata: {name: a-prod, labels: {${LABEL}: team-a}}
---
---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: ci, namespace: a-prod}}
  - apiVersion: v1
    kind: Secret
    metadata: {name: pull, namespace: a-prod, labels: {${LABEL}: team-b}}
    data: {x: eHl6}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ignored, namespace: a-prod}
`;

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tg-file-dir-"));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a rejection");
}

async function until(what: string, check: () => boolean, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let open: FileDirectory | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe("file directory: loading", () => {
  it("reads multi-document YAML with Lists and empty documents, ignoring kinds it does not use", async () => {
    const ix = await loadDirectoryPath(await tempFile("world.yaml", WORLD), LABEL);
    expect(ix.counts()).toEqual({ Namespace: 1, Tenant: 1, ServiceAccount: 1, Secret: 1 });
    expect(ix.tenantOfNamespace("a-prod")).toBe("team-a");
    expect(ix.ownerOfObject("Secret", "a-prod", "pull")).toBe("team-b");
    expect([...ix.tenantsOfGroup("team-a-devs")]).toEqual(["team-a"]);
  });

  it("reads every *.yaml / *.yml of a directory", async () => {
    const first = await tempFile("10-tenants.yaml", WORLD);
    const dir = join(first, "..");
    await writeFile(join(dir, "20-more.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
    await writeFile(join(dir, "notes.txt"), "not: [yaml");
    const ix = await loadDirectoryPath(dir, LABEL);
    expect(ix.counts().Namespace).toBe(2);
  });

  it.each([
    ["broken YAML", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a\n", /bad\.yaml:\d+: /],
    [
      "an invalid Tenant field",
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: tenant-guard.dev/v1alpha1\nkind: Tenant\nmetadata: {name: t}\nspec:\n  enforcement: {mode: Sometimes}\n",
      /bad\.yaml:9: Tenant "t": spec\.enforcement\.mode: /,
    ],
    [
      "an object without a name",
      "apiVersion: v1\nkind: ServiceAccount\nmetadata: {namespace: a}\n",
      /bad\.yaml:3: ServiceAccount has no metadata\.name/,
    ],
    [
      "a namespaced object without a namespace",
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: s}\n",
      /bad\.yaml:6: Secret "s" has no metadata\.namespace/,
    ],
    [
      "a document that is not an object",
      "- just\n- a list\n",
      /bad\.yaml:1: a YAML sequence, not a Kubernetes object/,
    ],
  ])("rejects %s naming the file and line", async (_what, text, want) => {
    const path = await tempFile("bad.yaml", text);
    expect(await errorOf(loadDirectoryPath(path, LABEL))).toMatch(want);
  });

  it("rejects a missing path with its name", async () => {
    expect(await errorOf(loadDirectoryPath("/nonexistent/world.yaml", LABEL))).toMatch(
      /\/nonexistent\/world\.yaml: ENOENT/,
    );
  });
});

describe("file directory: reload", () => {
  const log = createLogger("silent");

  it("reloads when the file changes, including an atomic rename as editors and ConfigMaps do", async () => {
    const path = await tempFile("world.yaml", WORLD);
    open = new FileDirectory({ path, tenantLabel: LABEL, log });
    await open.start();
    expect(open.view().tenantOfNamespace("a-prod")).toBe("team-a");
    await writeFile(path, WORLD.replace(`${LABEL}: team-a}`, `${LABEL}: team-z}`));
    await until("in-place edit", () => open?.view().tenantOfNamespace("a-prod") === "team-z");
    await writeFile(`${path}.tmp`, WORLD.replace("name: ci,", "name: ci-2,"));
    await rename(`${path}.tmp`, path);
    await until("renamed file", () => open?.view().object("ServiceAccount", "a-prod", "ci-2") !== undefined);
    expect(open.view().tenantOfNamespace("a-prod")).toBe("team-a");
    expect(open.status().ready).toBe(true);
    expect(open.status().reason).toBeUndefined();
  });

  it("keeps the last good state on a broken edit, says where it broke, and recovers on the fix", async () => {
    const path = await tempFile("world.yaml", WORLD);
    open = new FileDirectory({ path, tenantLabel: LABEL, log });
    await open.start();
    await writeFile(path, WORLD.replace("kind: Group", "kind: Robot"));
    await until("reload failure", () => open?.status().reason !== undefined);
    const st = open.status();
    expect(st.ready).toBe(true); // still serving the last good state
    expect(st.reason).toMatch(/world\.yaml:6: Tenant "team-a": spec\.owners\.0\.kind: /);
    // what admission asks on every review: the same answer, without the counts
    expect(open.readiness()).toEqual({ ready: true, reason: st.reason });
    expect([...open.view().tenantsOfGroup("team-a-devs")]).toEqual(["team-a"]);
    await writeFile(path, WORLD.replace("team-a-devs", "team-a-admins"));
    await until("recovery", () => open?.status().reason === undefined);
    expect(open.readiness()).toEqual({ ready: true });
    expect([...open.view().tenantsOfGroup("team-a-admins")]).toEqual(["team-a"]);
  });

  it("refuses to start on a broken file instead of serving nothing", async () => {
    const path = await tempFile("world.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: [oops]\n");
    open = new FileDirectory({ path, tenantLabel: LABEL, log, watch: false });
    expect(await errorOf(open.start())).toMatch(/world\.yaml:\d+: Namespace has no metadata\.name/);
    expect(open.status()).toMatchObject({ ready: false, reason: "not loaded" });
    expect(open.readiness()).toEqual({ ready: false, reason: "not loaded" });
  });
});
