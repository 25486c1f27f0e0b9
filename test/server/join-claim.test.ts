// The quick join path: an unlocked snapshot, then a claim that must refuse whenever what the
// snapshot's decision relied on changed in between. Each case changes one thing between the two.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/domain/policy.js';
import { claimMeetingSlot, claimMeetingSlots, readJoinSnapshot, readJoinSnapshots, type JoinSnapshot } from '../../server/src/store/join-snapshot.js';
import { countOccupied, findMeeting, insertMeeting } from '../../server/src/store/meetings.js';
import { grantSlot } from '../../server/src/store/participants.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('claiming a meeting slot', (backend) => {
  let handle: Awaited<ReturnType<typeof backend.create>>;
  let db: Database;

  before(async () => {
    handle = await backend.create();
    db = await handle.open();
    await migrate(db);
  });
  after(async () => {
    await handle.dispose();
  });

  async function meeting(policy: Partial<Policy> = {}): Promise<string> {
    return (await insertMeeting(db, { hostId: 'host-1', title: 'Standup', policy: { ...DEFAULT_POLICY, ...policy } })).id;
  }

  async function snapshotFor(meetingId: string, identity: string, userId: string | null = null, email: string | null = null): Promise<JoinSnapshot> {
    const snapshot = await readJoinSnapshot(db, { meetingId, identity, userId, email });
    assert.ok(snapshot, 'the meeting exists');
    return snapshot;
  }

  const claim = (snapshot: JoinSnapshot, identity: string, options: { userId?: string; email?: string; needsInvitation?: boolean } = {}) =>
    claimMeetingSlot(db, {
      snapshot,
      identity,
      userId: options.userId ?? null,
      email: options.email ?? null,
      displayName: identity,
      needsInvitation: options.needsInvitation ?? false,
      tokenTtlSeconds: 600,
    });

  it('grants the slot, starts a scheduled meeting and counts the newcomer', async () => {
    const id = await meeting({ joinBeforeHost: true });
    const snapshot = await snapshotFor(id, 'user:ada');
    assert.equal(snapshot.meeting.status, 'scheduled');
    assert.equal(snapshot.role, 'attendee');
    assert.equal(snapshot.occupied, 0);
    const claimed = await claim(snapshot, 'user:ada');
    assert.ok(claimed);
    assert.equal(claimed.participantCount, 1);
    assert.equal(claimed.status, 'active');
    assert.ok(claimed.startedAt instanceof Date);
    assert.equal((await findMeeting(db, id))?.status, 'active');
    assert.equal(await countOccupied(db, id), 1);
  });

  it('replaces the live row of a rejoining identity instead of taking a second slot', async () => {
    const id = await meeting({ maxParticipants: 1 });
    assert.ok(await claim(await snapshotFor(id, 'user:ada'), 'user:ada'));
    const again = await snapshotFor(id, 'user:ada');
    assert.equal(again.occupied, 0, 'the caller’s own slot is not counted against them');
    assert.equal((await claim(again, 'user:ada'))?.participantCount, 1);
    assert.equal(await countOccupied(db, id), 1);
  });

  it('a rejoin goes on with the same participation: one row, first joined_at kept, name and token refreshed', async () => {
    const id = await meeting();
    assert.ok(await claim(await snapshotFor(id, 'user:ada'), 'user:ada'));
    await db.query(`UPDATE meeting_participants SET state = 'present', joined_at = now() - interval '1 hour', token_expires_at = now() WHERE meeting_id = $1`, [id]);
    const again = await claimMeetingSlot(db, {
      snapshot: await snapshotFor(id, 'user:ada'),
      identity: 'user:ada',
      userId: null,
      email: null,
      displayName: 'Ada again',
      needsInvitation: false,
      tokenTtlSeconds: 600,
    });
    assert.equal(again?.participantCount, 1);
    await expectOneLiveRow(id, 'user:ada', 'Ada again');
  });

  it('grants a slot on the locking path the same way: a rejoin refreshes the live row', async () => {
    const id = await meeting();
    const grant = (displayName: string) =>
      db.transaction((tx) => grantSlot(tx, { meetingId: id, identity: 'user:ben', userId: 'ben', email: null, displayName, role: 'attendee', tokenTtlSeconds: 600 }));
    await grant('Ben');
    await db.query(`UPDATE meeting_participants SET state = 'present', joined_at = now() - interval '1 hour', token_expires_at = now() WHERE meeting_id = $1`, [id]);
    await grant('Ben again');
    await expectOneLiveRow(id, 'user:ben', 'Ben again');
  });

  /** The identity has one row, live and granted, joined an hour ago, with a token good for ~10 minutes. */
  async function expectOneLiveRow(meetingId: string, identity: string, displayName: string): Promise<void> {
    const { rows } = await db.query<{ display_name: string; state: string; joined_minutes_ago: number; token_minutes_left: number; left: boolean }>(
      `SELECT display_name, state, left_at IS NOT NULL AS left,
              round(extract(epoch FROM now() - joined_at) / 60)::int AS joined_minutes_ago,
              round(extract(epoch FROM token_expires_at - now()) / 60)::int AS token_minutes_left
         FROM meeting_participants WHERE meeting_id = $1 AND identity = $2`,
      [meetingId, identity],
    );
    assert.deepEqual(rows, [{ display_name: displayName, state: 'granted', left: false, joined_minutes_ago: 60, token_minutes_left: 10 }]);
  }

  it('claims nothing when the policy changed after the snapshot (the host locked the meeting)', async () => {
    const id = await meeting();
    const snapshot = await snapshotFor(id, 'user:bob');
    await db.query('UPDATE meeting_security_policies SET locked = true, updated_at = now() WHERE meeting_id = $1', [id]);
    assert.equal(await claim(snapshot, 'user:bob'), null);
    assert.equal(await countOccupied(db, id), 0);
  });

  it('claims nothing when the meeting changed after the snapshot (it ended)', async () => {
    const id = await meeting({ joinBeforeHost: true });
    const snapshot = await snapshotFor(id, 'user:bob');
    await db.query(`UPDATE meetings SET status = 'ended', ended_at = now() WHERE id = $1`, [id]);
    assert.equal(await claim(snapshot, 'user:bob'), null);
    assert.equal(await countOccupied(db, id), 0);
  });

  it('claims nothing when the last seat went to someone else after the snapshot', async () => {
    const id = await meeting({ maxParticipants: 1 });
    const late = await snapshotFor(id, 'user:late');
    assert.ok(await claim(await snapshotFor(id, 'user:early'), 'user:early'));
    assert.equal(await claim(late, 'user:late'), null);
    assert.equal(await countOccupied(db, id), 1);
  });

  it('claims nothing when the caller lost the role the decision counted on', async () => {
    const id = await meeting();
    await db.query(`INSERT INTO meeting_roles (meeting_id, identity, role, granted_by) VALUES ($1, 'user:cohost', 'co-host', 'host-1')`, [id]);
    const snapshot = await snapshotFor(id, 'user:cohost');
    assert.equal(snapshot.role, 'co-host');
    await db.query('DELETE FROM meeting_roles WHERE meeting_id = $1', [id]);
    assert.equal(await claim(snapshot, 'user:cohost'), null);
    assert.equal(await countOccupied(db, id), 0);
  });

  it('claims nothing for an invitee past the waiting room once the invitation is declined', async () => {
    const id = await meeting({ waitingRoom: true });
    await db.query(`INSERT INTO meeting_invitations (id, meeting_id, email, invited_by) VALUES ($1, $2, 'eve@example.com', 'host-1')`, [randomUUID(), id]);
    const snapshot = await snapshotFor(id, 'user:eve', 'eve', 'eve@example.com');
    assert.equal(snapshot.invited, true);
    await db.query(`UPDATE meeting_invitations SET status = 'declined' WHERE meeting_id = $1`, [id]);
    assert.equal(await claim(snapshot, 'user:eve', { userId: 'eve', email: 'eve@example.com', needsInvitation: true }), null);
    assert.equal(await countOccupied(db, id), 0);
  });

  it('reads several snapshots in one statement, in the order asked, null for a missing meeting', async () => {
    const first = await meeting();
    const second = await meeting({ maxParticipants: 3 });
    await db.query(`INSERT INTO meeting_roles (meeting_id, identity, role, granted_by) VALUES ($1, 'user:zoe', 'co-host', 'host-1')`, [second]);
    const batch = await readJoinSnapshots(db, [
      { meetingId: second, identity: 'user:zoe', userId: 'zoe', email: null },
      { meetingId: randomUUID(), identity: 'user:zoe', userId: 'zoe', email: null },
      { meetingId: first, identity: 'host-1', userId: 'host-1', email: null },
      { meetingId: second, identity: null, userId: null, email: null },
    ]);
    assert.equal(batch.length, 4);
    const [coHost, missing, host, anonymous] = batch;
    assert.ok(coHost && host && anonymous);
    assert.equal(missing, null);
    assert.equal(coHost.meeting.id, second);
    assert.equal(coHost.role, 'co-host');
    assert.equal(coHost.meeting.policy.maxParticipants, 3);
    assert.equal(host.meeting.id, first);
    assert.equal(host.role, 'host');
    assert.equal(anonymous.meeting.id, second);
    assert.equal(anonymous.role, 'attendee');
  });

  it('claims a batch in one call: later joins to a meeting see the earlier ones, capacity holds across the batch', async () => {
    const small = await meeting({ maxParticipants: 2, joinBeforeHost: true });
    const other = await meeting({ joinBeforeHost: true });
    const people = ['user:a', 'user:b', 'user:c'];
    const snapshots = await Promise.all(people.map((who) => snapshotFor(small, who)));
    const elsewhere = await snapshotFor(other, 'user:d');
    const input = (snapshot: JoinSnapshot, identity: string) => ({ snapshot, identity, userId: null, email: null, displayName: identity, needsInvitation: false, tokenTtlSeconds: 600 });
    const claimed = await claimMeetingSlots(db, [
      input(elsewhere, 'user:d'),
      ...people.map((who, i) => input(snapshots[i] as JoinSnapshot, who)),
    ]);
    assert.equal(claimed.length, 4, 'one answer per join, in the order asked');
    const [d, a, b, c] = claimed;
    assert.equal(d?.participantCount, 1);
    // All three decided while the meeting was scheduled; the first started it, which does not
    // undo the others' admission. The third finds the meeting full.
    assert.ok(a && b);
    assert.equal(a.participantCount, 1);
    assert.equal(a.status, 'active');
    assert.equal(b.participantCount, 2);
    assert.equal(c, null);
    assert.equal(await countOccupied(db, small), 2);
    assert.equal(await countOccupied(db, other), 1);
  });

  it('a join decided while the meeting was scheduled still claims after someone else started it', async () => {
    const id = await meeting({ joinBeforeHost: true });
    const early = await snapshotFor(id, 'user:early');
    const late = await snapshotFor(id, 'user:late');
    assert.equal((await claim(early, 'user:early'))?.status, 'active');
    const claimed = await claim(late, 'user:late');
    assert.ok(claimed);
    assert.equal(claimed.status, 'active');
    assert.equal(claimed.participantCount, 2);
  });

  it('claims nothing when the host changed after the snapshot (the caller was host)', async () => {
    const id = await meeting();
    const snapshot = await snapshotFor(id, 'user:host-1', 'host-1');
    assert.equal(snapshot.role, 'host');
    await db.query(`UPDATE meetings SET host_id = 'host-2' WHERE id = $1`, [id]);
    assert.equal(await claim(snapshot, 'user:host-1', { userId: 'host-1' }), null);
    assert.equal(await countOccupied(db, id), 0);
  });

  it('is not callable by Supabase API roles, in its batch form or the earlier single one', async () => {
    const id = await meeting();
    const snapshot = await snapshotFor(id, 'user:mallory');
    const asAuthenticated = (statement: string, params: unknown[]) =>
      db
        .transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE authenticated');
          await tx.query(statement, params);
          return null;
        })
        .catch((err: unknown) => (err as { code?: string }).code ?? 'unknown');
    assert.equal(
      await asAuthenticated('SELECT * FROM claim_meeting_slots($1, $2, $3, $4, $5, $6, $4, $7, $8, 600)', [
        [id],
        [snapshot.meeting.status],
        [snapshot.policyVersion],
        ['user:mallory'],
        [null],
        [null],
        ['host'],
        [false],
      ]),
      '42501',
    );
    assert.equal(
      await asAuthenticated('SELECT * FROM claim_meeting_slot($1, $2, $3, $4, NULL, NULL, $4, $5, false, 600)', [id, '0', snapshot.policyVersion, 'user:mallory', 'host']),
      '42501',
    );
    assert.equal(await countOccupied(db, id), 0);
  });

  if (backend.name === 'postgres') {
    it('a join that waited for the meeting lock decides on the policy the lock holder committed', async () => {
      const id = await meeting();
      const other = await handle.open();
      let releaseHost!: () => void;
      const hostMayCommit = new Promise<void>((resolve) => {
        releaseHost = resolve;
      });
      let hostHasLock!: () => void;
      const hostLocked = new Promise<void>((resolve) => {
        hostHasLock = resolve;
      });
      // The host's transaction holds the lock while it locks the meeting; the join waits behind it.
      const host = other.transaction(async (tx) => {
        await findMeeting(tx, id, { forUpdate: true });
        await tx.query('UPDATE meeting_security_policies SET locked = true, updated_at = now() WHERE meeting_id = $1', [id]);
        hostHasLock();
        await hostMayCommit;
      });
      await hostLocked;
      const join = db.transaction(async (tx) => (await findMeeting(tx, id, { forUpdate: true }))?.policy.locked);
      // Postgres raises no event when a statement starts waiting for a lock: ask it until it says so.
      const blocked = async () =>
        Number(
          (await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rows[0]?.n ?? 0,
        ) > 0;
      while (!(await blocked())) await new Promise((resolve) => setTimeout(resolve, 5));
      releaseHost();
      await host;
      assert.equal(await join, true, 'the policy seen after the wait is the committed one');
    });
  }
});
