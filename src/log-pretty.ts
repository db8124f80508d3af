// Log lines for a person at a terminal: "10:04:12.345 INFO  tenant-guard listening url=... startMs=12".
// Used only when stdout is a TTY (main.ts); pipes and containers get pino's JSON lines. Built in,
// a few lines, so the runtime needs no pino-pretty (and its worker thread) for it.
import type { DestinationStream } from "pino";
import { cleanText } from "./admission/limits.ts";

const LEVELS: Readonly<Record<number, string>> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
};
const SKIP: ReadonlySet<string> = new Set(["level", "time", "msg", "service", "pid", "hostname"]);

function value(v: unknown): string {
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** One JSON line from pino -> one readable line; a line that is not JSON passes through. */
export function prettyLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  const time = typeof rec.time === "string" ? rec.time.slice(11, 23) : "";
  const level = LEVELS[rec.level as number] ?? String(rec.level);
  const fields = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  // Control characters from logged names must not drive the terminal.
  const text = cleanText([time, level, String(rec.msg ?? ""), ...fields].join(" "));
  return `${text}\n`;
}

export function prettyDestination(out: NodeJS.WritableStream = process.stdout): DestinationStream {
  return {
    write(chunk: string): void {
      for (const line of chunk.split("\n")) if (line !== "") out.write(prettyLine(line));
    },
  };
}
