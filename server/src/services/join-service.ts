// Joining a meeting: who gets in, who waits, and the LiveKit token for those admitted. The route
// only parses the request and shapes the answer; every decision and write is made here.
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { Caller } from '../auth/identity.js';
import { participantIdentity } from '../auth/participant-identity.js';
import type { TokenVerifier } from '../auth/verifier.js';
import { Batcher } from '../db/batcher.js';
import type { Database, Sql } from '../db/database.js';
import { decideAdmission } from '../domain/admission.js';
import { isModerator, type Role } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import { JoinSnapshotCache } from '../store/join-snapshot-cache.js';
import { claimMeetingSlots, readJoinSnapshots, type ClaimInput, type ClaimedSlot, type JoinSnapshot, type JoinSnapshotInput } from '../store/join-snapshot.js';
import { countOccupied, markStarted, meetingView, toView, type MeetingView } from '../store/meetings.js';
import { countGuestSeatsFrom, enqueueWaiter, grantSlot, holdsSlot, isInvited, wasDenied } from '../store/participants.js';
import { isRemoved } from '../store/removals.js';
import { assertMayBeInMainRoom } from './breakout-rooms.js';
import type { RoomTokens } from './room-tokens.js';
import { accessOf, requireMeeting } from './access.js';

export interface JoinServiceDeps {
  db: Database;
  verifier: TokenVerifier;
  tokens: RoomTokens;
  /** Seats guests joining from one address may hold in one meeting at once (0: no cap). */
  guestSeatsPerAddress: number;
  /** Counts how each join was decided (see the metric's help in observability.ts). */
  joinPaths?: Pick<Counter<'path'>, 'inc'>;
}

export type JoinResult =
  | { kind: 'admitted'; token: string; livekitUrl: string; identity: string; role: Role; meeting: MeetingView; guestToken: string | null }
  | { kind: 'waiting'; waitingId: string; guestToken: string | null };

/** Who joins, once anonymous callers have been given a guest identity. */
interface Joiner {
  caller: Caller;
  identity: string;
  userId: string | null;
  email: string | null;
  name: string;
  /** Set when this join made the caller a guest: the bearer for their later calls. */
  newGuestToken: string | null;
}

interface AdmitOutcome {
  kind: 'admit';
  joiner: Joiner;
  role: Role;
  meeting: MeetingView;
}

interface WaitOutcome {
  kind: 'wait';
  waitingId: string;
  joiner: Joiner;
}

function nameFor(caller: Caller | null, requested: string | undefined): string | null {
  if (requested !== undefined) return requested;
  if (caller === null) return null;
  if (caller.kind === 'guest') return caller.name;
  return caller.name ?? caller.email?.split('@')[0] ?? null;
}

export function refusalMessage(code: string): string {
  switch (code) {
    case 'MEETING_ENDED':
      return 'This meeting has ended.';
    case 'MEETING_NOT_ACTIVE':
      return 'This meeting has not started yet; the host has to join first.';
    case 'MEETING_LOCKED':
      return 'The host has locked this meeting.';
    case 'DOMAIN_NOT_ALLOWED':
      return 'Your e-mail domain may not join this meeting.';
    case 'AUTH_REQUIRED':
      return 'Sign in to join this meeting.';
    case 'MAX_PARTICIPANTS_REACHED':
      return 'This meeting is full.';
    default:
      return 'You cannot join this meeting.';
  }
}

export class JoinService {
  // Joins arriving together share their database round trips (see Batcher). Two batches of each
  // kind out at once leave the rest of the pool to the other routes.
  private readonly snapshots: Batcher<JoinSnapshotInput, JoinSnapshot | null>;
  private readonly claims: Batcher<ClaimInput, ClaimedSlot | null>;
  private readonly recentMeetings = new JoinSnapshotCache();

  constructor(private readonly deps: JoinServiceDeps) {
    const batching = { maxBatch: 64, maxInFlight: 2 };
    this.snapshots = new Batcher((inputs) => readJoinSnapshots(deps.db, inputs), batching);
    this.claims = new Batcher((inputs) => claimMeetingSlots(deps.db, inputs), batching);
  }

