import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '../../server/src/db/database.js';
import { migrate, readMigrations } from '../../server/src/db/migrate.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

after(async () => {
  await stopOwnCluster();
});

/** Runs `fn` as PostgREST would for a signed-in Supabase user: role switched, claims set. */
async function asUser<T>(db: Database, claims: Record<string, unknown>, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL ROLE authenticated');
    await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
    return fn(tx);
  });
}

async function insertMeeting(db: Sql, hostId: string, title = 'Planning'): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO meetings (id, title, host_id, room_name) VALUES ($1, $2, $3, $4)', [id, title, hostId, `room-${id}`]);
  await db.query('INSERT INTO meeting_security_policies (meeting_id) VALUES ($1)', [id]);
  return id;
}

/** The SQLSTATE of a failed statement, checked inside a savepoint so the transaction survives. */
async function sqlState(db: Database, statement: string, params: unknown[] = []): Promise<string | null> {
  try {
    await db.query(statement, params);
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? 'unknown';
  }
}

describeEachDatabase('database', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;

  before(async () => {
    handle = await backend.create({ empty: true });
    db = await handle.open();
  });
  after(async () => {
    await handle.dispose();
  });

  it('applies every migration once, and nothing on a second run', async () => {
    const versions = readMigrations().map((m) => m.version);
    assert.deepEqual(await migrate(db), versions);
    assert.deepEqual(await migrate(db), []);
    const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      versions,
    );
  });

  it('lets two instances migrate the same database at once', async () => {
    const second = await handle.open();
    const results = await Promise.all([migrate(db), migrate(second)]);
    assert.deepEqual(results, [[], []]);
  });

  it('refuses rows that break the schema rules', async () => {
    const meetingId = await insertMeeting(db, 'host-1');
    assert.equal(await sqlState(db, 'UPDATE meeting_security_policies SET max_participants = 0 WHERE meeting_id = $1', [meetingId]), '23514');
    assert.equal(await sqlState(db, `UPDATE meeting_security_policies SET chat = 'sometimes' WHERE meeting_id = $1`, [meetingId]), '23514');
    assert.equal(await sqlState(db, `UPDATE meetings SET status = 'ended' WHERE id = $1`, [meetingId]), '23514');
    assert.equal(await sqlState(db, `INSERT INTO meeting_security_policies (meeting_id) VALUES ($1)`, [randomUUID()]), '23503');
    assert.equal(
      await sqlState(db, `INSERT INTO meeting_invitations (id, meeting_id, invited_by) VALUES ($1, $2, 'host-1')`, [randomUUID(), meetingId]),
      '23514',
    );
    const policy = await db.query<{ max_participants: number }>('SELECT max_participants FROM meeting_security_policies WHERE meeting_id = $1', [meetingId]);
    assert.equal(policy.rows[0]?.max_participants, 100);
  });

  it('rolls a transaction back when it throws', async () => {
    const id = randomUUID();
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO meetings (id, title, host_id, room_name) VALUES ($1, $2, $3, $4)', [id, 't', 'h', `room-${id}`]);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    const { rowCount } = await db.query('SELECT 1 FROM meetings WHERE id = $1', [id]);
    assert.equal(rowCount, 0);
  });

  it('delivers NOTIFY to a listener on another connection', async () => {
    const listenerDb = await handle.open();
    let deliver: (payload: string) => void = () => undefined;
    const received = new Promise<string>((resolve) => (deliver = resolve));
    const [unsubscribe] = await Promise.all([
      listenerDb.listen('meeting_events', (payload) => deliver(payload)),
      // A second subscriber in the same tick must also be subscribed once its call resolves.
      listenerDb.listen('meeting_events', () => undefined),
    ]);
    await db.query(`SELECT pg_notify('meeting_events', $1)`, ['{"kind":"hello"}']);
    assert.equal(await received, '{"kind":"hello"}');
    await unsubscribe();
  });

  it('shows a signed-in user only the meetings they host or are invited to (RLS)', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const hosted = await insertMeeting(db, alice, 'Alice hosts');
    const invitedById = await insertMeeting(db, bob, 'Alice invited by id');
    const invitedByEmail = await insertMeeting(db, bob, 'Alice invited by email');
    const other = await insertMeeting(db, bob, 'Not for Alice');
    await db.query(`INSERT INTO meeting_invitations (id, meeting_id, user_id, invited_by) VALUES ($1, $2, $3, $4)`, [randomUUID(), invitedById, alice, bob]);
    await db.query(`INSERT INTO meeting_invitations (id, meeting_id, email, invited_by) VALUES ($1, $2, 'alice@example.com', $3)`, [
      randomUUID(),
      invitedByEmail,
      bob,
    ]);
    await db.query(`INSERT INTO meeting_invitations (id, meeting_id, email, invited_by) VALUES ($1, $2, 'carol@example.com', $3)`, [
      randomUUID(),
      other,
      bob,
    ]);

    const claims = { sub: alice, email: 'Alice@Example.com', role: 'authenticated', aud: 'authenticated' };
    const seen = await asUser(db, claims, async (tx) => {
      const meetings = await tx.query<{ id: string }>('SELECT id FROM meetings ORDER BY title');
      const invitations = await tx.query<{ meeting_id: string }>('SELECT meeting_id FROM meeting_invitations');
      const policies = await tx.query<{ meeting_id: string }>('SELECT meeting_id FROM meeting_security_policies');
      return { meetings: meetings.rows.map((r) => r.id), invitations: invitations.rows.map((r) => r.meeting_id), policies: policies.rowCount };
    });
    assert.deepEqual(new Set(seen.meetings), new Set([hosted, invitedById, invitedByEmail]));
    assert.deepEqual(new Set(seen.invitations), new Set([invitedById, invitedByEmail]));
    assert.equal(seen.policies, 3);

    const nobody = await asUser(db, { sub: randomUUID(), role: 'authenticated' }, async (tx) => (await tx.query('SELECT id FROM meetings')).rowCount);
    assert.equal(nobody, 0);
  });

  it('lets no signed-in user write, nor read what is not theirs to read (RLS)', async () => {
    const alice = randomUUID();
    const meetingId = await insertMeeting(db, alice);
    const claims = { sub: alice, role: 'authenticated' };
    const attempts = [
      [`UPDATE meetings SET title = 'hijacked' WHERE id = $1`, [meetingId]],
      [`INSERT INTO meetings (id, title, host_id, room_name) VALUES ($1, 'x', $2, $3)`, [randomUUID(), alice, `room-${randomUUID()}`]],
      [`DELETE FROM meeting_security_policies WHERE meeting_id = $1`, [meetingId]],
      [`SELECT * FROM meeting_participants`, []],
      [`SELECT * FROM meeting_chat_messages`, []],
    ] as const;
    for (const [statement, params] of attempts) {
      const code = await asUser(db, claims, async (tx) => {
        try {
          await tx.query(statement, params);
          return null;
        } catch (err) {
          return (err as { code?: string }).code ?? 'unknown';
        }
      }).catch((err: unknown) => (err as { code?: string }).code ?? 'rolled back');
      assert.equal(code === null ? 'allowed' : 'refused', 'refused', statement);
    }
    const { rows } = await db.query<{ title: string }>('SELECT title FROM meetings WHERE id = $1', [meetingId]);
    assert.equal(rows[0]?.title, 'Planning');
  });
});
