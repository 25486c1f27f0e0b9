// Recording: whether the meeting is being recorded (as the media server says, whoever started it)
// and the host's start and stop. A recording already running on arrival is state, not news.
import type { Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';

export interface RecordingUnit {
  set(on: boolean): Promise<void>;
  bind(room: Room, lk: LiveKit): void;
  /** The state found on connecting: no event. */
  baseline(active: boolean): void;
}

export function setupRecording(ctx: CoreContext): RecordingUnit {
  const became = (active: boolean): void => {
    const was = ctx.state.recording;
    if (was.active === active) return;
    ctx.patch({ recording: { ...was, active } });
    ctx.events.emit(active ? 'recording-started' : 'recording-stopped', { at: Date.now() });
  };

  return {
    async set(on) {
      if (!ctx.state.abilities.record) throw new MeetingError('FEATURE_DISABLED', 'Recording is not allowed for you in this meeting.', 403);
      ctx.patch({ recording: { ...ctx.state.recording, pending: true } });
      try {
        await (on ? ctx.api.startRecording(ctx.meetingId) : ctx.api.stopRecording(ctx.meetingId));
        ctx.patch({ recording: { ...ctx.state.recording, pending: false } });
        became(on);
      } catch (error) {
        ctx.patch({ recording: { ...ctx.state.recording, pending: false } });
        throw error;
      }
    },
    bind(room, lk) {
      ctx.listeners.on(room, lk.RoomEvent.RecordingStatusChanged, ((active: boolean) => {
        became(active);
      }));
    },
    baseline(active) {
      ctx.patch({ recording: { active, pending: false } });
    },
  };
}
