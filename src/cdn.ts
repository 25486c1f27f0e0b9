// Entry of the CDN bundle: the room, the lobby, the core, and every element registered.
// The call's elements (grid, tiles, control bar, chat, people) are not in this file: they arrive as a
// chunk beside it when the page is idle or at join, as livekit-client does, so a page renders the
// lobby from the entry alone. Their classes are then `customElements.get('participant-grid')` etc.
import { preloadCallView } from './components/meeting-room/call-loader.js';

export * from './components/meeting-room/meeting-room.js';
export * from './components/meeting-lobby/meeting-lobby.js';
export * from './components/meeting-settings/meeting-settings.js';
export type * from './components/meeting-card/meeting-card.component.js';
export type * from './components/participant-grid/participant-grid.component.js';
export type * from './components/participant-tile/participant-tile.component.js';
export type * from './components/meeting-controls/meeting-controls.component.js';
export type * from './components/meeting-chat/meeting-chat.component.js';
export type * from './components/meeting-participants/meeting-participants.component.js';
export { MeetingElement, type MeetingEventMap } from './internal/meeting-element.js';
// The French catalogue is a chunk of its own, fetched when an element speaks French (elements wait
// for it before they render); translate('fr', …) from the page answers in French once loadMessages('fr') resolved.
export { loadMessages, registerMessages, translate } from './i18n/translate.js';
export type { Catalogue, MessageKey } from './i18n/catalogue.js';
export { errorMessageKey, type ErrorMessageKey } from './i18n/error-messages.js';
export * from './core/index.js';

// Elements of the call placed on a page on their own (a chat app's layout) are defined shortly after load.
preloadCallView();
// <meeting-card> is a chunk of its own, fetched at once: a page that shows the room never waits for
// it, and a chat page that shows cards gets them one request after the entry. Until it arrives a
// card is an undefined element, upgraded where it stands (in a shadow root too) when it is defined.
void import('./components/meeting-card/meeting-card.js');
