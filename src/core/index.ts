/**
 * meeting-widget/core: the framework-agnostic engine of the widget. No DOM element registration and
 * no Lit in here, so an app with its own UI can use it directly.
 */
export { computeGridLayout, type GridLayout, type GridLayoutOptions } from './layout/grid-layout.js';
export { orderParticipants, pageSizeFor, paginate, type OrderInput, type Page, type PageSizeOptions } from './layout/paging.js';
export { MeetingApiClient, type AuthProvider, type MeetingApiClientOptions } from './api/meeting-api-client.js';
export { MeetingError, isMeetingError } from './api/meeting-error.js';
export { CardFeed, cardFeedFor, MAX_MEETINGS_PER_STREAM, type CardFeedOptions, type CardListener, type CardUpdate } from './cards/card-feed.js';
export type * from './api/types.js';
export { MeetingController, BREAKOUTS_TOPIC, CHAT_TOPIC, POLLS_TOPIC, REACTION_TOPIC, type MeetingControllerOptions, type RoomFactory } from './controller/meeting-controller.js';
export type * from './controller/state.js';
export type * from './controller/events.js';
export { Store, shallowEqual, type Equality, type Listener } from './controller/store.js';
export { preloadLiveKit } from './controller/livekit.js';
