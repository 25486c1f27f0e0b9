/**
 * meeting-widget: importing this module registers every element of the widget.
 */
import { fr } from './i18n/fr.js';
import { provideCatalogue } from './i18n/translate.js';
export * from './components/meeting-room/meeting-room.js';
export * from './components/participant-grid/participant-grid.js';
export * from './components/participant-tile/participant-tile.js';
export * from './components/meeting-controls/meeting-controls.js';
export * from './components/meeting-chat/meeting-chat.js';
export * from './components/meeting-participants/meeting-participants.js';
export * from './components/meeting-polls/meeting-polls.js';
export * from './components/meeting-breakouts/meeting-breakouts.js';
export * from './components/meeting-settings/meeting-settings.js';
export * from './components/meeting-lobby/meeting-lobby.js';
export * from './components/meeting-card/meeting-card.js';
export { MeetingElement, type MeetingEventMap } from './internal/meeting-element.js';
export { loadMessages, registerMessages, translate } from './i18n/translate.js';
export type { Catalogue, MessageKey } from './i18n/catalogue.js';
export { errorMessageKey, type ErrorMessageKey } from './i18n/error-messages.js';
export * from './core/index.js';

// The package's entry carries French as it always has, so translate('fr', …) answers in French at
// once; the CDN entry fetches it on demand instead (src/cdn.ts).
provideCatalogue('fr', fr);
