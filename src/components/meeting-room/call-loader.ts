// The call view and the elements of the call (grid, tiles, control bar, chat, people) on demand:
// the lobby renders without them, and they arrive as a chunk of their own, fetched when the page is
// idle or at join, like livekit-client. Bundlers split it off through this dynamic import.
import { whenIdle } from '../../core/controller/livekit.js';

export type CallModule = typeof import('./call-view.js');

let loading: Promise<CallModule> | undefined;

/** The call view's module, fetched once; a failed fetch is tried again on the next call. */
export function loadCallView(): Promise<CallModule> {
  loading ??= import('./call-view.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Starts fetching the call view when the browser has nothing better to do. */
export function preloadCallView(): void {
  if (loading) return;
  whenIdle(() => {
    void loadCallView().catch(() => undefined);
  });
}
