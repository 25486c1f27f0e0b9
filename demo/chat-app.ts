// A chat app that adds calls to a channel. "Start a call" creates a meeting and posts it to the
// channel as a live <meeting-card>; everyone in the channel sees the card follow the call (live,
// who is in, ended) and joins with its Join button, which opens the <meeting-room> beside the
// conversation. The demo's backend (demo/chat-app.server.ts) keeps the channel and turns the
// meeting server's webhooks into messages: invitations for the invitee, a summary after the call,
// the recording with a player.
//
// The sign-in is shaped like Supabase's: the app holds a session object and hands the widget
// `supabaseAuth(client)`, exactly what an app on Supabase writes. Here the "client" wraps the
// server's development sign-in, so the demo needs no Supabase project.
import '../src/index.js';
import type { MeetingCardElement } from '../src/components/meeting-card/meeting-card.component.js';
import type { MeetingRoom } from '../src/components/meeting-room/meeting-room.component.js';
import { supabaseAuth, type SupabaseAuthLike } from '../src/core/supabase.js';
import type { ChannelMessage } from './chat-app.server.js';

const api = `${location.origin}/api/v1`;
const signInForm = document.querySelector<HTMLFormElement>('#sign-in');
const meLine = document.querySelector<HTMLElement>('#me');
const callButton = document.querySelector<HTMLButtonElement>('#call');
const inviteForm = document.querySelector<HTMLFormElement>('#invite');
const room = document.querySelector<MeetingRoom>('#call-room');
const messages = document.querySelector('#messages');
const composer = document.querySelector<HTMLFormElement>('#composer');

type Session = { access_token: string; expires_at: number; user: { name: string; email: string; userId: string } };
let session: Session | null = null;
/** The call this page started last: the one the invite form invites to. */
let currentCall: string | null = null;

/** The piece of a Supabase client the widget uses, over the demo's sign-in. */
const supabaseLike: SupabaseAuthLike = {
  auth: {
    getSession: () => Promise.resolve({ data: { session } }),
    refreshSession: async () => {
      if (session) session = await signIn(session.user.name);
      return { data: { session } };
    },
  },
};
/** One bearer provider for the room and every card: cards of one server share one connection. */
const auth = supabaseAuth(supabaseLike);

const emailOf = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@chat.demo.localhost`;

async function signIn(name: string): Promise<Session> {
  const email = emailOf(name);
  const res = await fetch(`${api}/dev/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email }),
  });
  if (!res.ok) throw new Error(`sign-in failed (${String(res.status)})`);
  const { token, userId } = (await res.json()) as { token: string; userId: string };
  return { access_token: token, expires_at: Math.floor(Date.now() / 1000) + 3600, user: { name, email, userId } };
}

async function bearerFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await auth();
  return fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

function item(className: string, author: string, ...content: Array<Node | string>): HTMLLIElement {
  const li = document.createElement('li');
  if (className) li.className = className;
  const who = document.createElement('strong');
  who.textContent = author;
  li.append(who, ' ', ...content);
  messages?.append(li);
  li.scrollIntoView({ block: 'nearest' });
  return li;
}

/** A line only this page shows (what this user did, what their call told them). */
function notice(author: string, text: string): void {
  item('', author, text);
}

function card(meetingId: string): MeetingCardElement {
  const el = document.createElement('meeting-card');
  el.server = location.origin;
  el.meetingId = meetingId;
  el.room = 'call-room';
  el.auth = auth;
  return el;
}

function minutes(seconds: number): string {
  if (seconds < 60) return `${String(seconds)} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${String(m)} min` : `${String(Math.floor(m / 60))} h ${String(m % 60)} min`;
}

/** The recording message: a player and a download link, the file fetched with the user's bearer. */
function recordingMessage(message: Extract<ChannelMessage, { kind: 'recording' }>): void {
  const video = document.createElement('video');
  video.controls = true;
  video.preload = 'metadata';
  const link = document.createElement('a');
  link.textContent = 'Download';
  link.download = `recording-${message.recordingId}.webm`;
  link.href = message.downloadUrl;
  const status = document.createElement('span');
  status.className = 'muted';
  status.textContent = 'Loading the file…';
  const li = item('recording', '⏺ Recording', `${message.title} `, link, ' ', status, video);
  li.dataset.recordingId = message.recordingId;
  // A <video> cannot send a bearer: the file is fetched with it, then played from memory.
  bearerFetch(message.downloadUrl).then(
    async (res) => {
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
        status.textContent = `The file is not available (${body?.error?.code ?? String(res.status)}).`;
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      video.src = url;
      link.href = url;
      status.textContent = '';
    },
    () => (status.textContent = 'The file could not be loaded.'),
  );
}

