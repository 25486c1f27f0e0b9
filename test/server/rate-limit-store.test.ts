// Rate limits hold across instances: counters live in the shared database.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('rate limits across instances', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let one: TestApp;
  let two: TestApp;

  before(async () => {
    handle = await backend.create();
    const db = await handle.open();
    const env = { RATE_LIMIT_JOIN: '4', RATE_LIMIT_WINDOW_SECONDS: '60', SESSION_SECRET: 'shared-session-secret-for-both-instances' };
    one = await startApp(env, db);
    two = await startApp(env, db);
  });
  after(async () => {
    await one.close();
    await two.close();
    await handle.dispose();
  });

  it('counts a caller once across two instances, even when the calls race', async () => {
    const host = await one.deps.verifier.signUser({ userId: randomUUID(), email: 'h@example.com', name: 'H' });
    const meeting = (await api<MeetingView>(one.url, 'POST', '/meetings', { token: host, body: { title: 'Shared', policy: { joinBeforeHost: true } } })).body;
    const caller = await one.deps.verifier.signUser({ userId: randomUUID(), email: 'c@example.com', name: 'C' });
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(i % 2 === 0 ? one.url : two.url, 'POST', `/meetings/${meeting.id}/join`, { token: caller })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429, 429, 429, 429, 429]);
  });
});
