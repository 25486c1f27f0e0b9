import { defineElement } from '../../internal/define.js';
import { MeetingPolls } from './meeting-polls.component.js';

export * from './meeting-polls.component.js';

defineElement('meeting-polls', MeetingPolls);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-polls': MeetingPolls;
  }
}