function render(message: ChannelMessage): void {
  switch (message.kind) {
    case 'text':
      item('', message.author, message.text);
      break;
    case 'call':
      item('call', message.author, `started a call: ${message.title}`, card(message.meetingId));
      break;
    case 'invitation':
      item('invitation', '✉ Invitation', 'You are invited to this call:', card(message.meetingId));
      break;
    case 'summary': {
      const who = message.names.length > 0 ? ` (${message.names.join(', ')})` : '';
      const people = `${String(message.participantCount)} ${message.participantCount === 1 ? 'person' : 'people'} came${who}`;
      const chat = `${String(message.chatMessageCount)} chat message${message.chatMessageCount === 1 ? '' : 's'}`;
      item('summary', '📞 Call ended', `${message.title}: ${minutes(message.durationS)}, ${people}, ${chat}.`).dataset.meetingId = message.meetingId;
      break;
    }
    case 'recording':
      recordingMessage(message);
      break;
  }
}

/** The channel as the demo's backend pushes it; EventSource reconnects by itself. */
function followChannel(user: Session['user']): void {
  const query = new URLSearchParams({ email: user.email, userId: user.userId });
  const source = new EventSource(`/chat-demo/stream?${query.toString()}`);
  source.addEventListener('message', (event) => render(JSON.parse((event as MessageEvent<string>).data) as ChannelMessage));
}

async function postToChannel(body: Record<string, string>): Promise<void> {
  const res = await fetch('/chat-demo/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`the message could not be posted (${String(res.status)})`);
}

/** Opens the room on `meetingId`, as a card's Join does by default. */
function openRoom(meetingId: string): void {
  if (!room) return;
  room.auth = auth;
  room.server = location.origin;
  room.meetingId = meetingId;
  room.hidden = false;
}

async function startCall(): Promise<void> {
  if (!session) return;
  const title = '#design-review call';
  const res = await bearerFetch(`${api}/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, policy: { joinBeforeHost: true, allowAnonymous: false } }),
  });
  if (!res.ok) throw new Error(`could not start the call (${String(res.status)})`);
  const { id } = (await res.json()) as { id: string };
  currentCall = id;
  if (inviteForm) inviteForm.hidden = false;
  await postToChannel({ kind: 'call', author: session.user.name, meetingId: id, title });
  // Whoever starts the call is in it at once; the others join from the card.
  openRoom(id);
}

if (room) {
  room.addEventListener('meeting-joined', () => notice('📞', `${session?.user.name ?? 'Someone'} joined the call.`));
  room.addEventListener('meeting-participant-joined', (event) => notice('📞', `${event.detail.name} joined the call.`));
  room.addEventListener('meeting-participant-left', (event) => notice('📞', `${event.detail.name} left the call.`));
  room.addEventListener('meeting-chat-message', (event) => notice(`${event.detail.displayName} (call)`, event.detail.text));
  const close = () => {
    room.hidden = true;
    // The next Join, even of the same meeting, starts afresh.
    room.meetingId = '';
  };
  room.addEventListener('meeting-left', close);
  room.addEventListener('meeting-ended', close);
  room.addEventListener('meeting-error', (event) => notice('⚠️', `Call failed: ${event.detail.message}`));
}

signInForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  const typed = new FormData(signInForm).get('name');
  const name = typeof typed === 'string' && typed.trim() !== '' ? typed.trim() : 'Riya';
  signIn(name).then(
    (fresh) => {
      session = fresh;
      signInForm.hidden = true;
      if (meLine) {
        meLine.textContent = `Signed in as ${name}`;
        meLine.hidden = false;
      }
      if (room) room.displayName = name;
      if (callButton) callButton.disabled = false;
      notice('👋', `Signed in as ${name}.`);
      followChannel(fresh.user);
    },
    (error: unknown) => notice('⚠️', (error as Error).message),
  );
});

callButton?.addEventListener('click', () => {
  startCall().catch((error: unknown) => notice('⚠️', (error as Error).message));
});

inviteForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = inviteForm.querySelector('input');
  const name = input?.value.trim() ?? '';
  if (!currentCall || name === '') return;
  bearerFetch(`${api}/meetings/${currentCall}/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emails: [emailOf(name)] }),
  }).then(
    (res) => notice('✉', res.ok ? `Invited ${name}: they get a message.` : `Could not invite ${name} (${String(res.status)}).`),
    (error: unknown) => notice('⚠️', (error as Error).message),
  );
  if (input) input.value = '';
});

composer?.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = composer.querySelector('input');
  const text = input?.value.trim() ?? '';
  if (text !== '' && session) postToChannel({ kind: 'text', author: session.user.name, text }).catch((error: unknown) => notice('⚠️', (error as Error).message));
  else if (text !== '') notice('You', text);
  if (input) input.value = '';
});
