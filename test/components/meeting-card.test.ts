// <meeting-card> against the real token server and the embedded media server: a card follows its
// meeting from scheduled to live (with the people in it) to ended; fifty cards share one event
// connection, which closes when they leave; Join is cancelable and its default actions work; the
// feed comes back after the server drops the stream; what an anonymous page may and may not see;
// axe in both themes and in French.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-card/meeting-card.js';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingCardElement, MeetingCardJoinDetail } from '../../src/components/meeting-card/meeting-card.component.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { cardFeedFor } from '../../src/core/cards/card-feed.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { createMeeting, restartTokenServer, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';
import { devToken, until } from '../support/room-driver.js';

const text = (card: Element) => (card.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (card: Element, name: string) => [...(card.shadowRoot?.querySelectorAll(`[part~="${name}"]`) ?? [])];

/** Every fetch of the card stream the page makes, and whether it was closed since. */
interface StreamFetch {
  url: string;
  closed: boolean;
}
const streamFetches: StreamFetch[] = [];
const realFetch = window.fetch.bind(window);
window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.includes('/api/v1/events?')) {
    const entry: StreamFetch = { url, closed: false };
    streamFetches.push(entry);
    init?.signal?.addEventListener('abort', () => (entry.closed = true), { once: true });
  }
  const answer = realFetch(input, init);
  if (init?.method === 'POST' && /\/meetings\/[^/]+\/join$/.test(url)) void answer.then(() => (lastJoinAnswer = performance.now()), () => undefined);
  return answer;
};
const openStreams = () => streamFetches.filter((f) => !f.closed);
/** When the server last answered a POST …/join: the moment the seat is taken, which a card then shows. */
let lastJoinAnswer = 0;

