// In-memory backend for tests: a fixed set of objects, always ready.
import type { JsonRecord } from "../k8s/access.ts";
import { buildIndexFromObjects } from "./build.ts";
import { READY, type Directory, type DirectoryStatus, type Readiness } from "./directory.ts";
import type { TenantIndex } from "./tenant-index.ts";
import type { TenantView } from "./view.ts";

export class MemoryDirectory implements Directory {
  readonly kind = "memory" as const;
  private readonly index: TenantIndex;

  constructor(objects: readonly JsonRecord[], tenantLabel = "tenant-guard.dev/tenant") {
    this.index = buildIndexFromObjects(objects, tenantLabel);
  }

  async start(): Promise<void> {}
  view(): TenantView {
    return this.index;
  }
  readiness(): Readiness {
    return READY;
  }
  status(): DirectoryStatus {
    return { ready: true, counts: this.index.counts() };
  }
  async close(): Promise<void> {}
}
