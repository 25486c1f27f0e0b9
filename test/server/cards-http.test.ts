// Meeting cards: GET /meetings/:id/card and the one-connection card stream GET /events (contract v1.1).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { openEventStream, type EventStreamReader } from '../support/sse.js';

type ErrorBody = { error: { code: string; details?: unknown } };
type Card = { id: string; title: string; status: string; startedAt: string | null; endedAt: string | null; participantCount: number; people: Array<{ displayName: string; role: string }> };

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('meeting cards', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let app: TestApp;
  let host: string;
  const readers: EventStreamReader[] = [];

  const user = (name: string) => app.deps.verifier.signUser({ userId: randomUUID(), email: `${randomUUID().slice(0, 8)}@example.com`, name });
  const create = async (title = 'Stand-up'): Promise<MeetingView> => (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title } })).body;
  const follow = async (ids: string[], token = host) => {
    const stream = await openEventStream(`${app.url}/api/v1/events?meetings=${ids.join(',')}`, token);
    if (stream.reader) readers.push(stream.reader);
    return stream;
  };
  const cardOf = (id: string, check: (card: Card) => boolean = () => true) => (e: { event: string; data: unknown }) => e.event === 'card' && (e.data as Card).id === id && check(e.data as Card);

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    app = await startApp({ EVENT_STREAMS_PER_CALLER: '3' }, db);
    host = await user('Hana');
  });
  after(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await app.close();
    await handle.dispose();
  });

  it('shows the title, the status and its times, how many are in, and the first five of them', async () => {
    const meeting = await create('Weekly');
    const scheduled = await api<Card>(app.url, 'GET', `/meetings/${meeting.id}/card`, { token: host });
    assert.deepEqual(scheduled.body, { id: meeting.id, title: 'Weekly', status: 'scheduled', startedAt: null, endedAt: null, participantCount: 0, people: [] });
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host })).status, 200);
    for (const name of ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo']) assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: await user(name) })).status, 200);
    const live = (await api<Card>(app.url, 'GET', `/meetings/${meeting.id}/card`, { token: host })).body;
    assert.equal(live.status, 'active');
    assert.ok(live.startedAt !== null);
    assert.equal(live.participantCount, 7);
    assert.deepEqual(live.people, [
      { displayName: 'Hana', role: 'host' },
      { displayName: 'Ada', role: 'attendee' },
      { displayName: 'Bo', role: 'attendee' },
      { displayName: 'Cy', role: 'attendee' },
      { displayName: 'Di', role: 'attendee' },
    ]);
    // No e-mail, no identity, no user id: a card is for showing, not for looking people up.
    assert.deepEqual(Object.keys(live).sort(), ['endedAt', 'id', 'participantCount', 'people', 'startedAt', 'status', 'title']);
  });

  it('follows fifty meetings on one connection: each card at once, then scheduled → live → ended as it happens', async () => {
    const meetings = await Promise.all(Array.from({ length: 50 }, (_, i) => create(`Room ${String(i)}`)));
    const stream = await follow(meetings.map((m) => m.id));
    assert.equal(stream.status, 200);
    const reader = stream.reader;
    assert.ok(reader);
    for (const meeting of meetings) assert.equal(((await reader.next(cardOf(meeting.id))).data as Card).status, 'scheduled');
    const watched = meetings[17];
    assert.ok(watched);
    const joinedAt = Date.now();
    assert.equal((await api(app.url, 'POST', `/meetings/${watched.id}/join`, { token: host })).status, 200);
    await reader.next(cardOf(watched.id, (c) => c.status === 'active' && c.participantCount === 1));
    const liveMs = Date.now() - joinedAt;
    const guest = await user('Gus');
    const secondAt = Date.now();
    await api(app.url, 'POST', `/meetings/${watched.id}/join`, { token: guest });
    await reader.next(cardOf(watched.id, (c) => c.participantCount === 2));
    const countMs = Date.now() - secondAt;
    console.log(`# [${backend.name}] card update after a join: ${String(liveMs)} ms (meeting going live), ${String(countMs)} ms (a second person)`);
    assert.equal((await api(app.url, 'POST', `/meetings/${watched.id}/end`, { token: host })).status, 200);
    const ended = (await reader.next(cardOf(watched.id, (c) => c.status === 'ended'))).data as Card;
    assert.equal(ended.participantCount, 0);
    assert.ok(ended.endedAt !== null);
  });

  it('refuses more than 100 meetings, none, or ids that are not ids, with VALIDATION_FAILED', async () => {
    const ids = Array.from({ length: 101 }, () => randomUUID());
    for (const query of [`meetings=${ids.join(',')}`, 'meetings=', '', 'meetings=not-a-uuid', `meetings=${randomUUID()}&extra=1`]) {
      const res = await fetch(`${app.url}/api/v1/events?${query}`, { headers: { authorization: `Bearer ${host}` } });
      assert.equal(res.status, 400, query.slice(0, 40));
      assert.equal(((await res.json()) as ErrorBody).error.code, 'VALIDATION_FAILED');
    }
    const unknown = randomUUID();
    const known = await create();
    const res = await follow([known.id, unknown]);
    assert.equal(res.status, 404);
    assert.deepEqual((res.body as ErrorBody).error.details, [{ meetingId: unknown, code: 'MEETING_NOT_FOUND' }]);
  });

  it('caps the card streams one caller holds open, and frees a place when one closes', async () => {
    const meeting = await create();
    const caller = await user('Many Tabs');
    const open: EventStreamReader[] = [];
    for (let i = 0; i < 3; i++) {
      const stream = await follow([meeting.id], caller);
      assert.equal(stream.status, 200);
      if (stream.reader) open.push(stream.reader);
    }
    const fourth = await follow([meeting.id], caller);
    assert.equal(fourth.status, 429);
    assert.equal((fourth.body as ErrorBody).error.code, 'RATE_LIMITED');
    await open[0]?.close();
    const deadline = Date.now() + 5000;
    let again = await follow([meeting.id], caller);
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await follow([meeting.id], caller);
    }
    assert.equal(again.status, 200, 'a closed stream gives its place back');
  });
});
