import { defineElement } from '../../internal/define.js';
import { MeetingRoom, type MeetingJoinRequestDetail } from './meeting-room.component.js';

export * from './meeting-room.component.js';

defineElement('meeting-room', MeetingRoom);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-room': MeetingRoom;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-join-request': CustomEvent<MeetingJoinRequestDetail>;
  }
}
