import { defineElement } from '../../internal/define.js';
import { MeetingLobby, type MeetingJoinRequestDetail } from './meeting-lobby.component.js';

export * from './meeting-lobby.component.js';

defineElement('meeting-lobby', MeetingLobby);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-lobby': MeetingLobby;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-join-request': CustomEvent<MeetingJoinRequestDetail>;
  }
}
