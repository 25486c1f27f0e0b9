// The quick join path: an unlocked snapshot, then a claim that must refuse whenever what the
// snapshot's decision relied on changed in between. Each case changes one thing between the two.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Database } from '../../server/src/db/database.js';
import { MIGRATIONS_DIR } from '../../server/src/db/migrate.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/domain/policy.js';
import { claimArguments, claimMeetingSlot, claimMeetingSlots, readJoinSnapshot, readJoinSnapshots, type ClaimInput, type JoinSnapshot } from '../../server/src/store/join-snapshot.js';
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

  /** A claim as the join route makes it, for `identity` on what `snapshot` read. */
  const claimInput = (
    snapshot: JoinSnapshot,
    identity: string,
    options: { userId?: string; email?: string; needsInvitation?: boolean; displayName?: string } = {},
  ): ClaimInput => ({
    snapshot,
    identity,
    userId: options.userId ?? null,
    email: options.email ?? null,
    displayName: options.displayName ?? identity,
    needsInvitation: options.needsInvitation ?? false,
    tokenTtlSeconds: 600,
  });
  const claim = (snapshot: JoinSnapshot, identity: string, options: { userId?: string; email?: string; needsInvitation?: boolean } = {}) =>
    claimMeetingSlot(db, claimInput(snapshot, identity, options));

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
    const again = await claimMeetingSlot(db, claimInput(await snapshotFor(id, 'user:ada'), 'user:ada', { displayName: 'Ada again' }));
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
    const claimed = await claimMeetingSlots(db, [
      claimInput(elsewhere, 'user:d'),
      ...people.map((who, i) => claimInput(snapshots[i] as JoinSnapshot, who)),
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

  // The claim decides a whole batch in one statement; these pin that it answers as if the joins
  // had been claimed one after the other, in the order they came.
  it('in a batch, a newcomer joining twice takes one seat; the next newcomer finds the meeting full; a holder rejoins', async () => {
    const id = await meeting({ maxParticipants: 2 });
    assert.ok(await claim(await snapshotFor(id, 'user:holder'), 'user:holder'));
    const [ada, ada2, ben, holder] = await Promise.all(['user:ada', 'user:ada', 'user:ben', 'user:holder'].map((who) => snapshotFor(id, who)));
    assert.ok(ada && ada2 && ben && holder);
    const claimed = await claimMeetingSlots(db, [
      claimInput(ada, 'user:ada', { displayName: 'Ada' }),
      claimInput(ada2, 'user:ada', { displayName: 'Ada L.' }),
      claimInput(ben, 'user:ben'),
      claimInput(holder, 'user:holder'),
    ]);
    assert.deepEqual(
      claimed.map((c) => c?.participantCount ?? null),
      [2, 2, null, 2],
    );
    assert.equal(await countOccupied(db, id), 2);
    const { rows } = await db.query<{ identity: string; display_name: string }>(
      'SELECT identity, display_name FROM meeting_participants WHERE meeting_id = $1 AND left_at IS NULL ORDER BY identity',
      [id],
    );
    assert.deepEqual(rows, [
      { identity: 'user:ada', display_name: 'Ada L.' },
      { identity: 'user:holder', display_name: 'user:holder' },
    ]);
  });

  it('in a batch, a join refused for another reason leaves its seat to the next newcomer', async () => {
    const id = await meeting({ maxParticipants: 1 });
    const mallory = await snapshotFor(id, 'user:mallory');
    const ada = await snapshotFor(id, 'user:ada');
    const claimed = await claimMeetingSlots(db, [
      // Claims to be host on a snapshot that never said so.
      claimInput({ ...mallory, role: 'host' }, 'user:mallory'),
      claimInput(ada, 'user:ada'),
    ]);
    assert.equal(claimed[0], null);
    assert.equal(claimed[1]?.participantCount, 1);
    assert.equal(await countOccupied(db, id), 1);
  });

  it('in a batch, nobody claims a meeting already over its limit, not even someone holding a seat', async () => {
    const id = await meeting({ maxParticipants: 3 });
    for (const who of ['user:x', 'user:y', 'user:z']) assert.ok(await claim(await snapshotFor(id, who), who));
    // The host lowers the limit below the people already in.
    await db.query('UPDATE meeting_security_policies SET max_participants = 2, updated_at = now() WHERE meeting_id = $1', [id]);
    const x = await snapshotFor(id, 'user:x');
    const w = await snapshotFor(id, 'user:w');
    const claimed = await claimMeetingSlots(db, [claimInput(x, 'user:x'), claimInput(w, 'user:w')]);
    assert.deepEqual(claimed, [null, null]);
    assert.equal(await countOccupied(db, id), 3);
  });

  it('notifies each meeting a batch claimed in once, and no meeting it claimed nothing in', async () => {
    const first = await meeting();
    const second = await meeting();
    const untouched = await meeting();
    const heard: string[] = [];
    let heardTwo!: () => void;
    const two = new Promise<void>((resolve) => {
      heardTwo = resolve;
    });
    const stop = await db.listen('meeting_events', (payload) => {
      heard.push((JSON.parse(payload) as { meetingId: string }).meetingId);
      if (heard.length === 2) heardTwo();
    });
    try {
      const stale = await snapshotFor(untouched, 'user:c');
      await db.query('UPDATE meeting_security_policies SET locked = true, updated_at = now() WHERE meeting_id = $1', [untouched]);
      const claimed = await claimMeetingSlots(db, [
        claimInput(await snapshotFor(first, 'user:a'), 'user:a'),
        claimInput(await snapshotFor(second, 'user:b'), 'user:b'),
        claimInput(await snapshotFor(first, 'user:c'), 'user:c'),
        claimInput(stale, 'user:c'),
      ]);
      assert.deepEqual(
        claimed.map((c) => c !== null),
        [true, true, true, false],
      );
      await two;
      // A later notification on the same channel marks the end of what the batch sent.
      let marked!: () => void;
      const marker = new Promise<void>((resolve) => {
        marked = resolve;
      });
      const stopMarker = await db.listen('meeting_events', (payload) => {
        if (payload.includes('marker')) marked();
      });
      await db.query(`SELECT pg_notify('meeting_events', '{"meetingId":"marker"}')`);
      await marker;
      await stopMarker();
      assert.deepEqual([...heard].sort(), [first, second, 'marker'].sort());
    } finally {
      await stop();
    }
  });

  it('decides random batches exactly as the one-join-at-a-time function of migration 0006 did', async () => {
    // The previous body, under another name, as the reference.
    const previous = readFileSync(`${MIGRATIONS_DIR}/0006_claim_meeting_slots.sql`, 'utf8');
    const definition = previous.slice(previous.indexOf('CREATE FUNCTION'), previous.indexOf('REVOKE ALL'));
    await db.query(definition.replace('CREATE FUNCTION claim_meeting_slots(', 'CREATE OR REPLACE FUNCTION claim_meeting_slots_one_by_one('));

    // A fixed seed: the same cases on every run (mulberry32).
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const people = ['user:p0', 'user:p1', 'user:p2', 'user:p3', 'user:p4', 'user:p5'];

    class RolledBack extends Error {
      constructor(readonly outcome: unknown) {
        super('rolled back');
      }
    }
    /** Runs a claim function inside a transaction that is then undone; answers its rows and the meeting afterwards. */
    const outcomeOf = async (fn: string, id: string, inputs: ClaimInput[]): Promise<unknown> => {
      try {
        await db.transaction(async (tx) => {
          const answers = await tx.query(`SELECT n, claimed, participant_count, status FROM ${fn}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ORDER BY n`, claimArguments(inputs));
          const seats = await tx.query(
            `SELECT identity, display_name, state, token_expires_at > now() AS current FROM meeting_participants
              WHERE meeting_id = $1 AND left_at IS NULL ORDER BY identity`,
            [id],
          );
          const status = await tx.query('SELECT status FROM meetings WHERE id = $1', [id]);
          throw new RolledBack({ answers: answers.rows, seats: seats.rows, status: status.rows });
        });
      } catch (err) {
        if (err instanceof RolledBack) return err.outcome;
        throw err;
      }
      throw new Error('the transaction was not rolled back');
    };

    for (let round = 0; round < 40; round++) {
      const id = await meeting({ maxParticipants: 1 + Math.floor(random() * 4), joinBeforeHost: true });
      if (random() < 0.5) await db.query(`UPDATE meetings SET status = 'active', started_at = now() WHERE id = $1`, [id]);
      if (random() < 0.3) await db.query(`INSERT INTO meeting_roles (meeting_id, identity, role, granted_by) VALUES ($1, $2, 'co-host', 'host-1')`, [id, pick(people)]);
      // Some people hold a seat already; some of those let their token lapse without connecting.
      for (const who of people) {
        if (random() < 0.35) {
          await db.query(
            `INSERT INTO meeting_participants (id, meeting_id, identity, display_name, role, state, token_expires_at)
             VALUES ($1, $2, $3, $3, 'attendee', $4, now() + $5 * interval '1 minute')`,
            [randomUUID(), id, who, random() < 0.5 ? 'present' : 'granted', random() < 0.2 ? -5 : 10],
          );
        }
      }
      const inputs: ClaimInput[] = [];
      for (let k = 1 + Math.floor(random() * 7); k > 0; k--) {
        const who = pick(people);
        const snapshot = await snapshotFor(id, who);
        // Now and then a join whose decision no longer holds: it must be refused by both.
        const stale = random() < 0.15 ? { ...snapshot, role: snapshot.role === 'attendee' ? ('co-host' as const) : ('attendee' as const) } : snapshot;
        inputs.push(claimInput(stale, who, { displayName: `${who} #${String(k)}` }));
      }
      assert.deepEqual(await outcomeOf('claim_meeting_slots', id, inputs), await outcomeOf('claim_meeting_slots_one_by_one', id, inputs), `round ${String(round)}`);
    }
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
    // The single-join function of 0005 is gone (0008): nobody can call it, whatever their role.
    assert.equal(
      await asAuthenticated('SELECT * FROM claim_meeting_slot($1, $2, $3, $4, NULL, NULL, $4, $5, false, 600)', [id, '0', snapshot.policyVersion, 'user:mallory', 'host']),
      '42883',
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
