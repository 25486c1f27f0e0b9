// Everyone's microphone plays, whichever page their tile is on: one <audio> per remote participant
// with a subscribed microphone, kept by identity in the room's hidden audio container.
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { KeyedChildren } from '../../internal/keyed-children.js';
import { MediaBinder } from '../../internal/media.js';

export class RoomAudio {
  private readonly binders = new WeakMap<HTMLAudioElement, MediaBinder>();
  private readonly players = new KeyedChildren<HTMLAudioElement>(
    () => {
      const audio = document.createElement('audio');
      audio.autoplay = true;
      return audio;
    },
    (audio) => this.binders.get(audio)?.release(),
  );

  /** Makes `container` play the microphones `state` has subscribed; none outside the call. */
  sync(container: Element | null, controller: MeetingController | undefined, state: MeetingState | undefined): void {
    if (!container) {
      this.players.clear();
      return;
    }
    const wanted = new Map<string, string>();
    if (state && (state.phase === 'connected' || state.phase === 'reconnecting')) {
      for (const p of state.participants) {
        if (!p.isLocal && p.microphone.trackSid && p.microphone.subscribed) wanted.set(p.identity, p.microphone.trackSid);
      }
    }
    this.players.place(container, [...wanted.keys()], (audio, identity) => {
      let binder = this.binders.get(audio);
      if (!binder) this.binders.set(audio, (binder = new MediaBinder(audio)));
      binder.set({ controller, identity, source: 'microphone', track: wanted.get(identity) });
    });
    this.players.prune(new Set(wanted.keys()));
  }

  clear(): void {
    this.players.clear();
  }
}
