// No docker daemon in CI: the Dockerfile is parsed and checked for what the Deployment relies on —
// a non-root numeric user (runAsNonRoot needs a number), production dependencies only, Node 24,
// `node src/main.ts serve` — and src/ is checked to import nothing the production install lacks.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./support/kustomize.ts";

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions per stage; continuation lines joined, comments and blank lines dropped. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Instruction[][] } {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const args: Record<string, string> = {};
  const stages: Instruction[][] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`unparsable Dockerfile line: ${line}`);
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (ins.op === "FROM") stages.push([]);
    if (ins.op === "ARG" && stages.length === 0) {
      const [k, v] = ins.args.split("=");
      args[k!] = v ?? "";
    }
    stages.at(-1)?.push(ins);
  }
  return { args, stages };
}

const docker = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const final = docker.stages.at(-1) ?? [];
const all = (op: string, stage: Instruction[] = final): Instruction[] => stage.filter((i) => i.op === op);
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
    expect(docker.stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of docker.stages) {
      const from = stage[0]!.args
        .split(/\s+/)[0]!
        .replace(/^\$\{(\w+)\}$/, (_, k: string) => docker.args[k] ?? "");
      expect(from).toMatch(/^(node:24-slim|gcr\.io\/distroless\/nodejs24)/);
    }
  });

  it("installs production dependencies only, with the lockfile", () => {
    const runs = docker.stages.flat().filter((i) => i.op === "RUN" && /\bnpm\b/.test(i.args));
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) {
      expect(r.args).toMatch(/\bnpm ci\b/);
      expect(r.args).toContain("--omit=dev");
      expect(r.args).not.toMatch(/\bnpm (install|i)\b/);
    }
  });

  it("runs `node --optimize-for-size src/main.ts serve` as uid 65532 with NODE_ENV=production", () => {
    const users = all("USER");
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args;
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric, so the kubelet can verify runAsNonRoot
    expect(Number(user.split(":")[0])).toBe(65532);
    expect(final.indexOf(users.at(-1)!)).toBeLessThan(final.indexOf(all("ENTRYPOINT")[0]!));
    expect(exec(all("ENTRYPOINT").at(-1))).toEqual(["node", "--optimize-for-size", "src/main.ts"]);
    expect(exec(all("CMD").at(-1))).toEqual(["serve"]);
    expect(all("ENV").map((e) => e.args)).toContain("NODE_ENV=production");
    expect(all("EXPOSE").map((e) => e.args)).toContain("8443");
  });

  it("copies src/ as is (type stripping, no build) and every file the runtime reads", () => {
    const copies = all("COPY").map((c) => c.args.split(/\s+/).filter((a) => !a.startsWith("--"))[0]);
    for (const needed of ["package.json", "src", "bin", "examples"]) expect(copies).toContain(needed);
    const ignore = readFileSync(join(REPO, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    expect(ignore).toContain("**"); // an allow-list: .git, node_modules, test/, keys never reach the image
    for (const needed of ["package.json", "package-lock.json", "src/", "bin/", "examples/"]) {
      expect(ignore).toContain(`!${needed}`);
    }
    expect(ignore.filter((l) => l.startsWith("!")).sort()).toEqual(
      ["!bin/", "!examples/", "!package-lock.json", "!package.json", "!src/"].sort(),
    );
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
        if (/^\s*(import|export)\s+type\b/.test(m[0])) continue; // erased by type stripping
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith(".") || spec.startsWith("node:") || builtins.has(spec)) continue;
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        seen.add(name);
        if (!(name in pkg.dependencies)) missing.push(`${relative(REPO, f)}: ${spec}`);
      }
    }
    expect(missing).toEqual([]);
    expect(seen).toContain("express"); // the scanner itself sees imports
    expect(seen).toContain("zod");
  });
});
