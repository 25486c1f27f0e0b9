// Attack: hold open as many event streams as the server allows (today 300 for one user, each
// costing queries per change), and keep following a meeting after being denied or removed.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { openEventStream, type EventStreamReader } from '../support/sse.js';
import { within } from './helpers/raw-participant.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: event streams', (backend) => {
  let stack: MediaStack;
  const readers: EventStreamReader[] = [];
  const open = async (meetingId: string, token: string) => {
    const stream = await openEventStream(`${stack.app.url}/api/v1/meetings/${meetingId}/events`, token);
    if (stream.reader) readers.push(stream.reader);
    return stream;
  };

  before(async () => {
    stack = await startMediaStack(backend, { EVENT_STREAMS_PER_CALLER: '5' });
  });
  after(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await stack.close();
  });

  it('caps the streams one caller holds open, and frees a place when one closes', async () => {
    const { meeting, host } = await stack.meeting();
    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await open(meeting.id, host));
    assert.deepEqual(streams.map((s) => s.status), [200, 200, 200, 200, 200]);
    const sixth = await open(meeting.id, host);
    assert.equal(sixth.status, 429);
    assert.equal((sixth.body as { error: { code: string } }).error.code, 'RATE_LIMITED');
    await streams[0]?.reader?.close();
    // The server sees the close when the socket goes: try until it has.
    let again = await open(meeting.id, host);
    for (let i = 0; i < 50 && again.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(meeting.id, host);
    }
    assert.equal(again.status, 200);
    // Another caller is not affected.
    const other = await stack.user('Other');
    await stack.join(meeting.id, other);
    assert.equal((await open(meeting.id, other)).status, 200);
  });

  it('closes a denied waiter’s stream and does not let it open again', async () => {
    const { meeting, host } = await stack.meeting({ waitingRoom: true });
    const waiter = await stack.user('Walt');
    const knock = await stack.join(meeting.id, waiter);
    assert.equal(knock.status, 202);
    const stream = await open(meeting.id, waiter);
    assert.equal(stream.status, 200);
    await stream.reader?.next((e) => e.event === 'status');
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/waiting/${knock.body.waitingId ?? ''}/deny`, { token: host });
    await stream.reader?.next((e) => e.event === 'admission' && (e.data as { status: string }).status === 'denied');
    await within(stream.reader?.finished ?? Promise.resolve(), 10_000, 'the stream closes');
    const reopened = await open(meeting.id, waiter);
    assert.equal(reopened.status, 403);
  });

  it('closes a removed participant’s stream', async () => {
    const { meeting, host } = await stack.meeting();
    const mallory = await stack.user('Mallory');
    const joined = await stack.join(meeting.id, mallory);
    const stream = await open(meeting.id, mallory);
    await stream.reader?.next((e) => e.event === 'status');
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/participants/${joined.body.identity}/remove`, { token: host });
    await stream.reader?.next((e) => e.event === 'removed');
    await within(stream.reader?.finished ?? Promise.resolve(), 10_000, 'the stream closes');
    assert.equal((await open(meeting.id, mallory)).status, 403);
  });
});
