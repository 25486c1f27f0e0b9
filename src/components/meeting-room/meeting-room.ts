import { defineElement } from '../../internal/define.js';
import {
  MeetingRoom,
  type MeetingBreakoutBroadcastDetail,
  type MeetingChatMessageDetail,
  type MeetingEndedDetail,
  type MeetingErrorDetail,
  type MeetingHandRaisedDetail,
  type MeetingJoinedDetail,
  type MeetingLeftDetail,
  type MeetingParticipantDetail,
  type MeetingPhaseChangeDetail,
  type MeetingPollDetail,
  type MeetingReconnectedDetail,
  type MeetingReconnectingDetail,
  type MeetingRecordingDetail,
} from './meeting-room.component.js';

export * from './meeting-room.component.js';

defineElement('meeting-room', MeetingRoom);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-room': MeetingRoom;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-phase-change': CustomEvent<MeetingPhaseChangeDetail>;
    'meeting-joined': CustomEvent<MeetingJoinedDetail>;
    'meeting-left': CustomEvent<MeetingLeftDetail>;
    'meeting-ended': CustomEvent<MeetingEndedDetail>;
    'meeting-error': CustomEvent<MeetingErrorDetail>;
    'meeting-participant-joined': CustomEvent<MeetingParticipantDetail>;
    'meeting-participant-left': CustomEvent<MeetingParticipantDetail>;
    'meeting-chat-message': CustomEvent<MeetingChatMessageDetail>;
    'meeting-hand-raised': CustomEvent<MeetingHandRaisedDetail>;
    'meeting-reconnecting': CustomEvent<MeetingReconnectingDetail>;
    'meeting-reconnected': CustomEvent<MeetingReconnectedDetail>;
    'meeting-recording-started': CustomEvent<MeetingRecordingDetail>;
    'meeting-recording-stopped': CustomEvent<MeetingRecordingDetail>;
    'meeting-poll-opened': CustomEvent<MeetingPollDetail>;
    'meeting-poll-closed': CustomEvent<MeetingPollDetail>;
    'meeting-breakout-broadcast': CustomEvent<MeetingBreakoutBroadcastDetail>;
  }
}
