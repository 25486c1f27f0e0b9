// The Lit side of the core: an element holds the meeting state (or the one slice of it that it
// renders) through these reactive controllers, which subscribe while the element is connected and
// ask for an update when what they follow changes, and only then.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeetingController } from '../core/controller/meeting-controller.js';
import type { MeetingState } from '../core/controller/state.js';
import type { Equality } from '../core/controller/store.js';

/**
 * Follows one slice of the meeting state: `value` is `selector(state)`, and the host updates only
 * when it changes by `equals` (`Object.is` by default). A tile selects its own participant:
 *
 *     private readonly view = new MeetingSelectController(this, (s) => s.participants.find((p) => p.identity === this.identity));
 *
 * When the selector depends on a property of the host (the tile's `identity`), call `reselect()`
 * after that property changes (e.g. in `willUpdate`).
 */
export class MeetingSelectController<S> implements ReactiveController {
  value: S | undefined;
  private source: MeetingController | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly selector: (state: MeetingState) => S,
    private readonly equals: Equality<S> = Object.is,
  ) {
    host.addController(this);
  }

  /** Follows `controller` from now on (or nothing, when undefined). */
  follow(controller: MeetingController | undefined): void {
    if (controller === this.source) return;
    this.release();
    this.source = controller;
    this.value = undefined;
    if (this.connected) this.listen();
    this.host.requestUpdate();
  }

  /** Applies the selector again now (its inputs on the host changed); updates the host only if the slice did. */
  reselect(): void {
    if (!this.source || !this.connected) return;
    this.release();
    this.listen();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.release();
  }

  private listen(): void {
    if (!this.source || this.unsubscribe) return;
    let first = true;
    const had = this.value;
    this.unsubscribe = this.source.select(
      this.selector,
      (slice) => {
        const initial = first;
        first = false;
        this.value = slice;
        // The first call is the current slice: an update only if it differs from what was shown.
        if (initial && had !== undefined && this.equals(had, slice)) return;
        this.host.requestUpdate();
      },
      this.equals,
    );
  }

  private release(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

/** The whole meeting state: every change updates the host. Elements that render one part should select it instead. */
export class MeetingStateController extends MeetingSelectController<MeetingState> {
  constructor(host: ReactiveControllerHost) {
    super(host, (state) => state);
  }
}
