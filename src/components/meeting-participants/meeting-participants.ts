import { defineElement } from '../../internal/define.js';
import { MeetingParticipants } from './meeting-participants.component.js';

export * from './meeting-participants.component.js';

defineElement('meeting-participants', MeetingParticipants);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-participants': MeetingParticipants;
  }
}
