// What the server holds: a directory backend that yields the current view and says whether it is
// ready. Backends swap or update their index; the server never caches the view across requests.
import type { TenantView } from "./view.ts";

export interface DirectoryStatus {
  readonly ready: boolean;
  /** Why not ready, or the last reload problem (kept state is still served). */
  readonly reason?: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface Directory {
  readonly kind: "file" | "cluster" | "memory";
  /** Loads or starts syncing. Rejects when the initial input is unusable (bad file, bad kubeconfig). */
  start(): Promise<void>;
  view(): TenantView;
  status(): DirectoryStatus;
  close(): Promise<void>;
}
