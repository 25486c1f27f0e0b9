// Fault: PostgreSQL restarts (pg_ctl restart -m fast) under a bounded join loop. Today an unhandled
// 'error' from a pooled client can end the process, and the LISTEN connection is never re-created,
// so waiting-room notifications stop for good.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { migrate } from '../../server/src/db/migrate.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import type { Database } from '../../server/src/db/database.js';
import type { MeetingView } from '../../server/src/store/meetings.js';
import { api, startApp, type TestApp } from '../support/app.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres.js';
import { within } from './helpers/raw-participant.js';

describe('fault: the database restarts under load', () => {
  let cluster: PostgresCluster;
  let db: Database;
  let app: TestApp;
  let host: string;

  before(async () => {
    // The test's own cluster: restarting a shared one would cut every other suite.
    cluster = await startPostgresCluster();
    db = openPostgres({ connectionString: cluster.url, connectTimeoutMs: 1000, reconnectDelayMs: { first: 50, max: 500 } });
    await migrate(db);
    app = await startApp({}, db);
    host = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'host@example.com', name: 'Host' });
  });
  after(async () => {
    await app.close();
    await db.close();
    await cluster.stop();
  });

  it('answers every request (200 or DATABASE_UNAVAILABLE), loses no admitted join, and hears notifications again within 5 s', async () => {
    const meeting = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Faults', policy: { maxParticipants: 1000 } } })).body;
    assert.equal((await api(app.url, 'POST', `/meetings/${meeting.id}/join`, { token: host })).status, 200);
    // Notifications flowing before the fault.
    await app.deps.events.subscribe(meeting.id, () => undefined);

    const outcomes: Array<{ status: number; code?: string; userId: string }> = [];
    let stop = false;
    const worker = async () => {
      for (let i = 0; i < 150 && !stop; i++) {
        const userId = randomUUID();
        const token = await app.deps.verifier.signUser({ userId, email: `${userId.slice(0, 8)}@example.com`, name: 'Loader' });
        const res = await within(api<{ error?: { code: string } }>(app.url, 'POST', `/meetings/${meeting.id}/join`, { token }), 15_000, 'a join during the fault');
        outcomes.push({ status: res.status, userId, ...(res.body.error ? { code: res.body.error.code } : {}) });
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    // Let the loop run, restart under it, let it run on.
    while (outcomes.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    await cluster.restart();
    const restartedAt = outcomes.length;
    while (outcomes.length < restartedAt + 40) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await load;

    const unexpected = outcomes.filter((o) => o.status !== 200 && o.code !== 'DATABASE_UNAVAILABLE');
    assert.deepEqual(unexpected, [], 'only successes and DATABASE_UNAVAILABLE');
    assert.ok(outcomes.filter((o) => o.status === 200).length > 60, 'joins went on after the restart');
    // No lost writes: every admitted join has its seat.
    const admitted = outcomes.filter((o) => o.status === 200).map((o) => `u_${o.userId}`);
    const seats = await db.query<{ identity: string }>('SELECT identity FROM meeting_participants WHERE meeting_id = $1 AND identity = ANY($2::text[])', [meeting.id, admitted]);
    assert.equal(seats.rowCount, admitted.length);
    assert.equal((await fetch(`${app.url}/api/v1/healthz`)).status, 200, 'the server is still up');
    assert.equal((await fetch(`${app.url}/api/v1/readyz`)).status, 200, 'and ready again');

    // A waiter's long poll hears an admission again, within 5 s of it.
    const waitingRoom = (await api<MeetingView>(app.url, 'POST', '/meetings', { token: host, body: { title: 'After', policy: { waitingRoom: true } } })).body;
    await api(app.url, 'POST', `/meetings/${waitingRoom.id}/join`, { token: host });
    const waiter = await app.deps.verifier.signUser({ userId: randomUUID(), email: 'w@example.com', name: 'Waiter' });
    const knock = await api<{ waitingId: string }>(app.url, 'POST', `/meetings/${waitingRoom.id}/join`, { token: waiter });
    assert.equal(knock.status, 202, JSON.stringify(knock.body));
    const longPoll = api<{ status: string }>(app.url, 'GET', `/meetings/${waitingRoom.id}/waiting/${knock.body.waitingId}?wait=25`, { token: waiter });
    // The poll must be parked before the host decides, or the test proves nothing about notifications.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const decidedAt = Date.now();
    assert.equal((await api(app.url, 'POST', `/meetings/${waitingRoom.id}/waiting/${knock.body.waitingId}/admit`, { token: host })).status, 200);
    const answer = await within(longPoll, 5000, 'the long poll hears the admission');
    assert.equal(answer.body.status, 'admitted');
    assert.ok(Date.now() - decidedAt < 5000);
  });

  it('readiness reports the outage and requests fail fast while the database is down', async () => {
    await cluster.stop();
    try {
      const started = Date.now();
      const ready = await fetch(`${app.url}/api/v1/readyz`);
      assert.equal(ready.status, 503);
      const res = await api<{ error: { code: string } }>(app.url, 'POST', '/meetings', { token: host, body: { title: 'Down' } });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'DATABASE_UNAVAILABLE');
      assert.equal(res.headers.get('retry-after'), '2');
      assert.ok(Date.now() - started < 5000, 'no hang');
      assert.equal((await fetch(`${app.url}/api/v1/healthz`)).status, 200);
    } finally {
      // stop() is idempotent: after() stops nothing more.
    }
  });
});
