// A `tenant-guard serve` child process's URL, from its "tenant-guard listening" log line (the
// port is chosen by the OS with --port 0). Fails with the output so far on a timeout or an exit.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export function listeningUrl(
  child: ChildProcess | ChildProcessWithoutNullStreams,
  what: string,
  timeoutMs: number,
): Promise<string> {
  let out = "";
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} never listened: ${out}`)), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`${what} exited with ${code}: ${out}`));
    });
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /"url":"(https:\/\/[^"]+)".*tenant-guard listening/.exec(out);
      if (m?.[1]) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
}
