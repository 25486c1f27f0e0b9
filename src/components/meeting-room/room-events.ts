// The DOM events <meeting-room> fires for the host page, by name, with their details. Each one is
// the core's typed news event passed on (see room-news.ts); none is derived from state snapshots.
import type { ChatMessage, Poll, Role } from '../../core/api/types.js';
import type { Phase, PhaseReason } from '../../core/controller/state.js';

export interface MeetingJoinedDetail {
  meetingId: string;
  /** The local participant's LiveKit identity. */
  identity: string;
  role: Role;
}

export interface MeetingLeftDetail {
  /** `LEFT` when the user left; otherwise why the call ended for them (removed, connection lost...). */
  reason: PhaseReason | undefined;
}

export interface MeetingEndedDetail {
  reason: PhaseReason | undefined;
}

export interface MeetingErrorDetail {
  /** A stable code: the server's (`MEETING_NOT_FOUND`, `ADMISSION_DENIED`, ...) or the widget's. */
  code: string;
  /** What the widget tells the user, in its language (the catalogue's `error.<code>`). */
  message: string;
  /** Values the message may name, e.g. `{ max: 80 }`. */
  params: Readonly<Record<string, string | number>>;
}

export interface MeetingParticipantDetail {
  identity: string;
  name: string;
}

export interface MeetingChatMessageDetail extends ChatMessage {
  /** True for the messages this user sent. */
  isLocal: boolean;
}

export interface MeetingHandRaisedDetail {
  identity: string;
  name: string;
  /** False when the hand goes down again. */
  raised: boolean;
}

export interface MeetingPhaseChangeDetail {
  phase: Phase;
  /** The phase before this one. */
  previous: Phase;
  /** Why, for `left`, `ended`, `denied` and `error`. */
  reason: PhaseReason | undefined;
}

export interface MeetingReconnectingDetail {
  /** Rejoins tried so far (0 while the connection resumes on its own). */
  attempt: number;
}

export interface MeetingReconnectedDetail {
  /** How long the call was away, in milliseconds. */
  afterMs: number;
}

export interface MeetingRecordingDetail {
  /** When the room's recording state changed (ms since epoch). */
  at: number;
}

export interface MeetingPollDetail extends Poll {
  /** True when this user started the poll (`meeting-poll-opened`) or closed it (`meeting-poll-closed`). */
  isLocal: boolean;
}

export interface MeetingBreakoutBroadcastDetail {
  /** The host's message, as the server sent it (trimmed, 1..500 characters). */
  text: string;
  /** The name its sender is in the meeting under. */
  from: string;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-phase-change': MeetingPhaseChangeDetail;
    'meeting-joined': MeetingJoinedDetail;
    'meeting-left': MeetingLeftDetail;
    'meeting-ended': MeetingEndedDetail;
    'meeting-error': MeetingErrorDetail;
    'meeting-participant-joined': MeetingParticipantDetail;
    'meeting-participant-left': MeetingParticipantDetail;
    'meeting-chat-message': MeetingChatMessageDetail;
    'meeting-hand-raised': MeetingHandRaisedDetail;
    'meeting-reconnecting': MeetingReconnectingDetail;
    'meeting-reconnected': MeetingReconnectedDetail;
    'meeting-recording-started': MeetingRecordingDetail;
    'meeting-recording-stopped': MeetingRecordingDetail;
    'meeting-poll-opened': MeetingPollDetail;
    'meeting-poll-closed': MeetingPollDetail;
    'meeting-breakout-broadcast': MeetingBreakoutBroadcastDetail;
  }
}
