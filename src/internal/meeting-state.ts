// The Lit side of the core: an element holds the meeting state through this reactive controller,
// which subscribes while the element is connected and asks for an update on every change.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeetingController } from '../core/controller/meeting-controller.js';
import type { MeetingState } from '../core/controller/state.js';

export class MeetingStateController implements ReactiveController {
  value: MeetingState | undefined;
  private source: MeetingController | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Follows `controller` from now on (or nothing, when undefined). */
  follow(controller: MeetingController | undefined): void {
    if (controller === this.source) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.source = controller;
    this.value = undefined;
    if (this.connected) this.listen();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private listen(): void {
    if (!this.source || this.unsubscribe) return;
    this.unsubscribe = this.source.subscribe((state) => {
      this.value = state;
      this.host.requestUpdate();
    });
  }
}
