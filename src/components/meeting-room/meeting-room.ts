import { defineElement } from '../../internal/define.js';
import { MeetingRoom, type MeetingJoinRequestDetail, type MeetingPhaseChangeDetail } from './meeting-room.component.js';

export * from './meeting-room.component.js';

defineElement('meeting-room', MeetingRoom);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-room': MeetingRoom;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-join-request': CustomEvent<MeetingJoinRequestDetail>;
    'meeting-phase-change': CustomEvent<MeetingPhaseChangeDetail>;
  }
}