  /**
   * Decides a join to `meetingId` by `caller` (null: anonymous) under `requestedName`. `address`
   * is where the request came from, for the cap on guests' seats.
   */
  async join(meetingId: string, caller: Caller | null, requestedName: string | undefined, address: string | null): Promise<JoinResult> {
    // Guests are counted per address under the lock, so they never take the quick path.
    const guest = caller === null || caller.kind === 'guest';
    const quick = guest ? null : await this.quickAdmit(meetingId, caller, requestedName);
    if (quick === null) this.deps.joinPaths?.inc({ path: 'locked' });
    const outcome = quick ?? (await this.lockedJoin(meetingId, caller, requestedName, guest ? address : null));
    const guestToken = outcome.joiner.newGuestToken;
    if (outcome.kind === 'wait') return { kind: 'waiting', waitingId: outcome.waitingId, guestToken };
    if (!isModerator(outcome.role)) await assertMayBeInMainRoom(this.deps.db, outcome.meeting.id, outcome.joiner.identity);
    const token = await this.deps.tokens.issue({
      identity: outcome.joiner.identity,
      name: outcome.joiner.name,
      role: outcome.role,
      policy: outcome.meeting.policy,
      roomName: outcome.meeting.roomName,
    });
    return { kind: 'admitted', token, livekitUrl: this.deps.tokens.livekitUrl, identity: outcome.joiner.identity, role: outcome.role, meeting: outcome.meeting, guestToken };
  }

  /**
   * The common case, admission without a wait: an unlocked read (skipped when the meeting was seen
   * recently), the decision, and a claim that re-checks under the lock what the decision relied on.
   * Null when the caller is not simply admitted or something changed meanwhile: the locking path
   * then decides and answers.
   */
  private async quickAdmit(id: string, caller: Caller | null, requestedName: string | undefined): Promise<AdmitOutcome | null> {
    if (caller?.kind === 'guest' && caller.meetingId !== id) return null;
    const user = caller?.kind === 'user' ? caller : null;
    const email = user?.email ?? null;
    const name = nameFor(caller, requestedName);
    if (name === null) return null;
    const who = { identity: caller === null ? null : participantIdentity(caller), userId: user?.userId ?? null };
    const decide = (snapshot: JoinSnapshot) =>
      decideAdmission({
        status: snapshot.meeting.status,
        policy: snapshot.meeting.policy,
        role: snapshot.role,
        signedIn: user !== null,
        email,
        invited: snapshot.invited,
        removed: snapshot.removed,
        occupied: snapshot.occupied,
      });
    // What this instance last saw of the meeting decides admissions without a read. When that is
    // out of date (the claim says so) or does not simply admit, a fresh snapshot decides instead.
    const remembered = this.recentMeetings.snapshotFor(id, who);
    const attempts = remembered !== null && decide(remembered).kind === 'admit' ? [remembered, null] : [null];
    let joiner: Joiner | null = null;
    for (const attempt of attempts) {
      let snapshot = attempt;
      if (snapshot === null) {
        snapshot = await this.snapshots.add({ meetingId: id, ...who, email });
        if (snapshot === null) return null;
        this.recentMeetings.remember(snapshot);
        if (decide(snapshot).kind !== 'admit') return null;
      }
      joiner ??= await this.joinerFor(caller, name, id);
      const claimed = await this.claimFor(snapshot, joiner, email);
      if (claimed === null) {
        this.recentMeetings.forget(id);
        continue;
      }
      this.deps.joinPaths?.inc({ path: attempt === null ? 'read' : 'remembered' });
      return claimed;
    }
    return null;
  }

  private async claimFor(snapshot: JoinSnapshot, joiner: Joiner, email: string | null): Promise<AdmitOutcome | null> {
    const { meeting, role } = snapshot;
    const claimed = await this.claims.add({
      snapshot,
      identity: joiner.identity,
      userId: joiner.userId,
      email,
      displayName: joiner.name,
      // Admitted past a waiting room as an invitee: the invitation must still stand at the claim.
      needsInvitation: meeting.policy.waitingRoom && !isModerator(role),
      tokenTtlSeconds: this.deps.tokens.seatHoldSeconds,
    });
    if (claimed === null) return null;
    // Starting the meeting changed its status: what is remembered of it no longer holds.
    if (claimed.status !== meeting.status) this.recentMeetings.forget(meeting.id);
    else this.recentMeetings.claimed(meeting.id, claimed.participantCount);
    const current = { ...meeting, status: claimed.status, startedAt: claimed.startedAt, title: claimed.title };
    return { kind: 'admit', joiner, role, meeting: toView(current, claimed.participantCount) };
  }

