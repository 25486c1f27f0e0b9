// The one place where a participant's track meets a <video> or <audio> element: the tile's video and
// the lobby preview bind through the `media()` directive, the room's audio elements through a
// MediaBinder directly; attaching, switching to another track and detaching are written once.
import { nothing } from 'lit';
import { AsyncDirective, directive, PartType, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import type { MeetingController } from '../core/controller/meeting-controller.js';
import type { TrackSourceName } from '../core/controller/state.js';

export interface MediaBinding {
  controller: MeetingController | undefined;
  /** The participant's identity; `''` is the local preview before joining. */
  identity: string;
  source: TrackSourceName;
  /**
   * What is to be shown, e.g. the track sid: a change re-attaches, `undefined` detaches. It is not
   * read otherwise, so the lobby can pass "camera on" and a tile the sid of the subscribed track.
   */
  track: string | undefined;
}

/** Keeps one element attached to the track a binding names. */
export class MediaBinder {
  private bound: MediaBinding | undefined;
  private detach: (() => void) | undefined;

  constructor(readonly element: HTMLMediaElement) {}

  /** Attaches what `binding` names, unless it is what is attached already. */
  set(binding: MediaBinding): void {
    const b = this.bound;
    if (b && this.detach && b.controller === binding.controller && b.identity === binding.identity && b.source === binding.source && b.track === binding.track) return;
    this.release();
    this.bound = binding;
    if (binding.controller && binding.track !== undefined) this.detach = binding.controller.attach(binding.identity, binding.source, this.element);
  }

  /** Attaches the last binding again (after `release()`). */
  restore(): void {
    if (this.bound) this.set(this.bound);
  }

  release(): void {
    this.detach?.();
    this.detach = undefined;
  }
}

class MediaDirective extends AsyncDirective {
  private binder: MediaBinder | undefined;
  private latest: MediaBinding | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('media() goes on a <video> or <audio> element.');
  }

  render(_binding: MediaBinding) {
    return nothing;
  }

  override update(part: ElementPart, [binding]: [MediaBinding]) {
    this.binder ??= new MediaBinder(part.element as HTMLMediaElement);
    this.latest = binding;
    if (this.isConnected) this.binder.set(binding);
    return nothing;
  }

  protected override disconnected(): void {
    this.binder?.release();
  }

  protected override reconnected(): void {
    if (this.latest) this.binder?.set(this.latest);
  }
}

/** Binds a participant's track to the element it is placed on: `<video ${media({...})}>`. */
export const media = directive(MediaDirective);
