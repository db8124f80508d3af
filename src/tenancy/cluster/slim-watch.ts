// client-node's Watch with three additions the directory needs: an Accept header (so service
// accounts, secrets, config maps and PVCs arrive as PartialObjectMetadata: secret data is never
// sent to us), bookmarks (cheap resourceVersion progress on quiet collections), and objects slimmed
// before ListWatch caches them. Hooks tell the informer when a watch opens, fails and delivers.
import type { KubeConfig } from "@kubernetes/client-node";
import { Watch } from "@kubernetes/client-node";
import type { Slimmer } from "./slim.ts";

const META_WATCH_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

export interface WatchHooks {
  /** A watch request is about to be sent (after a list, or to resume from a resourceVersion). */
  onWatchStart(): void;
  /** The watch answered 200 and streams. */
  onWatchOpen(): void;
  onEvent(type: string): void;
}

/** The same cluster and credentials, but every request it authenticates also carries `accept`. */
function withAccept(kc: KubeConfig, accept: string): KubeConfig {
  const wrapped = Object.create(kc) as KubeConfig;
  wrapped.applySecurityAuthentication = async (ctx) => {
    await kc.applySecurityAuthentication(ctx);
    ctx.setHeaderParam("Accept", accept);
  };
  return wrapped;
}

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;
type DoneCallback = (err: unknown) => void;

export class SlimWatch extends Watch {
  private readonly slim: Slimmer;
  private readonly hooks: WatchHooks;

  constructor(kc: KubeConfig, opts: { slim: Slimmer; hooks: WatchHooks; metadataOnly: boolean }) {
    super(opts.metadataOnly ? withAccept(kc, META_WATCH_ACCEPT) : kc);
    this.slim = opts.slim;
    this.hooks = opts.hooks;
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: DoneCallback,
  ): Promise<AbortController> {
    this.hooks.onWatchStart();
    let failed = false;
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, obj) => {
        this.hooks.onEvent(String(phase));
        // ERROR carries a Status (410 Gone -> relist) and BOOKMARK only a resourceVersion: pass as is.
        const slimmed =
          phase === "ADDED" || phase === "MODIFIED" || phase === "DELETED" ? this.slim(obj) : obj;
        callback(phase, slimmed);
      },
      (err) => {
        if (err) failed = true;
        done(err);
      },
    );
    if (!failed) this.hooks.onWatchOpen();
    return controller;
  }
}
