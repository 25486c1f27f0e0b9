// The events the server POSTs to the host application (WEBHOOK_URL), in the Standard Webhooks
// format: headers webhook-id, webhook-timestamp and webhook-signature, and a body
// `{ type, timestamp, data }` whose data is, by type, one of these.
import { z } from 'zod';
import { invitationSchema, meetingSchema, participantSchema, recordingSchema } from './objects.js';

const participantEvent = z.object({ meetingId: z.uuid(), participant: participantSchema });

export const WEBHOOK_EVENT_DATA = {
  'meeting.started': z.object({ meeting: meetingSchema }),
  'meeting.ended': z.object({
    meeting: meetingSchema,
    /** From start to end, in whole seconds (0 for a meeting ended before it started). */
    durationS: z.int().min(0),
    /** People who connected at some point, each counted once. */
    participantCount: z.int().min(0),
    chatMessageCount: z.int().min(0),
  }),
  'participant.joined': participantEvent,
  'participant.left': participantEvent,
  'recording.ready': z.object({
    recording: recordingSchema,
    /** GET …/recordings/:recordingId/file; absolute when the server knows its PUBLIC_URL. */
    downloadUrl: z.string(),
  }),
  'invitation.created': z.object({ invitation: invitationSchema }),
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_DATA;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_DATA) as [WebhookEventType, ...WebhookEventType[]];

export type WebhookEventData<T extends WebhookEventType> = z.output<(typeof WEBHOOK_EVENT_DATA)[T]>;

/** A webhook's body, as the host application receives it. */
export type WebhookEvent = { [T in WebhookEventType]: { type: T; timestamp: string; data: WebhookEventData<T> } }[WebhookEventType];

const event = <T extends WebhookEventType>(type: T) => z.object({ type: z.literal(type), timestamp: z.iso.datetime(), data: WEBHOOK_EVENT_DATA[type] });

/** The body's schema, for a receiver that validates what it gets. */
export const webhookEventSchema = z.discriminatedUnion('type', [
  event('meeting.started'),
  event('meeting.ended'),
  event('participant.joined'),
  event('participant.left'),
  event('recording.ready'),
  event('invitation.created'),
]);
