// Runs `tenant-guard audit` in process (runAudit, as main.ts calls it) and captures its output.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runAudit } from "../../../../src/cli/audit.ts";

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function audit(args: string[], stdin = ""): Promise<Run> {
  const input = new PassThrough();
  input.end(stdin);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.on("data", (c: Buffer) => (o += c.toString()));
  err.on("data", (c: Buffer) => (e += c.toString()));
  const code = await runAudit(args, input, out, err);
  return { code, out: o, err: e };
}

export interface JsonReport {
  kind: string;
  user: string;
  summary: { objects: number; skipped: number; unchecked: number; findings: Record<string, number> };
  results: {
    kind: string;
    namespace: string;
    name: string;
    generateName?: string;
    file?: string;
    line?: number;
    skip?: string;
    skipped?: string;
    findings: { code: string; mode: string; modeSource: string; path?: string }[];
  }[];
  skippedDocuments?: { file: string; line: number; reason: string }[];
  unreadable?: { file: string; line?: number; message: string }[];
}

export async function json(
  args: string[],
  stdin?: string,
): Promise<{ code: number; report: JsonReport; err: string }> {
  const r = await audit(["-o", "json", ...args], stdin);
  return { code: r.code, report: JSON.parse(r.out) as JsonReport, err: r.err };
}

export function flagged(report: JsonReport): string[] {
  return report.results
    .filter((r) => r.findings.length > 0)
    .map(
      (r) => `${r.kind} ${r.namespace}/${r.name}: ${r.findings.map((f) => `${f.code}:${f.mode}`).join(",")}`,
    );
}

export async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tg-audit-"));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}
