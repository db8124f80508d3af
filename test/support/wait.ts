// Polling for tests that wait on something asynchronous (a file written, a directory synced).

/** Polls until `check` returns (or resolves to) a value other than undefined/false; fails with
 * `what` after timeoutMs. An async check (a review through the server) is awaited each time. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
