import { defineElement } from '../../internal/define.js';
import { MeetingCardElement } from './meeting-card.component.js';

export * from './meeting-card.component.js';

defineElement('meeting-card', MeetingCardElement);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-card': MeetingCardElement;
  }
}
