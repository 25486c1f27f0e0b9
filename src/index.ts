/**
 * meeting-widget: importing this module registers every element of the widget.
 */
export * from './components/meeting-room/meeting-room.js';
export { MeetingElement, type MeetingEventMap } from './internal/meeting-element.js';
export { registerMessages, translate } from './i18n/translate.js';
export type { Catalogue, MessageKey } from './i18n/catalogue.js';
export * from './core/index.js';
