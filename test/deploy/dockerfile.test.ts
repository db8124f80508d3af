// No docker daemon in CI: the Dockerfile is parsed and checked for what the Deployment relies on —
// a non-root numeric user (runAsNonRoot needs a number), Node 24, `node dist/main.js serve` built
// by tsc in a build stage, and a final stage that receives production dependencies only — and src/
// is checked to import nothing the production install lacks.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./support/kustomize.ts";

interface Instruction {
  readonly op: string;
  readonly args: string;
}

interface Stage {
  readonly name: string | undefined;
  readonly ins: Instruction[];
}

interface Dockerfile {
  readonly args: Record<string, string>;
  readonly stages: Stage[];
}

/** Instructions per stage; continuation lines joined, comments and blank lines dropped. */
function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`unparsable Dockerfile line: ${line}`);
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (ins.op === "FROM") stages.push({ name: /\s+AS\s+(\S+)$/i.exec(ins.args)?.[1], ins: [] });
    if (ins.op === "ARG" && stages.length === 0) {
      const [k, v] = ins.args.split("=");
      args[k!] = v ?? "";
    }
    stages.at(-1)?.ins.push(ins);
  }
  return { args, stages };
}

/** A shell- or exec-form RUN as one command line. */
const commandOf = (ins: Instruction): string =>
  ins.args.startsWith("[") ? (JSON.parse(ins.args) as string[]).join(" ") : ins.args;

interface Copy {
  readonly from: string | undefined;
  readonly sources: string[];
}

function copyOf(ins: Instruction): Copy {
  const words = ins.args.split(/\s+/);
  const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
  const paths = words.filter((w) => !w.startsWith("--"));
  return { from, sources: paths.slice(0, -1) };
}

/**
 * Why the final stage could end up with more than production dependencies: node_modules copied from
 * a stage that did not run `npm ci --omit=dev`, anything but dist/ copied from a full-install stage,
 * or an npm install in the final stage itself. Empty when it receives production dependencies only.
 */
function finalStageDependencyProblems(d: Dockerfile): string[] {
  const final = d.stages.at(-1)?.ins ?? [];
  const npmRuns = (s: Stage): string[] =>
    s.ins
      .filter((i) => i.op === "RUN")
      .map(commandOf)
      .filter((c) => /\bnpm\b/.test(c));
  const problems: string[] = [];
  for (const c of npmRuns({ name: undefined, ins: final })) problems.push(`final stage runs npm: ${c}`);
  for (const c of all("COPY", final).map(copyOf)) {
    if (c.from === undefined) {
      if (c.sources.some((s) => /node_modules/.test(s))) problems.push("node_modules from the build context");
      continue;
    }
    const src = d.stages.find((s) => s.name === c.from);
    if (src === undefined) {
      problems.push(`COPY --from=${c.from}: not a stage of this Dockerfile`);
      continue;
    }
    const productionOnly = npmRuns(src).every((r) => /\bnpm ci\b/.test(r) && r.includes("--omit=dev"));
    if (productionOnly) continue;
    for (const s of c.sources) {
      if (s.replace(/\/$/, "") !== "/app/dist") problems.push(`${s} from the full-install stage ${c.from}`);
    }
  }
  return problems;
}

const docker = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const final = docker.stages.at(-1)?.ins ?? [];
function all(op: string, stage: Instruction[] = final): Instruction[] {
  return stage.filter((i) => i.op === op);
}
const exec = (ins: Instruction | undefined): unknown =>
  ins === undefined ? undefined : JSON.parse(ins.args);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js)$/.test(n) ? [p] : [];
  });
}

