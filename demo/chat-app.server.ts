// The chat-app demo's own backend, as small as a chat app's could be: one channel kept in memory,
// pushed to its pages as server-sent events, and the endpoint where the token server delivers its
// outgoing webhooks (Standard Webhooks, verified with the `standardwebhooks` library over the raw
// body). What the webhooks say becomes messages: an invitation for the invitee, a summary after a
// call, a recording with a player. `npm start` mounts it (scripts/start.ts) and points WEBHOOK_URL here.
import express, { Router, type Response } from 'express';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { webhookEventSchema } from '../src/contract/webhooks.js';

export const CHAT_DEMO_PATH = '/chat-demo';
/** Where the token server's webhooks go, under CHAT_DEMO_PATH. */
export const CHAT_DEMO_HOOKS = `${CHAT_DEMO_PATH}/hooks`;

/** A message of the channel, as the page renders it. */
export type ChannelMessage = { id: number; at: string } & (
  | { kind: 'text'; author: string; text: string }
  | { kind: 'call'; author: string; meetingId: string; title: string }
  | { kind: 'invitation'; meetingId: string; email: string | null; userId: string | null }
  | { kind: 'summary'; meetingId: string; title: string; durationS: number; participantCount: number; chatMessageCount: number; names: string[] }
  | { kind: 'recording'; meetingId: string; recordingId: string; title: string; downloadUrl: string }
);

type Draft = ChannelMessage extends infer M ? (M extends ChannelMessage ? Omit<M, 'id' | 'at'> : never) : never;

const postBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), author: z.string().trim().min(1).max(80), text: z.string().trim().min(1).max(2000) }),
  z.strictObject({ kind: z.literal('call'), author: z.string().trim().min(1).max(80), meetingId: z.uuid(), title: z.string().trim().min(1).max(200) }),
]);

/** Most messages the channel keeps. */
const HISTORY = 200;
/** Webhook ids remembered, so a delivery that comes again (at least once) posts nothing twice. */
const SEEN_IDS = 1000;

interface Listener {
  res: Response;
  email: string | null;
  userId: string | null;
}

/** The demo's routes, and `drain()` to end its pages' streams at shutdown (they never end on their own). */
export function chatAppRoutes(options: { webhookSecret: string; log?: (line: string) => void }): { router: Router; drain: () => void } {
  const router = Router();
  const verifier = new Webhook(options.webhookSecret);
  const messages: ChannelMessage[] = [];
  const listeners = new Set<Listener>();
  const seen: string[] = [];
  /** What the demo learns of each meeting from the webhooks: its title and who came. */
  const meetings = new Map<string, { title: string; names: Set<string> }>();
  let nextId = 1;

  const visibleTo = (message: ChannelMessage, listener: Listener) =>
    message.kind !== 'invitation' || (message.email !== null && message.email === listener.email) || (message.userId !== null && message.userId === listener.userId);

  const send = (listener: Listener, message: ChannelMessage) => {
    if (visibleTo(message, listener)) listener.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  };

  const post = (draft: Draft): ChannelMessage => {
    const message = { ...draft, id: nextId++, at: new Date().toISOString() };
    messages.push(message);
    if (messages.length > HISTORY) messages.shift();
    for (const listener of listeners) send(listener, message);
    return message;
  };

  const meeting = (id: string, title?: string) => {
    let known = meetings.get(id);
    if (!known) {
      known = { title: title ?? 'Call', names: new Set() };
      meetings.set(id, known);
    }
    if (title !== undefined) known.title = title;
    return known;
  };

  // The channel, live: what was said so far, then each new message. Invitations only reach the invitee.
  router.get(`${CHAT_DEMO_PATH}/stream`, (req, res) => {
    const email = typeof req.query.email === 'string' ? req.query.email.toLowerCase() : null;
    const userId = typeof req.query.userId === 'string' ? req.query.userId : null;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' });
    const listener: Listener = { res, email, userId };
    for (const message of messages) send(listener, message);
    listeners.add(listener);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.once('close', () => {
      clearInterval(heartbeat);
      listeners.delete(listener);
    });
  });

  router.post(`${CHAT_DEMO_PATH}/messages`, express.json({ limit: '16kb' }), (req, res) => {
    const parsed = postBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'Not a message of this channel.', details: parsed.error.issues } });
      return;
    }
    if (parsed.data.kind === 'call') meeting(parsed.data.meetingId, parsed.data.title);
    res.status(201).json(post(parsed.data));
  });

  // The token server's webhooks. The signature is checked over the raw body, before any parsing.
  router.post(CHAT_DEMO_HOOKS, express.text({ type: () => true, limit: '256kb' }), (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    let verified: unknown;
    try {
      verified = verifier.verify(body, req.headers as Record<string, string>);
    } catch {
      res.status(400).json({ error: { code: 'INVALID_SIGNATURE', message: 'The webhook signature does not verify.' } });
      return;
    }
    const webhookId = req.get('webhook-id') ?? '';
    if (seen.includes(webhookId)) {
      res.status(204).end();
      return;
    }
    seen.push(webhookId);
    if (seen.length > SEEN_IDS) seen.shift();
    const event = webhookEventSchema.safeParse(verified);
    // A type this demo does not know yet (a newer server): accepted, so it is not sent again.
    if (!event.success) {
      res.status(204).end();
      return;
    }
    const { type, data } = event.data;
    options.log?.(`webhook ${type}`);
    switch (type) {
      case 'meeting.started':
        meeting(data.meeting.id, data.meeting.title);
        break;
      case 'participant.joined':
        meeting(data.meetingId).names.add(data.participant.displayName);
        break;
      case 'participant.left':
        break;
      case 'invitation.created':
        post({ kind: 'invitation', meetingId: data.invitation.meetingId, email: data.invitation.email?.toLowerCase() ?? null, userId: data.invitation.userId });
        break;
      case 'meeting.ended': {
        const known = meeting(data.meeting.id, data.meeting.title);
        post({
          kind: 'summary',
          meetingId: data.meeting.id,
          title: data.meeting.title,
          durationS: data.durationS,
          participantCount: data.participantCount,
          chatMessageCount: data.chatMessageCount,
          names: [...known.names],
        });
        break;
      }
      case 'recording.ready':
        post({ kind: 'recording', meetingId: data.recording.meetingId, recordingId: data.recording.id, title: meeting(data.recording.meetingId).title, downloadUrl: data.downloadUrl });
        break;
    }
    res.status(204).end();
  });

  const drain = () => {
    for (const listener of listeners) listener.res.end();
    listeners.clear();
  };
  return { router, drain };
}
