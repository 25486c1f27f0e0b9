import { LitElement } from 'lit';

/**
 * Events the widget fires, by name, with the type of their `detail`. Elements add to this map
 * through declaration merging so `emit()` stays type-checked.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface MeetingEventMap {}

export interface EmitOptions {
  cancelable?: boolean;
}

/** Base class of every meeting-widget element. */
export class MeetingElement extends LitElement {
  /**
   * Fires a `meeting-*` event that bubbles out of shadow roots, so a host page can listen on any
   * ancestor. Returns false when a listener called `preventDefault()` on a cancelable event.
   */
  protected emit<K extends Extract<keyof MeetingEventMap, string>>(
    name: K,
    detail: MeetingEventMap[K],
    options: EmitOptions = {},
  ): boolean {
    const event = new CustomEvent(name, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: options.cancelable ?? false,
    });
    return this.dispatchEvent(event);
  }
}