describe("Dockerfile", () => {
  it("is multi-stage on a Node 24 slim or distroless base", () => {
    expect(docker.stages.length).toBeGreaterThanOrEqual(3); // deps, build, runtime
    for (const stage of docker.stages) {
      const from = stage.ins[0]!.args.split(/\s+/)[0]!.replace(
        /^\$\{(\w+)\}$/,
        (_, k: string) => docker.args[k] ?? "",
      );
      expect(from).toMatch(/^(node:24-slim|gcr\.io\/distroless\/nodejs24)/);
    }
  });

  it("installs with the lockfile, never runs install scripts, and npm ci --omit=dev feeds the final stage", () => {
    const runs = docker.stages
      .flatMap((s) => all("RUN", s.ins).map(commandOf))
      .filter((c) => /\bnpm\b/.test(c));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const r of runs) {
      expect(r).toMatch(/\bnpm ci\b/);
      expect(r).toContain("--ignore-scripts"); // the node@24 devDependency must not fetch a Node
      expect(r).not.toMatch(/\bnpm (install|i)\b/);
    }
    expect(finalStageDependencyProblems(docker)).toEqual([]);
    const modules = all("COPY")
      .map(copyOf)
      .filter((c) => c.sources.some((s) => s.endsWith("node_modules")));
    expect(modules.length).toBe(1);
  });

  it("the dependency check catches node_modules or src/ leaking from the build stage", () => {
    const text = readFileSync(join(REPO, "Dockerfile"), "utf8");
    const leaky = text.replace("--from=deps /app/node_modules", "--from=build /app/node_modules");
    expect(leaky).not.toBe(text);
    expect(finalStageDependencyProblems(parseDockerfile(leaky))).toEqual([
      "/app/node_modules from the full-install stage build",
    ]);
    const withSrc = text.replace("COPY --from=build /app/dist ./dist", "COPY --from=build /app/src ./src");
    expect(finalStageDependencyProblems(parseDockerfile(withSrc))).toEqual([
      "/app/src from the full-install stage build",
    ]);
  });

  it("builds dist/ with tsc from tsconfig.build.json in a stage of its own", () => {
    const build = docker.stages.find((s) => s.name === "build");
    expect(build).toBeDefined();
    const cmds = all("RUN", build!.ins).map(commandOf);
    expect(cmds.some((c) => /\bnpm ci\b/.test(c) && !c.includes("--omit=dev"))).toBe(true); // typescript is a devDependency
    // The image's own node: node_modules/.bin/node is a dead shim when install scripts are skipped.
    expect(cmds).toContain("node node_modules/typescript/bin/tsc -p tsconfig.build.json");
    const copied = all("COPY", build!.ins).flatMap((c) => copyOf(c).sources);
    for (const needed of ["tsconfig.json", "tsconfig.build.json", "src"]) expect(copied).toContain(needed);
    const cfg = JSON.parse(readFileSync(join(REPO, "tsconfig.build.json"), "utf8")) as {
      extends: string;
      compilerOptions: Record<string, unknown>;
    };
    expect(cfg.extends).toBe("./tsconfig.json");
    expect(cfg.compilerOptions).toMatchObject({
      noEmit: false,
      outDir: "dist",
      rootDir: "src",
      rewriteRelativeImportExtensions: true,
    });
  });

  it("runs `node --expose-gc --max-semi-space-size=8 dist/main.js serve` (memory-reducing collections need gc) as uid 65532 with NODE_ENV=production and malloc set to give memory back", () => {
    const users = all("USER");
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args;
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric, so the kubelet can verify runAsNonRoot
    expect(Number(user.split(":")[0])).toBe(65532);
    expect(final.indexOf(users.at(-1)!)).toBeLessThan(final.indexOf(all("ENTRYPOINT")[0]!));
    expect(exec(all("ENTRYPOINT").at(-1))).toEqual([
      "node",
      "--expose-gc",
      "--max-semi-space-size=8",
      "dist/main.js",
    ]);
    expect(exec(all("CMD").at(-1))).toEqual(["serve"]);
    expect(all("ENV").map((e) => e.args)).toContain("NODE_ENV=production");
    expect(all("ENV").map((e) => e.args)).toContain("MALLOC_ARENA_MAX=2");
    // Freed list-page and TLS buffers go back to the OS instead of staying in malloc's heap.
    expect(all("ENV").map((e) => e.args)).toContain("MALLOC_MMAP_THRESHOLD_=16384");
    expect(all("EXPOSE").map((e) => e.args)).toContain("8443");
  });

  it("the runtime gets dist/ and what it reads, not src/; the build context is an allow-list", () => {
    const copies = all("COPY").flatMap((c) => copyOf(c).sources);
    // package.json: "type": "module" for dist/*.js; examples/: the default directory.
    for (const needed of ["/app/dist", "package.json", "bin", "examples"]) expect(copies).toContain(needed);
    expect(copies.filter((s) => /(^|\/)src\/?$/.test(s))).toEqual([]);
    const ignore = readFileSync(join(REPO, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    expect(ignore).toContain("**"); // an allow-list: .git, node_modules, a local dist/, test/, keys never reach the image
    expect(ignore.filter((l) => l.startsWith("!")).sort()).toEqual(
      [
        "!bin/",
        "!examples/",
        "!package-lock.json",
        "!package.json",
        "!src/",
        "!tsconfig.build.json",
        "!tsconfig.json",
      ].sort(),
    );
  });

  it("imports the built serve, audit and workers modules at build time, as the runtime user", () => {
    const check = all("RUN")
      .map(commandOf)
      .find((c) => c.includes("import("));
    expect(check).toBeDefined();
    const imported = [...check!.matchAll(/import\('\/app\/(dist\/[^']+)'\)/g)].map((m) => m[1]!);
    expect(imported).toEqual(expect.arrayContaining(["dist/cli/serve.js", "dist/cli/audit.js"]));
    for (const f of imported)
      expect(existsSync(join(REPO, f.replace(/^dist/, "src").replace(/\.js$/, ".ts")))).toBe(true);
    const checkAt = final.findIndex((i) => i.op === "RUN" && commandOf(i) === check);
    expect(checkAt).toBeGreaterThan(final.indexOf(all("USER").at(-1)!));
  });

  it("src/ and bin/ import only Node built-ins and production dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const f of [...sourceFiles(join(REPO, "src")), ...sourceFiles(join(REPO, "bin"))]) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(
        /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
      )) {
        if (/^\s*(import|export)\s+type\b/.test(m[0])) continue; // erased by tsc
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith(".") || spec.startsWith("node:") || builtins.has(spec)) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        seen.add(name);
        if (!(name in pkg.dependencies)) missing.push(`${relative(REPO, f)}: ${spec}`);
      }
    }
    expect(missing).toEqual([]);
    expect(seen).toContain("prom-client"); // the scanner itself sees imports
    expect(seen).toContain("zod");
  });
});
