// The image runs what tsc emits (tsconfig.build.json), not src/: build it once into a temp dir laid
// out like the image's /app (package.json, node_modules, dist/, bin/, examples/, no src/), start
// it as a child process with type stripping switched off, and check it decides like src/ does.
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../deploy/support/kustomize.ts";
import { loadReview } from "../support/fixtures.ts";
import { httpsRequest } from "../support/https.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { listeningUrl } from "../support/listening.ts";

const NODE = process.execPath;
// Any attempt to load a .ts file fails with ERR_UNKNOWN_FILE_EXTENSION, so a run that works loaded none.
const NO_TS = "--no-experimental-strip-types";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let app: string;
let built: ReturnType<typeof spawn> | undefined;
let builtUrl: string;
let src: TestServer;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), "tg-build-"));
  const tsc = run(
    ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", join(app, "dist")],
    REPO,
  );
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
  copyFileSync(join(REPO, "package.json"), join(app, "package.json")); // "type": "module"
  cpSync(join(REPO, "bin"), join(app, "bin"), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(app, "node_modules"), "dir");
  symlinkSync(join(REPO, "examples"), join(app, "examples"), "dir");

  const child = spawn(
    NODE,
    [
      NO_TS,
      "--expose-gc",
      "--max-semi-space-size=8",
      "dist/main.js",
      "serve",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
    ],
    {
      cwd: app,
      env: { ...process.env, TENANT_GUARD_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  built = child;
  builtUrl = await listeningUrl(child, "built server", 15_000);
  src = await startTestServer();
}, 120_000);

afterAll(async () => {
  built?.kill("SIGKILL");
  await src?.close();
  if (app !== undefined) rmSync(app, { recursive: true, force: true });
});

describe("the built artifact (dist/)", () => {
  it("emits one .js per source file and no import of a .ts file, static or dynamic", () => {
    const emitted = files(join(app, "dist")).map((f) => relative(join(app, "dist"), f));
    const sources = files(join(REPO, "src")).map((f) => relative(join(REPO, "src"), f));
    expect(emitted.sort()).toEqual(sources.map((f) => f.replace(/\.ts$/, ".js")).sort());
    const specs: string[] = [];
    const dynamic: string[] = [];
    for (const f of files(join(app, "dist"))) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+)["']/g)) specs.push(m[1]!);
      for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) dynamic.push(m[1]!);
    }
    const relative_ = [...specs, ...dynamic].filter((s) => s.startsWith("."));
    expect(relative_.length).toBeGreaterThan(100); // the scanner sees the imports
    expect(dynamic.filter((s) => s.startsWith(".")).length).toBeGreaterThan(0);
    expect([...specs, ...dynamic].filter((s) => /\.[cm]?ts$/.test(s))).toEqual([]);
  });

  it("switching type stripping off really rejects .ts (the control for the runs below)", () => {
    const r = run([NO_TS, join(REPO, "src/main.ts"), "--help"], REPO);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERR_UNKNOWN_FILE_EXTENSION/);
  });

  it("serves over HTTPS and is ready, with no .ts loaded and no src/ next to it", async () => {
    expect(readdirSync(app).sort()).toEqual(["bin", "dist", "examples", "node_modules", "package.json"]);
    expect((await httpsRequest(`${builtUrl}/readyz`)).status).toBe(200);
  });

  it("decides real admission reviews exactly as src/ does", async () => {
    const cases: ["/validate" | "/mutate", string][] = [
      ["/validate", "pod-create"],
      ["/mutate", "pod-create"],
      ["/mutate", "mutation/pod-gpu-job-create"],
      ["/validate", "isolation/rolebinding-cross-tenant"],
      ["/validate", "pod/node-pool-denied"],
    ];
    const denied: string[] = [];
    const patched: string[] = [];
    for (const [path, name] of cases) {
      const body = JSON.stringify(loadReview(name));
      const fromBuilt = await httpsRequest(builtUrl + path, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      const fromSrc = await src.review(path, body);
      expect(fromBuilt.status, `${path} ${name}`).toBe(200);
      expect(fromBuilt.json(), `${path} ${name}`).toEqual(fromSrc.json());
      const response = fromSrc.json<{ response: { allowed: boolean; patch?: string } }>().response;
      if (!response.allowed) denied.push(name);
      if (response.patch !== undefined) patched.push(name);
    }
    // The comparison covers both outcomes and mutation, not only easy allows.
    expect(denied).toEqual(["isolation/rolebinding-cross-tenant", "pod/node-pool-denied"]);
    expect(patched).toEqual(expect.arrayContaining(["pod-create", "mutation/pod-gpu-job-create"]));
  });

  it("bin/tenant-guard.js runs the built audit (a dynamic import) with the same report as src/", () => {
    const manifests = "test/fixtures/audit/manifests";
    const fromBuilt = run([NO_TS, join(app, "bin/tenant-guard.js"), "audit", manifests], REPO);
    const fromSrc = run(["src/main.ts", "audit", manifests], REPO);
    expect(fromBuilt.stderr).not.toMatch(/Error/);
    expect(fromBuilt.status).toBe(1); // findings
    expect(fromBuilt.stdout).toMatch(/TG-TENANT-LABEL/);
    expect(fromBuilt.stdout).toBe(fromSrc.stdout);
    expect(fromBuilt.status).toBe(fromSrc.status);
  });
});
