import { defineElement } from '../../internal/define.js';
import { MeetingCardElement, type MeetingCardJoinDetail } from './meeting-card.component.js';

export * from './meeting-card.component.js';

defineElement('meeting-card', MeetingCardElement);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-card': MeetingCardElement;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-card-join': CustomEvent<MeetingCardJoinDetail>;
  }
}
