// "You are muted": notices the user talking while their microphone is muted in the call.
//
// The core reports the local level only in the lobby (`local.micLevel`), and the server's level for
// the local participant is zero while muted, since nothing is sent. Until the core reports a level
// while muted, this listens itself: a muted microphone track is still live, only disabled, so an
// enabled clone of it can be measured without sending anything.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeetingController } from '../core/controller/meeting-controller.js';
import { watchMicLevel } from '../core/media/mic-level.js';

/** Level (0..1, as watchMicLevel scales it) above room noise: a voice near the microphone. */
const SPEECH_LEVEL = 0.04;
/** This many loud samples (100 ms each) within the last WINDOW samples count as talking. */
const SPEECH_SAMPLES = 3;
const WINDOW = 20;
/** The hint stays this long after the talking stops. */
const HOLD_MS = 3000;

export class MutedSpeech implements ReactiveController {
  /** Whether the user is talking (or just was) with the microphone muted. */
  speaking = false;
  private watched: { controller: MeetingController; identity: string } | undefined;
  private stop: (() => void) | undefined;
  private hold: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /**
   * Listens while `muted` and the microphone track exists (a user who never turned the
   * microphone on has nothing to listen to, and is not told anything).
   */
  follow(controller: MeetingController | undefined, identity: string | undefined, muted: boolean, trackSid: string | undefined): void {
    const want = controller !== undefined && identity !== undefined && muted && trackSid !== undefined;
    if (want && this.watched?.controller === controller && this.watched.identity === identity) return;
    this.release();
    if (!want) return;
    this.watched = { controller, identity };
    const probe = document.createElement('audio');
    probe.muted = true;
    const detach = controller.attach(identity, 'microphone', probe);
    const source = probe.srcObject instanceof MediaStream ? probe.srcObject.getAudioTracks()[0] : undefined;
    if (!source || source.readyState === 'ended') {
      detach();
      return;
    }
    const clone = source.clone();
    clone.enabled = true;
    const recent: boolean[] = [];
    const stopLevel = watchMicLevel(clone, (level) => {
      recent.push(level >= SPEECH_LEVEL);
      if (recent.length > WINDOW) recent.shift();
      if (recent.filter(Boolean).length >= SPEECH_SAMPLES) this.heard();
    });
    this.stop = () => {
      stopLevel();
      clone.stop();
      detach();
      probe.srcObject = null;
    };
  }

  private heard(): void {
    clearTimeout(this.hold);
    this.hold = setTimeout(() => {
      this.speaking = false;
      this.host.requestUpdate();
    }, HOLD_MS);
    if (!this.speaking) {
      this.speaking = true;
      this.host.requestUpdate();
    }
  }

  private release(): void {
    this.stop?.();
    this.stop = undefined;
    this.watched = undefined;
    clearTimeout(this.hold);
    if (this.speaking) {
      this.speaking = false;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.release();
  }
}
