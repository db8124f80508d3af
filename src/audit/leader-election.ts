// One replica runs the background audit: the one holding a coordination.k8s.io/v1 Lease, with
// client-go's leaderelection semantics. A candidate tries every retryPeriod (jittered, factor 1.2);
// it takes the Lease when it is absent, released (no holder) or not renewed for leaseDuration as
// this replica observed it (local clock from when the record last changed, never the holder's
// renewTime: clocks differ). The leader renews every retryPeriod and stops leading when no renewal
// succeeded for renewDeadline (< leaseDuration, so it stops before another can take over). Every
// write carries the resourceVersion it read: of two candidates, the API server lets one win.
import type { Logger } from "pino";
import type { Lease, LeaseClient, LeaseSpec } from "./lease-client.ts";

export interface LeaderElectionOptions {
  readonly client: LeaseClient;
  /** This replica's name in holderIdentity (the pod name, from the downward API). */
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  readonly log: Logger;
  readonly now?: () => number;
}

/** client-go's wait.JitterUntil factor for the acquire loop. */
const JITTER = 1.2;

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

export class LeaderElector {
  private readonly o: LeaderElectionOptions;
  private readonly now: () => number;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  /** The record as last read or written, and when (local clock) it last changed. */
  private observed: { lease: Lease; raw: string } | undefined;
  private observedAt = 0;
  private lastRenewAt = 0;
  private wonWhileStopping = false;

  constructor(o: LeaderElectionOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.schedule(0);
  }

  /**
   * Stops trying. The leader stops leading first and then, unless `release` is false (a crash, in
   * tests), hands the Lease back as client-go's ReleaseOnCancel does: no holder, 1 s duration.
   */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inflight;
    if (!this.leading && !this.wonWhileStopping) return;
    if (this.leading) {
      this.leading = false;
      this.o.onStoppedLeading();
    }
    if (!release || this.observed === undefined) return;
    const now = microTime(this.now());
    const spec: LeaseSpec = {
      holderIdentity: "",
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: this.observed.lease.spec.leaseTransitions ?? 0,
    };
    try {
      await this.o.client.update(this.observed.lease.resourceVersion, spec);
      this.o.log.info({ identity: this.o.identity }, "background audit lease released");
    } catch (e) {
      this.o.log.warn(
        { err: e },
        "background audit lease not released: another replica takes over when it expires",
      );
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inflight = this.tick().finally(() => (this.inflight = undefined));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch (e) {
      this.o.log.warn({ err: e }, "background audit lease: request failed");
    }
    if (this.stopped) {
      // Won as stop() began: never lead, but hand the Lease back rather than make others wait.
      this.wonWhileStopping = ok && !this.leading;
      return;
    }
    const now = this.now();
    if (ok) {
      this.lastRenewAt = now;
      if (!this.leading) {
        this.leading = true;
        this.o.log.info(
          { identity: this.o.identity },
          "background audit lease acquired: this replica runs the audit",
        );
        this.o.onStartedLeading();
      }
    } else if (this.leading && now - this.lastRenewAt >= this.o.renewDeadlineMs) {
      this.leading = false;
      this.o.log.warn(
        { identity: this.o.identity, renewDeadlineMs: this.o.renewDeadlineMs },
        "background audit lease lost: not renewed within the renew deadline",
      );
      this.o.onStoppedLeading();
    }
    const period = this.o.retryPeriodMs;
    this.schedule(this.leading ? period : period + Math.random() * JITTER * period);
  }

  private observe(lease: Lease): void {
    const raw = JSON.stringify(lease.spec);
    if (this.observed?.raw !== raw) this.observedAt = this.now();
    this.observed = { lease, raw };
  }

  /** client-go's tryAcquireOrRenew: true when this replica holds the Lease after the call. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const me = this.o.identity;
    const fresh: LeaseSpec = {
      holderIdentity: me,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    const current = await this.o.client.get();
    if (current === undefined) {
      const made = await this.o.client.create(fresh);
      if (!made.ok) return false;
      this.observe(made.lease);
      return true;
    }
    this.observe(current);
    const old = current.spec;
    const holder = old.holderIdentity ?? "";
    const durationMs = (old.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== "" && holder !== me && this.observedAt + durationMs > now) return false;
    const spec: LeaseSpec =
      holder === me
        ? {
            ...fresh,
            acquireTime: old.acquireTime ?? fresh.acquireTime,
            leaseTransitions: old.leaseTransitions ?? 0,
          }
        : { ...fresh, leaseTransitions: (old.leaseTransitions ?? 0) + 1 };
    const written = await this.o.client.update(current.resourceVersion, spec);
    if (!written.ok) return false;
    this.observe(written.lease);
    return true;
  }
}
