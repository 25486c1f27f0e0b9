import { defineElement } from '../../internal/define.js';
import { MeetingBreakouts } from './meeting-breakouts.component.js';

export * from './meeting-breakouts.component.js';

defineElement('meeting-breakouts', MeetingBreakouts);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-breakouts': MeetingBreakouts;
  }
}
