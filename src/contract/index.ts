// The wire contract of the token/policy server, defined once. The server imports the schemas (to
// validate and to generate docs/openapi.json); the widget imports only the types, with
// `import type`, and the permission rules (./permissions.ts), which need no validator.
import type { z } from 'zod';
import type * as objects from './objects.js';
import type * as requests from './requests.js';

export * from './permissions.js';
export * from './policy.js';
export * from './objects.js';
export * from './requests.js';
export { DISPLAY_NAME_MAX, normaliseDisplayName, cleanDisplayName } from './display-name.js';

export type MeetingStatus = z.output<typeof objects.meetingStatusSchema>;
export type MediaSource = z.output<typeof objects.mediaSourceSchema>;
export type Meeting = z.output<typeof objects.meetingSchema>;
export type MeetingStatusInfo = z.output<typeof objects.meetingStatusInfoSchema>;
export type Admission = z.output<typeof objects.admissionSchema>;
export type Waiting = z.output<typeof objects.waitingSchema>;
export type WaitingAnswer = z.output<typeof objects.waitingAnswerSchema>;
export type Waiter = z.output<typeof objects.waiterSchema>;
export type WaitingDecision = z.output<typeof objects.waitingDecisionSchema>;
export type Participant = z.output<typeof objects.participantSchema>;
export type Invitation = z.output<typeof objects.invitationSchema>;
export type Recording = z.output<typeof objects.recordingSchema>;
export type Hand = z.output<typeof objects.handSchema>;
export type Removal = z.output<typeof objects.removalSchema>;
export type MuteResult = z.output<typeof objects.muteResultSchema>;
export type RemovalResult = z.output<typeof objects.removalResultSchema>;
export type ChatMessage = z.output<typeof objects.chatMessageSchema>;
export type SentChatMessage = z.output<typeof objects.sentChatMessageSchema>;
export type DevSession = z.output<typeof objects.devSessionSchema>;
export type MeetingCard = z.output<typeof objects.meetingCardSchema>;
export type Poll = z.output<typeof objects.pollSchema>;
export type PollOption = Poll['options'][number];
export type PollVoter = NonNullable<Poll['voters']>[number];
/** What it takes to start a poll, before the server's defaults apply. */
export type PollInput = z.input<typeof requests.pollBody>;
export type BreakoutSession = z.output<typeof objects.breakoutSessionSchema>;
export type BreakoutRoom = BreakoutSession['rooms'][number];
export type BreakoutToken = z.output<typeof objects.breakoutTokenSchema>;
/** What it takes to open breakout rooms. */
export type BreakoutInput = z.input<typeof requests.breakoutBody>;
export { ROUTES, type RouteKey, type RouteShape, type SuccessStatus, type AnswerOf, type BodyOf } from './routes.js';
export { WEBHOOK_EVENT_DATA, WEBHOOK_EVENT_TYPES, webhookEventSchema, type WebhookEvent, type WebhookEventData, type WebhookEventType } from './webhooks.js';
