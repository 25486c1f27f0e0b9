import { defineElement } from '../../internal/define.js';
import { MeetingSettings } from './meeting-settings.component.js';

export * from './meeting-settings.component.js';

defineElement('meeting-settings', MeetingSettings);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-settings': MeetingSettings;
  }
}
