// livekit-client on demand. Nothing the elements import loads it statically: the lobby renders and
// previews the camera without it, and it arrives as its own chunk when the lobby is idle or at join.
import type * as LiveKitParts from './livekit-parts.js';

export type LiveKit = typeof LiveKitParts;

let loading: Promise<LiveKit> | undefined;

/** The livekit-client module, fetched once; a failed fetch is tried again on the next call. */
export function loadLiveKit(): Promise<LiveKit> {
  loading ??= import('./livekit-parts.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Starts fetching livekit-client when the browser has nothing better to do. */
export function preloadLiveKit(): void {
  if (loading) return;
  whenIdle(() => {
    void loadLiveKit().catch(() => undefined);
  });
}

/** Runs `run` once the browser is idle (within 2 s), for code fetched ahead of need. */
export function whenIdle(run: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (run: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
