// A room of many remote participants for the controller benchmark: 100 real people cannot join on
// this machine. It offers exactly the parts of livekit-client's Room the controller reads, with the
// same event names and argument shapes, and emits events the way the real room does.
import { ConnectionQuality, RoomEvent, Track, type Room } from 'livekit-client';
import { MeetingApiClient } from '../../../src/core/api/meeting-api-client.js';
import type { Role } from '../../../src/core/api/types.js';

type Handler = (...args: unknown[]) => void;

/**
 * As livekit-client's RemoteTrackPublication with autoSubscribe: every track is wanted from the
 * start (`isDesired`) and none has arrived (`isSubscribed`); `setSubscribed` records the wish, and
 * here marks the track arrived at once. `requests` counts the asks, each of which livekit-client
 * sends to the server.
 */
class SyntheticPublication {
  isSubscribed = false;
  isDesired = true;
  requests = 0;
  isMuted = false;
  constructor(
    readonly trackSid: string,
    readonly source: Track.Source,
    readonly kind: Track.Kind,
  ) {}
  track = undefined;
  setSubscribed(subscribed: boolean): void {
    this.requests++;
    this.isDesired = subscribed;
    this.isSubscribed = subscribed;
  }
}

export class SyntheticParticipant {
  attributes: Record<string, string> = { role: 'attendee' };
  audioLevel = 0;
  connectionQuality = ConnectionQuality.Good;
  readonly trackPublications = new Map<string, SyntheticPublication>();
  readonly permissions = { canPublish: true };
  constructor(
    readonly identity: string,
    readonly name: string,
    readonly joinedAt: Date,
  ) {
    for (const [source, kind] of [
      [Track.Source.Microphone, Track.Kind.Audio],
      [Track.Source.Camera, Track.Kind.Video],
    ] as const) {
      const sid = `TR_${identity}_${source}`;
      this.trackPublications.set(sid, new SyntheticPublication(sid, source, kind));
    }
  }
  getTrackPublication(source: Track.Source): SyntheticPublication | undefined {
    for (const publication of this.trackPublications.values()) if (publication.source === source) return publication;
    return undefined;
  }
}

export class SyntheticRoom {
  private readonly handlers = new Map<string, Set<Handler>>();
  readonly remoteParticipants = new Map<string, SyntheticParticipant>();
  readonly localParticipant = new SyntheticParticipant('local', 'Me', new Date(0));
  readonly isRecording = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const identity = `p${String(i)}`;
      this.remoteParticipants.set(identity, new SyntheticParticipant(identity, `Person ${String(i)}`, new Date(1000 + i)));
    }
  }

  on(event: string, handler: Handler): this {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return this;
  }

  off(event: string, handler: Handler): this {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  emit(event: RoomEvent, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.emit(RoomEvent.Disconnected);
    return Promise.resolve();
  }

  /** The loudest `count` participants, as the server reports them. */
  speak(identities: string[]): void {
    const speakers = identities.map((id, i) => {
      const participant = this.remoteParticipants.get(id);
      if (participant) participant.audioLevel = 1 - i * 0.1;
      return participant;
    });
    this.emit(RoomEvent.ActiveSpeakersChanged, speakers.filter(Boolean));
  }

  get listenerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  asRoom(): Room {
    return this as unknown as Room;
  }
}

/**
 * A token server stand-in that admits at once with the given role: with a synthetic room, only the
 * room matters, and no real server can hand out tokens for it. `meeting` adds to (or replaces)
 * fields of the meeting it answers, e.g. a `startedAt`.
 */
export function syntheticMeetingApi(role: Role, meeting: Record<string, unknown> = {}): MeetingApiClient {
  return new MeetingApiClient({
    baseUrl: 'http://synthetic.invalid',
    fetch: (input) => {
      const url = input instanceof Request ? input.url : input.toString();
      // As the real server answers a meeting with no breakout rooms open.
      if (url.endsWith('/breakouts')) {
        const error = { error: { code: 'BREAKOUTS_NOT_OPEN', message: 'This meeting has no breakout rooms open.' } };
        return Promise.resolve(new Response(JSON.stringify(error), { status: 404, headers: { 'content-type': 'application/json' } }));
      }
      const body = url.endsWith('/join')
        ? { token: 't', livekitUrl: 'ws://synthetic.invalid', identity: 'local', role }
        : url.includes('/chat') || url.endsWith('/polls')
          ? []
          : { id: 'm', title: 'synthetic', status: 'active', policy: { screenShare: 'everyone', chat: 'everyone', recording: 'hosts', locked: false, muteOnEntry: false, polls: 'everyone', breakoutRooms: true }, ...meeting };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
    },
  });
}
