// The stdout sink (src/log-sink.ts) against real file descriptors: a file, and a FIFO opened
// non-blocking so a reader that stops reading gives the real EAGAIN and partial writes.
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LineSink, stdoutTarget, type LineSinkOptions } from "../../src/log-sink.ts";
import { createLogger, flushLogger, stdoutSink } from "../../src/log.ts";
import { waitFor } from "../support/wait.ts";

const dirs: string[] = [];
const fds: number[] = [];
const sinks: LineSink[] = [];
afterEach(() => {
  for (const s of sinks.splice(0)) s.close();
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tg-sink-"));
  dirs.push(d);
  return d;
}
function open(path: string, flags: number): number {
  const fd = openSync(path, flags);
  fds.push(fd);
  return fd;
}
let syncMode = false;
function sink(fd: number, o: Partial<LineSinkOptions> = {}): LineSink {
  const s = new LineSink({
    fd,
    batchChars: 1024,
    flushEveryMs: 20,
    maxPendingBytes: 1 << 20,
    droppedLine: (n) => `{"dropped":${n}}\n`,
    syncWrites: syncMode,
    ...o,
  });
  sinks.push(s);
  return s;
}
const line = (i: number): string => `{"n":${i},"pad":"${"x".repeat(90)}"}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ["thread-pool writes", false],
  ["synchronous non-blocking writes", true],
])("LineSink, %s", (_mode, syncWrites) => {
  beforeEach(() => {
    syncMode = syncWrites;
  });

  it("writes every line to the file once and in order, in batches", async () => {
    const path = join(tempDir(), "out.log");
    const s = sink(open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND));
    for (let i = 0; i < 2000; i++) expect(s.write(line(i))).toBe(true);
    const want = Array.from({ length: 2000 }, (_, i) => line(i)).join("");
    await waitFor("all lines written", () => readFileSync(path, "utf8").length === want.length);
    expect(readFileSync(path, "utf8")).toBe(want);
  });

  it("writes a lone line within flushEveryMs, and flushSync writes at once", async () => {
    const path = join(tempDir(), "out.log");
    const s = sink(open(path, constants.O_WRONLY | constants.O_CREAT), { batchChars: 1 << 20 });
    s.write("first\n");
    expect(readFileSync(path, "utf8")).toBe("");
    await waitFor("the lone line", () => readFileSync(path, "utf8") === "first\n", 1000);
    const slow = sink(open(join(tempDir(), "b.log"), constants.O_WRONLY | constants.O_CREAT), {
      batchChars: 1 << 20,
      flushEveryMs: 60_000,
    });
    slow.write("a\n");
    slow.write("b\n");
    expect(slow.waiting).toBe(2);
    slow.flushSync();
    expect(slow.waiting).toBe(0);
  });

  it("survives a stalled reader: EAGAIN and partial writes keep order, overflow is counted and reported", async () => {
    const fifo = join(tempDir(), "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    // 256 KiB may wait: more than the pipe's 64 KiB, far less than what is written
    const s = sink(writer, { maxPendingBytes: 256 * 1024 });
    const total = 8000; // ~800 KB of lines while nobody reads
    let accepted = 0;
    for (let i = 0; i < total; i++) {
      if (s.write(line(i))) accepted++;
      if (i % 500 === 0) await sleep(1); // let writes start, fill the pipe and hit EAGAIN
    }
    expect(accepted).toBeLessThan(total);
    expect(accepted).toBeGreaterThan(2000);

    let got = "";
    const buf = Buffer.alloc(65536);
    const drain = (): void => {
      try {
        got += buf.toString("utf8", 0, readSync(reader, buf));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e; // empty for now
      }
    };
    await waitFor(
      "the dropped-lines report",
      () => {
        drain();
        return got.includes('{"dropped":');
      },
      5000,
    );
    await waitFor("every accepted line", () => {
      drain();
      return s.waiting === 0 && got.endsWith("\n") && got.split("\n").length - 1 === accepted + 1;
    });
    const lines = got.trimEnd().split("\n");
    const report = lines.filter((l) => l.startsWith('{"dropped":'));
    expect(report).toEqual([`{"dropped":${total - accepted}}`]);
    // every accepted line arrived once, and in the order written
    const ns = lines
      .filter((l) => !l.startsWith('{"dropped":'))
      .map((l) => (JSON.parse(l) as { n: number }).n);
    expect(ns).toHaveLength(accepted);
    for (let i = 1; i < ns.length; i++) expect(ns[i]).toBeGreaterThan(ns[i - 1] as number);
  });

  it("stops writing, without throwing, once stdout is gone (EPIPE)", async () => {
    const fifo = join(tempDir(), "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const s = sink(open(fifo, constants.O_WRONLY | constants.O_NONBLOCK), { batchChars: 10 });
    closeSync(reader);
    expect(s.write(line(1))).toBe(true); // the write starts and fails with EPIPE
    await waitFor("writes refused after EPIPE", () => s.write(line(2)) === false);
    expect(() => s.flushSync()).not.toThrow();
  });

  it("is what createLogger writes to: flushLogger empties it synchronously", () => {
    const path = join(tempDir(), "out.log");
    const fd = open(path, constants.O_WRONLY | constants.O_CREAT);
    const dest = stdoutSink(fd);
    sinks.push(dest);
    const log = createLogger("info", dest);
    log.info({ route: "/validate" }, "review");
    expect(readFileSync(path, "utf8")).toBe("");
    flushLogger(log);
    const written = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    expect(written).toMatchObject({ level: 30, service: "tenant-guard", route: "/validate", msg: "review" });
  });
});

describe("stdoutTarget", () => {
  it("writes a file or /dev/null synchronously, on the same fd", () => {
    const file = open(join(tempDir(), "out.log"), constants.O_WRONLY | constants.O_CREAT);
    expect(stdoutTarget(file)).toEqual({ fd: file, syncWrites: true });
    const devNull = open("/dev/null", constants.O_WRONLY);
    expect(stdoutTarget(devNull)).toEqual({ fd: devNull, syncWrites: true });
  });

  it("reopens a pipe as its own non-blocking handle, and a full pipe never blocks", async () => {
    const fifo = join(tempDir(), "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const blocking = open(fifo, constants.O_WRONLY); // as a container runtime hands fd 1 over
    const t = stdoutTarget(blocking);
    fds.push(t.fd);
    expect(t.syncWrites).toBe(true);
    expect(t.fd).not.toBe(blocking);
    expect(fstatSync(t.fd).ino).toBe(fstatSync(blocking).ino);
    // 1 MB into a 64 KiB pipe nobody reads: with a blocking fd this would hang the test
    const s = sink(t.fd, { syncWrites: true, maxPendingBytes: 128 * 1024 });
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) if (s.write(line(i))) accepted++;
    expect(accepted).toBeLessThan(10_000);
    const buf = Buffer.alloc(65536);
    expect(readSync(reader, buf)).toBeGreaterThan(0); // what did fit arrived
  });

  it("keeps a terminal-less socket or anything it cannot classify on the thread pool", () => {
    expect(stdoutTarget(-1)).toEqual({ fd: -1, syncWrites: false });
  });
});