  /** Decides inside a transaction that holds the meeting's lock: waits, refusals, and claims that found something changed. */
  private lockedJoin(meetingId: string, caller: Caller | null, requestedName: string | undefined, guestAddress: string | null): Promise<AdmitOutcome | WaitOutcome> {
    return this.deps.db.transaction(async (tx): Promise<AdmitOutcome | WaitOutcome> => {
      // The meeting row stays locked until commit: joins to one meeting take turns here, so the
      // capacity count below cannot be raced past, on any number of server instances.
      const access = await accessOf(tx, meetingId, caller, { forUpdate: true });
      const { meeting } = access;
      const name = nameFor(access.caller, requestedName);
      const user = access.caller?.kind === 'user' ? access.caller : null;
      const email = user?.email ?? null;
      const decision = decideAdmission({
        status: meeting.status,
        policy: meeting.policy,
        role: access.role,
        signedIn: user !== null,
        email,
        invited: user !== null && (await isInvited(tx, meeting.id, user.userId, email)),
        removed: access.identity !== null && (await isRemoved(tx, meeting.id, access.identity)),
        occupied: await countOccupied(tx, meeting.id, access.identity ?? undefined),
        holdsSeat: access.identity !== null && (await holdsSlot(tx, meeting.id, access.identity)),
      });
      if (decision.kind === 'refuse') throw new ApiError(decision.code, refusalMessage(decision.code));
      if (name === null) {
        throw new ApiError('VALIDATION_FAILED', 'Say what name to show: displayName is required.', [
          { field: 'body.displayName', message: 'required without a signed-in name' },
        ]);
      }
      const joiner = await this.joinerFor(access.caller, name, meeting.id);
      await this.assertGuestSeatsLeft(tx, meeting.id, joiner, guestAddress);

      // Someone who still holds a seat (admitted from the line, or reconnecting) does not queue again.
      if (decision.kind === 'wait' && !(await holdsSlot(tx, meeting.id, joiner.identity))) {
        if (await wasDenied(tx, meeting.id, joiner.identity)) throw new ApiError('ADMISSION_DENIED', 'The host did not let you into this meeting.');
        const waitingId = await enqueueWaiter(tx, { meetingId: meeting.id, identity: joiner.identity, userId: joiner.userId, email, displayName: name });
        await publishMeetingEvent(tx, { type: 'waiting-changed', meetingId: meeting.id });
        return { kind: 'wait', waitingId, joiner };
      }
      if (decision.kind === 'admit' && decision.startsMeeting) await markStarted(tx, meeting.id);
      await grantSlot(tx, {
        meetingId: meeting.id,
        identity: joiner.identity,
        userId: joiner.userId,
        email,
        displayName: name,
        role: access.role,
        tokenTtlSeconds: this.deps.tokens.seatHoldSeconds,
        clientIp: guestAddress,
      });
      await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId: meeting.id });
      const current = await meetingView(tx, await requireMeeting(tx, meeting.id));
      return { kind: 'admit', joiner, role: access.role, meeting: current };
    });
  }

  /**
   * Guests cost nothing to mint, so one address could fill a meeting with seats nobody uses: it
   * holds at most `guestSeatsPerAddress` of them in one meeting at once (a guest rejoining keeps
   * their own seat and is not counted twice).
   */
  private async assertGuestSeatsLeft(tx: Sql, meetingId: string, joiner: Joiner, address: string | null): Promise<void> {
    const cap = this.deps.guestSeatsPerAddress;
    if (address === null || cap <= 0) return;
    if ((await countGuestSeatsFrom(tx, meetingId, address, joiner.identity)) >= cap) {
      throw new ApiError('RATE_LIMITED', `Guests from your network already hold ${String(cap)} seats in this meeting; try again once one is free.`, undefined, {
        retryAfterSeconds: this.deps.tokens.seatHoldSeconds,
      });
    }
  }

  private async joinerFor(caller: Caller | null, name: string, meetingId: string): Promise<Joiner> {
    if (caller !== null) {
      return {
        caller,
        identity: participantIdentity(caller),
        userId: caller.kind === 'user' ? caller.userId : null,
        email: caller.kind === 'user' ? caller.email : null,
        name,
        newGuestToken: null,
      };
    }
    const guest: Caller = { kind: 'guest', guestId: randomUUID(), meetingId, name };
    return {
      caller: guest,
      identity: participantIdentity(guest),
      userId: null,
      email: null,
      name,
      newGuestToken: await this.deps.verifier.signGuest({ guestId: guest.guestId, meetingId, name }),
    };
  }
}
