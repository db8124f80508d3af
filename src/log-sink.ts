// Where the logger's lines go: stdout in batches, never blocking the event loop. Not sonic-boom's
// async mode: it measures every pending line's bytes again on each write (bench/README.md,
// "Stand-ins measured"). Lines are kept in an array and joined once per batch; at most one write
// is outstanding, so lines leave in order. Where stdout's writes cannot block (a pipe opened
// non-blocking, a file, /dev/null: see stdoutTarget) a batch is written synchronously; elsewhere it
// goes through libuv's thread pool. A stdout that does not keep up (a stalled log pipe) costs
// memory only up to `maxPendingBytes`: past that, lines are counted and dropped, and the count is
// logged as soon as stdout moves again.
import { constants, fstatSync, openSync, statSync, write, writeSync } from "node:fs";
import { isatty } from "node:tty";

export interface LineSinkOptions {
  readonly fd: number;
  /** Start a write once this many characters are waiting. */
  readonly batchChars: number;
  /** ...or this long after the first waiting line, so operators still see lines at once. */
  readonly flushEveryMs: number;
  /** Waiting plus in-flight bytes past which new lines are dropped (and counted). */
  readonly maxPendingBytes: number;
  /** The line that reports `n` dropped lines, ending in "\n". */
  readonly droppedLine: (n: number) => string;
  /** writeSync instead of the thread pool: only for an fd whose writes never block. */
  readonly syncWrites?: boolean;
}

/** EAGAIN on a non-blocking pipe: retry after this long. */
const RETRY_MS = 10;
/** flushSync gives a stuck stdout this long before it gives up (it runs at exit). */
const SYNC_PATIENCE_MS = 1000;

export class LineSink {
  private lines: string[] = [];
  private waitingChars = 0;
  private inFlight: Buffer | undefined;
  private dropped = 0;
  private broken: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly opts: LineSinkOptions;

  constructor(opts: LineSinkOptions) {
    this.opts = opts;
    this.timer = setInterval(() => this.startIfWaiting(), opts.flushEveryMs);
    this.timer.unref();
  }

  /** pino's destination interface. Returns false when the line was dropped. */
  write(line: string): boolean {
    if (this.broken !== undefined || this.waitingChars + this.inFlightBytes() > this.opts.maxPendingBytes) {
      this.dropped++;
      return false;
    }
    this.lines.push(line);
    this.waitingChars += line.length;
    if (this.waitingChars >= this.opts.batchChars && this.inFlight === undefined) this.startWrite();
    return true;
  }

  /** pino's flush(): everything waiting is written synchronously, then `cb` is called. */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  /** Starts writing what waits, unless a write is already in flight (its completion continues). */
  private startIfWaiting(): void {
    if (this.inFlight === undefined && (this.lines.length > 0 || this.dropped > 0)) this.startWrite();
  }

  /**
   * Writes everything waiting synchronously, for exits. A thread-pool write in flight completes on
   * its own; a synchronous one waiting for a full pipe to drain is written first.
   */
  flushSync(): void {
    const stuck = this.opts.syncWrites === true ? this.inFlight : undefined;
    if (stuck !== undefined) this.inFlight = undefined;
    const chunk = this.take();
    if (chunk === undefined && stuck === undefined) return;
    const rest = chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk, "utf8");
    let buf = stuck === undefined ? rest : Buffer.concat([stuck, rest]);
    const giveUp = Date.now() + SYNC_PATIENCE_MS;
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(this.opts.fd, buf));
      } catch (e) {
        if (!isBusy(e) || Date.now() > giveUp) return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_MS);
      }
    }
  }

  /** Lines waiting (tests). */
  get waiting(): number {
    return this.lines.length;
  }

  close(): void {
    clearInterval(this.timer);
    this.flushSync();
  }

  private inFlightBytes(): number {
    return this.inFlight === undefined ? 0 : this.inFlight.length;
  }

  /** The waiting lines as one string (the dropped-lines report first), or undefined if none. */
  private take(): string | undefined {
    if (this.lines.length === 0 && this.dropped === 0) return undefined;
    const report = this.dropped > 0 ? this.opts.droppedLine(this.dropped) : "";
    this.dropped = 0;
    const chunk = report + this.lines.join("");
    this.lines = [];
    this.waitingChars = 0;
    return chunk;
  }

  private startWrite(): void {
    const chunk = this.take();
    if (chunk !== undefined) this.send(Buffer.from(chunk, "utf8"));
  }

  private send(buf: Buffer): void {
    this.inFlight = buf;
    if (this.opts.syncWrites !== true) {
      write(this.opts.fd, buf, 0, buf.length, null, (err, n) => this.written(buf, err, n));
      return;
    }
    let n: number;
    try {
      n = writeSync(this.opts.fd, buf);
    } catch (e) {
      this.written(buf, e as NodeJS.ErrnoException, 0);
      return;
    }
    this.written(buf, null, n);
  }

  /** A full pipe: try the rest again shortly, lines keep queueing behind it (in order, bounded). */
  private retryLater(buf: Buffer): void {
    this.inFlight = buf;
    setTimeout(() => {
      if (this.inFlight === buf) this.send(buf); // unless flushSync took it
    }, RETRY_MS).unref();
  }

  private written(buf: Buffer, err: NodeJS.ErrnoException | null, n: number): void {
    if (err !== null) {
      if (isBusy(err)) {
        this.retryLater(buf);
        return;
      }
      // EPIPE, EBADF: stdout is gone for good. Stop writing; lines from now on are only counted.
      this.broken = err;
      this.inFlight = undefined;
      this.lines = [];
      this.waitingChars = 0;
      return;
    }
    if (n < buf.length) {
      // synchronous and short: the pipe is full, and asking again at once would spin
      if (this.opts.syncWrites === true) this.retryLater(buf.subarray(n));
      else this.send(buf.subarray(n));
      return;
    }
    this.inFlight = undefined;
    if (this.waitingChars >= this.opts.batchChars || this.dropped > 0) this.startWrite();
  }
}

/**
 * The fd to write stdout's lines to, and whether its writes can be synchronous without ever
 * blocking: a pipe (a container's log pipe) is reopened through /proc with O_NONBLOCK - our own
 * handle, fd 1's flags stay as they are - and a file or /dev/null never blocks. A terminal, a
 * socket, or a pipe that cannot be reopened keeps fd 1 and the thread pool.
 */
export function stdoutTarget(fd = 1): { fd: number; syncWrites: boolean } {
  try {
    const st = fstatSync(fd);
    if (st.isFile()) return { fd, syncWrites: true };
    if (st.isCharacterDevice() && !isatty(fd) && st.rdev === statSync("/dev/null").rdev)
      return { fd, syncWrites: true };
    if (st.isFIFO()) {
      const own = openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK);
      return { fd: own, syncWrites: true };
    }
  } catch {
    // no /proc, or the pipe has no reader right now: the thread pool is always safe
  }
  return { fd, syncWrites: false };
}

function isBusy(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "EAGAIN" || code === "EBUSY";
}
