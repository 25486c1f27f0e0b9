// The demo page: what a host site does around the widget. It signs the host in with the server's
// development sign-in, creates a meeting, and shares a link that lets guests join anonymously.
import '../src/index.js';

const room = document.querySelector('meeting-room');
const startForm = document.querySelector<HTMLFormElement>('#start');
const startError = document.querySelector('#start-error');
const share = document.querySelector<HTMLElement>('#share');
const shareLink = document.querySelector<HTMLAnchorElement>('#share-link');
const copy = document.querySelector<HTMLButtonElement>('#copy');
const log = document.querySelector('#event-log');

const api = `${location.origin}/api/v1`;
const hostTokenKey = (meetingId: string) => `meeting-widget-demo:host:${meetingId}`;

function record(name: string, detail: unknown): void {
  const item = document.createElement('li');
  item.textContent = `${name} ${JSON.stringify(detail)}`;
  log?.prepend(item);
}

for (const name of [
  'meeting-join-request',
  'meeting-phase-change',
  'meeting-leave-request',
  'meeting-joined',
  'meeting-left',
  'meeting-ended',
  'meeting-error',
  'meeting-participant-joined',
  'meeting-participant-left',
  'meeting-chat-message',
  'meeting-hand-raised',
] as const) {
  document.addEventListener(name, (event) => {
    record(name, event.detail);
  });
}

function openMeeting(meetingId: string): void {
  if (!room) return;
  const hostToken = sessionStorage.getItem(hostTokenKey(meetingId));
  // The tab that created the meeting joins as its host; everyone else arrives as a guest.
  if (hostToken) room.auth = () => Promise.resolve(hostToken);
  room.meetingId = meetingId;
  const link = new URL(location.href);
  link.search = `?meeting=${encodeURIComponent(meetingId)}`;
  if (shareLink && share) {
    shareLink.href = link.href;
    shareLink.textContent = link.href;
    share.hidden = false;
  }
}

async function startMeeting(form: FormData): Promise<void> {
  const typed = form.get('name');
  const name = (typeof typed === 'string' ? typed.trim() : '') || 'Host';
  const session = await fetch(`${api}/dev/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${String(Date.now())}@demo.localhost` }),
  });
  if (!session.ok) throw new Error(`sign-in failed (${String(session.status)})`);
  const { token } = (await session.json()) as { token: string };
  const created = await fetch(`${api}/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: `${name}'s meeting`, policy: { allowAnonymous: true, waitingRoom: form.get('waitingRoom') === 'on' } }),
  });
  if (!created.ok) throw new Error(`could not create the meeting (${String(created.status)})`);
  const meeting = (await created.json()) as { id: string };
  sessionStorage.setItem(hostTokenKey(meeting.id), token);
  history.replaceState(null, '', `?meeting=${encodeURIComponent(meeting.id)}`);
  if (room) room.displayName = name;
  openMeeting(meeting.id);
}

const existing = new URLSearchParams(location.search).get('meeting');
if (existing) {
  openMeeting(existing);
} else if (startForm) {
  startForm.hidden = false;
  startForm.addEventListener('submit', (event) => {
    event.preventDefault();
    startMeeting(new FormData(startForm)).then(
      () => {
        startForm.hidden = true;
      },
      (error: unknown) => {
        if (startError) startError.textContent = (error as Error).message;
      },
    );
  });
}

copy?.addEventListener('click', () => {
  if (shareLink) void navigator.clipboard.writeText(shareLink.href).then(() => (copy.textContent = 'Copied'));
});
