import { LRUCache } from 'lru-cache';
import { isModerator, roleOf } from '../domain/policy.js';
import type { JoinSnapshot } from './join-snapshot.js';

/** A meeting as its last snapshot or claim saw it, whoever was joining then. */
interface CachedMeeting {
  snapshot: JoinSnapshot;
  /** Slots held after the last claim this instance made, or as the last snapshot counted them. */
  held: number;
}

export interface JoinSnapshotCacheOptions {
  /** Meetings remembered at once. */
  maxMeetings?: number;
  /** How long an entry is trusted before it is read again. */
  ttlMs?: number;
}

/**
 * Remembers, per meeting, what the last join snapshot read, so that the next joins to a busy
 * meeting are decided without reading it again. Stale data is safe here by construction: a cached
 * snapshot only ever leads to a claim, and the claim re-checks under the meeting's lock everything
 * the decision relied on (the meeting's status, the policy row's version, the caller's role, the
 * capacity). When anything moved, the claim takes nothing and the entry is forgotten.
 *
 * The cache does not know who is invited, so it answers nothing for a caller the waiting room
 * applies to: there the invitation decides, and it is read from the database.
 */
export class JoinSnapshotCache {
  private readonly meetings: LRUCache<string, CachedMeeting>;

  constructor(options: JoinSnapshotCacheOptions = {}) {
    this.meetings = new LRUCache({ max: options.maxMeetings ?? 5_000, ttl: options.ttlMs ?? 30_000 });
  }

  /** A snapshot for this caller built from what is remembered, or null when it cannot be. */
  snapshotFor(meetingId: string, caller: { identity: string | null; userId: string | null }): JoinSnapshot | null {
    const entry = this.meetings.get(meetingId);
    if (entry === undefined) return null;
    const { meeting } = entry.snapshot;
    const role = roleOf(meeting.hostId, entry.snapshot.coHosts, caller);
    if (meeting.policy.waitingRoom && !isModerator(role)) return null;
    return {
      ...entry.snapshot,
      role,
      invited: false,
      // Removals are per caller and not remembered: the claim refuses a removed caller under the lock.
      removed: false,
      // The caller may hold one of the slots already; counting one fewer never refuses anyone
      // wrongly, and the claim counts exactly.
      occupied: Math.max(0, entry.held - 1),
    };
  }

  /** Keeps what a snapshot read from the database. */
  remember(snapshot: JoinSnapshot): void {
    this.meetings.set(snapshot.meeting.id, { snapshot, held: snapshot.occupied + 1 });
  }

  /** After a successful claim that left the meeting row as it was: the new count. */
  claimed(meetingId: string, participantCount: number): void {
    const entry = this.meetings.get(meetingId);
    if (entry !== undefined) entry.held = participantCount;
  }

  /** The meeting changed (or a claim found so): read it again next time. */
  forget(meetingId: string): void {
    this.meetings.delete(meetingId);
  }
}
