// A chat app that adds calls to a channel: it signs its user in, starts (or reuses) the channel's
// meeting and drops <meeting-room> beside the conversation. Call events flow back into the channel.
//
// The sign-in is shaped like Supabase's: the app holds a session object and hands the widget
// `supabaseAuth(client)`, exactly what an app on Supabase writes. Here the "client" wraps the
// server's development sign-in, so the demo needs no Supabase project.
import '../src/index.js';
import { supabaseAuth, type SupabaseAuthLike } from '../src/core/supabase.js';

const api = `${location.origin}/api/v1`;
const channelKey = 'meeting-widget-demo:channel-meeting';
const signInForm = document.querySelector<HTMLFormElement>('#sign-in');
const callButton = document.querySelector<HTMLButtonElement>('#call');
const pane = document.querySelector<HTMLElement>('#call-pane');
const messages = document.querySelector('#messages');
const composer = document.querySelector<HTMLFormElement>('#composer');

let session: { access_token: string; expires_at: number; user: { name: string } } | null = null;

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

async function signIn(name: string): Promise<NonNullable<typeof session>> {
  const res = await fetch(`${api}/dev/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@chat.demo.localhost` }),
  });
  if (!res.ok) throw new Error(`sign-in failed (${String(res.status)})`);
  const { token } = (await res.json()) as { token: string };
  return { access_token: token, expires_at: Math.floor(Date.now() / 1000) + 3600, user: { name } };
}

function post(author: string, text: string): void {
  const item = document.createElement('li');
  const who = document.createElement('strong');
  who.textContent = author;
  item.append(who, ` ${text}`);
  messages?.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

/** The channel's meeting: one per channel, created by whoever calls first. */
async function channelMeeting(): Promise<string> {
  const known = localStorage.getItem(channelKey);
  if (known) {
    const res = await fetch(`${api}/meetings/${known}`, { headers: { authorization: `Bearer ${session?.access_token ?? ''}` } });
    const meeting = res.ok ? ((await res.json()) as { status: string }) : null;
    if (meeting && meeting.status !== 'ended') return known;
  }
  const res = await fetch(`${api}/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session?.access_token ?? ''}` },
    body: JSON.stringify({ title: '#design-review call', policy: { joinBeforeHost: true, allowAnonymous: false } }),
  });
  if (!res.ok) throw new Error(`could not start the call (${String(res.status)})`);
  const { id } = (await res.json()) as { id: string };
  localStorage.setItem(channelKey, id);
  return id;
}

async function startCall(): Promise<void> {
  if (!pane || !session) return;
  const meetingId = await channelMeeting();
  pane.replaceChildren();
  const room = document.createElement('meeting-room');
  room.auth = supabaseAuth(supabaseLike);
  room.server = location.origin;
  room.meetingId = meetingId;
  room.displayName = session.user.name;
  // The user already said they want to call: straight in, the lobby is for a plain page.
  room.skipLobby = true;
  room.addEventListener('meeting-joined', () => post('📞', `${session?.user.name ?? 'Someone'} joined the call.`));
  room.addEventListener('meeting-participant-joined', (event) => post('📞', `${event.detail.name} joined the call.`));
  room.addEventListener('meeting-participant-left', (event) => post('📞', `${event.detail.name} left the call.`));
  room.addEventListener('meeting-chat-message', (event) => post(`${event.detail.displayName} (call)`, event.detail.text));
  const close = () => {
    pane.hidden = true;
    pane.replaceChildren();
    if (callButton) callButton.disabled = false;
  };
  room.addEventListener('meeting-left', close);
  room.addEventListener('meeting-ended', () => {
    post('📞', 'The call ended.');
    close();
  });
  room.addEventListener('meeting-error', (event) => post('⚠️', `Call failed: ${event.detail.message}`));
  pane.append(room);
  pane.hidden = false;
  if (callButton) callButton.disabled = true;
}

signInForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  const typed = new FormData(signInForm).get('name');
  const name = typeof typed === 'string' && typed.trim() !== '' ? typed.trim() : 'Riya';
  signIn(name).then(
    (fresh) => {
      session = fresh;
      signInForm.hidden = true;
      if (callButton) callButton.disabled = false;
      post('👋', `Signed in as ${name}.`);
    },
    (error: unknown) => post('⚠️', (error as Error).message),
  );
});

callButton?.addEventListener('click', () => {
  startCall().catch((error: unknown) => post('⚠️', (error as Error).message));
});

composer?.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = composer.querySelector('input');
  if (input && input.value.trim() !== '') post(session?.user.name ?? 'You', input.value.trim());
  if (input) input.value = '';
});