/** Opens a card stream as `token` from the test itself: 200, or the server's refusal (429 once the caller's cap is reached). */
async function probe(stack: Stack, token: string, meetingId: string): Promise<{ status: number; close: () => void }> {
  const abort = new AbortController();
  const res = await realFetch(`${stack.apiUrl}/api/v1/events?meetings=${meetingId}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (!res.ok) await res.body?.cancel();
  return { status: res.status, close: () => abort.abort() };
}

describe('<meeting-card>', function () {
  this.timeout(120000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    // Two streams per caller: the cards' one and one probe fit, a second probe is refused.
    stack = await startStack({ EVENT_STREAMS_PER_CALLER: '2' });
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await stopStack();
  });

  it('goes scheduled → live with the right count within 2 s of a join → ended with its duration', async () => {
    const hostApi = await signIn(stack, 'Carla');
    const meetingId = await createMeeting(hostApi);
    const token = await devToken(stack, 'Carla');
    const card = await fixture<MeetingCardElement>(html`<meeting-card server=${stack.apiUrl} meeting-id=${meetingId} .auth=${() => Promise.resolve(token)}></meeting-card>`);
    await until('the scheduled card', () => card.card?.status === 'scheduled');
    expect(text(card)).to.contain('Weekly sync').and.to.contain('Scheduled').and.to.contain('Nobody is in yet');
    expect(part(card, 'join-button')).to.have.length(1);
    await expect(card).to.be.accessible();

    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    const joinedAt = performance.now();
    lastJoinAnswer = 0;
    const joining = host.join({ displayName: 'Carla Host' });
    await until('the card live with one person', () => card.card?.status === 'active' && card.card.participantCount === 1, 10000);
    const shownAt = performance.now();
    const liveMs = shownAt - lastJoinAnswer;
    expect(lastJoinAnswer, 'the join was answered').to.be.above(0);
    expect(liveMs, 'ms from the join answer to the live card').to.be.below(2000);
    await joining;
    const connectedMs = performance.now() - joinedAt;
    expect(text(card)).to.contain('Live').and.to.contain('1 in the call');
    expect(part(card, 'avatar').map((a) => a.textContent)).to.deep.equal(['CH']);
    expect(part(card, 'time')[0]?.textContent).to.match(/^for \d+:\d\d$/);

    const guest = new MeetingController({ api: await signIn(stack, 'Dario'), meetingId });
    controllers.push(guest);
    lastJoinAnswer = 0;
    const second = guest.join({ displayName: 'Dario' });
    await until('the card with two people', () => card.card?.participantCount === 2, 10000);
    const secondMs = performance.now() - lastJoinAnswer;
    expect(secondMs, 'ms from the second join answer to the card').to.be.below(2000);
    await second;
    expect(text(card)).to.contain('2 in the call');
    expect(part(card, 'avatar').map((a) => a.textContent)).to.deep.equal(['CH', 'D']);
    console.log(`card update after a join: live with 1 person ${liveMs.toFixed(0)} ms after the server answered the join (${(shownAt - joinedAt).toFixed(0)} ms after join() was called; the call connected at ${connectedMs.toFixed(0)} ms); a second person ${secondMs.toFixed(0)} ms after their join was answered`);

    // The elapsed time ticks without any event from the server.
    const before = part(card, 'time')[0]?.textContent;
    await until('the elapsed time to tick', () => part(card, 'time')[0]?.textContent !== before, 3000);

    await host.end();
    await until('the card ended', () => card.card?.status === 'ended', 5000);
    expect(text(card)).to.contain('Ended').and.to.match(/lasted (less than a minute|\d+ min)/);
    expect(part(card, 'join-button')).to.have.length(0);
    await expect(card).to.be.accessible();
  });

  it('fifty cards open ONE connection, a card added later reopens it once, and removing them all closes it at the server', async () => {
    const hostApi = await signIn(stack, 'Fifty');
    const token = await devToken(stack, 'Fifty');
    const ids = await Promise.all(Array.from({ length: 51 }, () => createMeeting(hostApi)));
    const fifty = ids.slice(0, 50);
    const before = streamFetches.length;
    const box = await fixture<HTMLElement>(html`<div>
      ${fifty.map((id) => html`<meeting-card server=${stack.apiUrl} meeting-id=${id} .auth=${() => Promise.resolve(token)}></meeting-card>`)}
    </div>`);
    const cards = () => [...box.querySelectorAll<MeetingCardElement>('meeting-card')];
    await until('all fifty cards', () => cards().every((c) => c.card?.status === 'scheduled'), 15000);
    expect(streamFetches.length - before, 'fetches of the card stream').to.equal(1);
    expect(streamFetches.at(-1)?.url.split('meetings=')[1]?.split(',')).to.have.length(50);

    // At the server: the cards hold one of this caller's two streams, so one probe fits and a second does not.
    const first = await probe(stack, token, ids[0]!);
    const second = await probe(stack, token, ids[0]!);
    expect([first.status, second.status]).to.deep.equal([200, 429]);
    first.close();

    // One more card: the feed waits for the set to settle, then one new stream replaces the old one.
    const late = document.createElement('meeting-card');
    late.server = stack.apiUrl;
    late.meetingId = ids[50]!;
    late.auth = () => Promise.resolve(token);
    box.append(late);
    await until('the late card', () => late.card?.status === 'scheduled', 10000);
    expect(streamFetches.length - before, 'fetches after a card was added').to.equal(2);
    expect(streamFetches.at(-1)?.url.split('meetings=')[1]?.split(',')).to.have.length(51);
    expect(openStreams().length, 'streams open on the page').to.equal(1);

    // Moving a card within the page (disconnected and connected again at once) changes nothing.
    box.prepend(late);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(streamFetches.length - before, 'fetches after a card moved').to.equal(2);

    box.remove();
    await until('the page to close the stream', () => openStreams().length === 0, 2000);
    // At the server too: both of this caller's places are free again.
    let freed: Array<{ status: number; close: () => void }> = [];
    const deadline = Date.now() + 5000;
    for (;;) {
      freed.forEach((p) => p.close());
      freed = [await probe(stack, token, ids[0]!), await probe(stack, token, ids[0]!)];
      if (freed.every((p) => p.status === 200) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    freed.forEach((p) => p.close());
    expect(freed.map((p) => p.status)).to.deep.equal([200, 200]);
  });

  it("Join is cancelable; without preventDefault it goes to join-href, or opens the <meeting-room> named by room", async () => {
    const hostApi = await signIn(stack, 'Jules');
    const meetingId = await createMeeting(hostApi);
    const token = await devToken(stack, 'Jules');
    const auth = () => Promise.resolve(token);
    const box = await fixture<HTMLElement>(html`<div>
      <meeting-card id="to-href" server=${stack.apiUrl} meeting-id=${meetingId} join-href="#card-joined" .auth=${auth}></meeting-card>
      <meeting-card id="to-room" server=${stack.apiUrl} meeting-id=${meetingId} room="the-room" .auth=${auth}></meeting-card>
      <meeting-room id="the-room" hidden video="off" audio="off"></meeting-room>
    </div>`);
    const toHref = box.querySelector<MeetingCardElement>('#to-href')!;
    const toRoom = box.querySelector<MeetingCardElement>('#to-room')!;
    const room = box.querySelector<MeetingRoom>('#the-room')!;
    await until('both cards', () => toHref.card !== undefined && toRoom.card !== undefined);
    const seen: MeetingCardJoinDetail[] = [];
    let cancel = true;
    const onJoin = (event: CustomEvent<MeetingCardJoinDetail>) => {
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
      seen.push(event.detail);
      if (cancel) event.preventDefault();
    };
    document.addEventListener('meeting-card-join', onJoin);
    try {
      location.hash = '';
      (part(toHref, 'join-button')[0] as HTMLButtonElement).click();
      (part(toRoom, 'join-button')[0] as HTMLButtonElement).click();
      expect(seen.map((d) => [d.meetingId, d.joinHref, d.room, d.card.title])).to.deep.equal([
        [meetingId, '#card-joined', undefined, 'Weekly sync'],
        [meetingId, undefined, 'the-room', 'Weekly sync'],
      ]);
      expect(location.hash, 'no navigation after preventDefault').to.equal('');
      expect(room.hidden, 'the room stays hidden after preventDefault').to.equal(true);
      expect(room.meetingId).to.equal('');

      cancel = false;
      (part(toHref, 'join-button')[0] as HTMLButtonElement).click();
      expect(location.hash).to.equal('#card-joined');
      (part(toRoom, 'join-button')[0] as HTMLButtonElement).click();
      expect(room.hidden).to.equal(false);
      expect([room.server, room.meetingId]).to.deep.equal([stack.apiUrl, meetingId]);
      expect(room.auth, 'the room gets the card’s bearer').to.equal(auth);
    } finally {
      document.removeEventListener('meeting-card-join', onJoin);
      location.hash = '';
    }
  });

  it('a javascript: join-href never runs', async () => {
    const meetingId = await createMeeting(await signIn(stack, 'Xavier'));
    const token = await devToken(stack, 'Xavier');
    const card = await fixture<MeetingCardElement>(html`<meeting-card server=${stack.apiUrl} meeting-id=${meetingId} join-href="javascript:window.__ran=1" .auth=${() => Promise.resolve(token)}></meeting-card>`);
    await until('the card', () => card.card !== undefined);
    (part(card, 'join-button')[0] as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((window as unknown as { __ran?: number }).__ran).to.equal(undefined);
  });

  it('comes back after the server drops the stream, and shows what changed meanwhile', async () => {
    const hostApi = await signIn(stack, 'Rosa');
    const meetingId = await createMeeting(hostApi);
    const token = await devToken(stack, 'Rosa');
    const card = await fixture<MeetingCardElement>(html`<meeting-card server=${stack.apiUrl} meeting-id=${meetingId} .auth=${() => Promise.resolve(token)}></meeting-card>`);
    await until('the card', () => card.card?.status === 'scheduled');
    const before = streamFetches.length;
    await restartTokenServer({ downMs: 800 });
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    await host.join({ displayName: 'Rosa' });
    await until('the card live after the restart', () => card.card?.status === 'active' && card.card.participantCount === 1, 20000);
    expect(streamFetches.length - before, 'the stream was opened again').to.be.at.least(1);
    expect(cardFeedFor(stack.apiUrl).streamOpens, 'opened, then opened again').to.be.at.least(2);
    expect(cardFeedFor(stack.apiUrl).openStreams, 'streams the feed holds').to.equal(1);
  });

  it('on a page without a token: a meeting open to anonymous callers shows, the others say "not allowed" or "not found"', async () => {
    const hostApi = await signIn(stack, 'Olga');
    const open = await createMeeting(hostApi, { allowAnonymous: true });
    const closed = await createMeeting(hostApi, { allowAnonymous: false });
    const missing = crypto.randomUUID();
    const box = await fixture<HTMLElement>(html`<div>
      <meeting-card id="open" server=${stack.apiUrl} meeting-id=${open}></meeting-card>
      <meeting-card id="closed" server=${stack.apiUrl} meeting-id=${closed}></meeting-card>
      <meeting-card id="missing" server=${stack.apiUrl} meeting-id=${missing} lang="fr"></meeting-card>
      <meeting-card id="garbage" server=${stack.apiUrl} meeting-id="not-a-meeting"></meeting-card>
    </div>`);
    const get = (id: string) => box.querySelector<MeetingCardElement>(`#${id}`)!;
    try {
      await until('every card settled', () => get('open').card !== undefined && ['closed', 'missing', 'garbage'].every((id) => part(get(id), 'base')[0]?.getAttribute('data-code')), 10000);
    } catch (e) {
      throw new Error(`${(e as Error).message}: ${['open', 'closed', 'missing', 'garbage'].map((id) => `${id}=${text(get(id))}`).join(' | ')}`);
    }
    expect(text(get('open'))).to.contain('Weekly sync');
    expect(part(get('closed'), 'base')[0]?.getAttribute('data-code')).to.equal('AUTH_REQUIRED');
    expect(text(get('closed'))).to.contain('You cannot see this meeting');
    expect(part(get('missing'), 'base')[0]?.getAttribute('data-code')).to.equal('MEETING_NOT_FOUND');
    expect(text(get('missing'))).to.contain('Cette réunion n’existe pas');
    expect(text(get('garbage'))).to.contain('This meeting does not exist');
    expect(part(get('closed'), 'join-button')).to.have.length(0);
    for (const id of ['open', 'closed', 'missing']) await expect(get(id)).to.be.accessible();

    // The user signs in: the card given a bearer shows the meeting, and the shared stream now carries it.
    const token = await devToken(stack, 'Olga');
    const before = streamFetches.length;
    get('closed').auth = () => Promise.resolve(token);
    await until('the signed-in card', () => get('closed').card?.title === 'Weekly sync', 10000);
    expect(streamFetches.length - before, 'the stream was reopened with the bearer').to.equal(1);
    expect(cardFeedFor(stack.apiUrl).openStreams).to.equal(1);
    expect(text(get('open'))).to.contain('Weekly sync');
  });

  it('is accessible in the dark theme, and styled from outside through parts and custom properties', async () => {
    const hostApi = await signIn(stack, 'Dora');
    const meetingId = await createMeeting(hostApi);
    const token = await devToken(stack, 'Dora');
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    await host.join({ displayName: 'Dora Dark' });
    await stateWhere(host, (s) => s.phase === 'connected', 'connected');
    const box = await fixture<HTMLElement>(html`<div>
      <style>
        .branded { --meeting-color-accent: rgb(10, 122, 60); --meeting-color-on-accent: #fff; }
        .branded::part(title) { text-transform: uppercase; }
      </style>
      <meeting-card class="branded" theme="dark" server=${stack.apiUrl} meeting-id=${meetingId} .auth=${() => Promise.resolve(token)}></meeting-card>
    </div>`);
    const card = box.querySelector<MeetingCardElement>('meeting-card')!;
    await until('the live card', () => card.card?.status === 'active');
    await card.updateComplete;
    expect(getComputedStyle(part(card, 'join-button')[0]!).backgroundColor).to.equal('rgb(10, 122, 60)');
    expect(getComputedStyle(part(card, 'title')[0]!).textTransform).to.equal('uppercase');
    expect(getComputedStyle(part(card, 'base')[0]!).backgroundColor).to.equal('rgb(31, 32, 35)');
    await expect(card).to.be.accessible();
  });
});
