// What the server holds: a directory backend that yields the current view and says whether it is
// ready. Backends swap or update their index; the server never caches the view across requests.
import type { ApiLedger } from "../quota/api-ledger.ts";
import type { TenantView } from "./view.ts";

export interface Readiness {
  readonly ready: boolean;
  /** Why not ready, or the last reload problem (kept state is still served). */
  readonly reason?: string;
  /** What a healthy directory does not do on this cluster (kinds it does not serve): said, not degraded. */
  readonly note?: string;
}

export interface DirectoryStatus extends Readiness {
  readonly counts: Readonly<Record<string, number>>;
}

/** The healthy answer, shared: readiness() is asked on every admission request. */
export const READY: Readiness = Object.freeze({ ready: true });

export interface Directory {
  readonly kind: "file" | "cluster" | "memory";
  /** Loads or starts syncing. Rejects when the initial input is unusable (bad file, bad kubeconfig). */
  start(): Promise<void>;
  view(): TenantView;
  /** The API-server ledger for spec.quota charges (cluster backend only). */
  readonly ledger?: ApiLedger;
  /** Whether reviews can be decided now; what every admission request asks (no counts built). */
  readiness(): Readiness;
  /** readiness() plus the object counts, for probes and /metrics. */
  status(): DirectoryStatus;
  close(): Promise<void>;
}
