import { defineElement } from '../../internal/define.js';
import { MeetingChat } from './meeting-chat.component.js';

export * from './meeting-chat.component.js';

defineElement('meeting-chat', MeetingChat);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-chat': MeetingChat;
  }
}
