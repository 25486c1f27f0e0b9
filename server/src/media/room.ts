// A room: who is in it, what they publish, and what goes between them (participant updates, data
// packets, active speakers). Sessions do the WebRTC; the room decides who hears about what.
import {
  DataPacket,
  DataPacket_Kind,
  ParticipantInfo,
  Room as RoomInfo,
  SpeakerInfo,
  SpeakersChanged,
  ParticipantUpdate,
  RoomUpdate,
  TrackUnpublishedResponse,
} from '@livekit/protocol';
import { ConnectionQualityReporter, QUALITY_TICK_MS } from './connection-quality.js';
import type { ParticipantSession, RoomPort, SessionStats } from './participant-session.js';
import type { PublishedTrack } from './published-track.js';
import { encodeResponse } from './signal-codec.js';
import { newSid } from './sids.js';

/** -dBov at or below which (louder) a sample counts as speech. */
const SPEECH_DBOV = 55;
const SPEECH_HOLD_MS = 1000;
const SPEAKER_TICK_MS = 250;
/**
 * Participant changes within this window reach each participant as one update carrying the latest
 * state of everyone who changed, so a burst (many joins, a client churning its tracks) costs one
 * message per participant per window instead of one per change.
 */
const UPDATE_BATCH_MS = 50;

export interface RoomEvents {
  participantJoined(room: Room, participant: ParticipantInfo): void;
  participantLeft(room: Room, participant: ParticipantInfo): void;
  trackPublished(room: Room, participant: ParticipantInfo, track: PublishedTrack): void;
  trackUnpublished(room: Room, participant: ParticipantInfo, track: PublishedTrack): void;
  roomEmpty(room: Room): void;
}

/** Something that follows the room's published media (a recording). */
export interface MediaWatcher {
  /** A track has media now (or again). */
  trackReady(track: PublishedTrack): void;
  trackGone(track: PublishedTrack): void;
  roomClosed(): void;
}

interface SpeechState {
  lastLoudAt: number;
  level: number;
  active: boolean;
}

export class Room implements RoomPort {
  readonly info: RoomInfo;
  private readonly sessions = new Map<string, ParticipantSession>();
  /** Every published track in the room by sid, so a lookup does not walk every session. */
  private readonly tracks = new Map<string, PublishedTrack>();
  private readonly speech = new Map<string, SpeechState>();
  private readonly speakerTimer: NodeJS.Timeout;
  private readonly qualityTimer: NodeJS.Timeout;
  /** Sessions whose info changed since the last update went out, by sid, in the order they first changed. */
  private readonly changed = new Map<string, ParticipantSession>();
  private updateTimer: NodeJS.Timeout | undefined;
  private speakerUpdateSoon = false;
  /** The recordings running in this room. */
  readonly watchers = new Set<MediaWatcher>();

  constructor(
    readonly name: string,
    private readonly events: RoomEvents,
    options: { maxParticipants?: number; metadata?: string; emptyTimeout?: number; departureTimeout?: number } = {},
  ) {
    const now = Date.now();
    this.info = new RoomInfo({
      sid: newSid('RM_'),
      name,
      maxParticipants: options.maxParticipants ?? 0,
      metadata: options.metadata ?? '',
      emptyTimeout: options.emptyTimeout ?? 300,
      departureTimeout: options.departureTimeout ?? 20,
      creationTime: BigInt(Math.floor(now / 1000)),
      creationTimeMs: BigInt(now),
    });
    this.speakerTimer = setInterval(() => {
      this.updateSpeakers();
    }, SPEAKER_TICK_MS);
    this.speakerTimer.unref();
    const quality = new ConnectionQualityReporter(() => this.sessions.values());
    this.qualityTimer = setInterval(() => {
      quality.tick();
    }, QUALITY_TICK_MS);
    this.qualityTimer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  participants(): ParticipantSession[] {
    return [...this.sessions.values()];
  }

  participant(identity: string): ParticipantSession | undefined {
    return this.sessions.get(identity);
  }

  isFull(limit: number): boolean {
    const max = this.info.maxParticipants > 0 ? this.info.maxParticipants : limit;
    return max > 0 && this.sessions.size >= max;
  }

  roomInfo(): RoomInfo {
    this.info.numParticipants = this.sessions.size;
    this.info.numPublishers = this.participants().filter((s) => s.tracks().length > 0).length;
    return this.info;
  }

  setMetadata(metadata: string): void {
    this.info.metadata = metadata;
    this.broadcastRoom();
  }

  /**
   * Whether the room is being recorded, told to everyone in it as LiveKit does (livekit-client's
   * RecordingStatusChanged): what every participant's recording indicator shows.
   */
  setRecording(active: boolean): void {
    if (this.info.activeRecording === active) return;
    this.info.activeRecording = active;
    this.broadcastRoom();
  }

  private broadcastRoom(): void {
    const update = encodeResponse({ case: 'roomUpdate', value: new RoomUpdate({ room: this.roomInfo() }) });
    for (const session of this.sessions.values()) session.sendEncoded(update);
  }

  add(session: ParticipantSession): void {
    this.sessions.set(session.identity, session);
    this.broadcastParticipant(session);
    this.events.participantJoined(this, session.info);
  }

  visibleOthers(session: ParticipantSession): ParticipantInfo[] {
    return this.participants()
      .filter((s) => s !== session && !s.hidden)
      .map((s) => s.info);
  }

  publishedTracks(except: ParticipantSession): PublishedTrack[] {
    return [...this.tracks.values()].filter((t) => t.publisherSid !== except.sid);
  }

  trackBySid(sid: string): PublishedTrack | undefined {
    return this.tracks.get(sid);
  }

  maySubscribe(viewer: ParticipantSession, track: PublishedTrack): boolean {
    const publisher = this.sessions.get(track.publisherIdentity);
    return publisher?.sid !== track.publisherSid || publisher.allows(viewer, track.sid);
  }

  subscriptionPermissionChanged(publisher: ParticipantSession): void {
    const tracks = publisher.tracks();
    for (const session of this.sessions.values()) if (session !== publisher) session.recheckSubscriptions(tracks);
  }

  participantChanged(session: ParticipantSession): void {
    if (this.sessions.get(session.identity) !== session) return;
    this.broadcastParticipant(session);
  }

  trackPublished(track: PublishedTrack): void {
    const publisher = this.sessions.get(track.publisherIdentity);
    if (publisher?.sid !== track.publisherSid) return;
    this.tracks.set(track.sid, track);
    this.events.trackPublished(this, publisher.info, track);
  }

  /** Every track published in the room, with media or not yet. */
  allTracks(): PublishedTrack[] {
    return [...this.tracks.values()];
  }

  trackMediaReady(track: PublishedTrack): void {
    for (const watcher of this.watchers) watcher.trackReady(track);
    for (const session of this.sessions.values()) {
      if (session.identity !== track.publisherIdentity) session.considerSubscribing(track);
    }
  }

  trackUnpublished(track: PublishedTrack): void {
    if (!this.tracks.delete(track.sid)) return;
    for (const watcher of this.watchers) watcher.trackGone(track);
    for (const session of this.sessions.values()) {
      if (session.identity !== track.publisherIdentity) session.unsubscribe(track.sid);
    }
    const publisher = this.sessions.get(track.publisherIdentity);
    publisher?.send({ case: 'trackUnpublished', value: new TrackUnpublishedResponse({ trackSid: track.sid }) });
    if (publisher) this.events.trackUnpublished(this, publisher.info, track);
  }

  relayData(from: ParticipantSession, packet: DataPacket, kind: DataPacket_Kind): void {
    // The sender is whoever owns the connection, never what the packet claims.
    packet.participantIdentity = from.identity;
    /* eslint-disable @typescript-eslint/no-deprecated -- older clients still read and write these */
    packet.participantSid = from.sid;
    let destinations = packet.destinationIdentities;
    if (packet.value.case === 'user') {
      packet.value.value.participantIdentity = from.identity;
      packet.value.value.participantSid = from.sid;
      if (destinations.length === 0) destinations = packet.value.value.destinationIdentities;
    }
    /* eslint-enable @typescript-eslint/no-deprecated */
    this.deliver(packet, kind, destinations, from.identity);
  }

  /** Sends a packet to `destinations` (everyone when empty), never back to `exceptIdentity`. */
  deliver(packet: DataPacket, kind: DataPacket_Kind, destinations: readonly string[], exceptIdentity?: string): void {
    const bytes = packet.toBinary();
    for (const session of this.sessions.values()) {
      if (session.identity === exceptIdentity) continue;
      if (destinations.length > 0 && !destinations.includes(session.identity)) continue;
      session.deliverData(bytes, kind);
    }
  }

  audioLevel(session: ParticipantSession, dBov: number): void {
    if (dBov > SPEECH_DBOV) return;
    const state = this.speech.get(session.identity) ?? { lastLoudAt: 0, level: 0, active: false };
    state.lastLoudAt = Date.now();
    const linear = Math.pow(10, -dBov / 20);
    state.level = state.level === 0 ? linear : state.level * 0.7 + linear * 0.3;
    this.speech.set(session.identity, state);
    // Someone who starts speaking is announced at once, not at the next tick: that is what moves
    // their tile onto the first page. Falling silent waits for the hold, on the tick.
    if (!state.active && !this.speakerUpdateSoon) {
      this.speakerUpdateSoon = true;
      setImmediate(() => {
        this.speakerUpdateSoon = false;
        this.updateSpeakers();
      });
    }
  }

  sessionEnded(session: ParticipantSession): void {
    if (this.sessions.get(session.identity) !== session) return;
    this.sessions.delete(session.identity);
    this.speech.delete(session.identity);
    this.broadcastParticipant(session);
    this.events.participantLeft(this, session.info);
    if (this.sessions.size === 0) this.events.roomEmpty(this);
  }

  stats(): { name: string; sid: string; participants: SessionStats[] } {
    return { name: this.name, sid: this.info.sid, participants: this.participants().map((s) => s.stats()) };
  }

  close(): void {
    for (const watcher of [...this.watchers]) watcher.roomClosed();
    this.watchers.clear();
    clearInterval(this.speakerTimer);
    clearInterval(this.qualityTimer);
    clearTimeout(this.updateTimer);
    this.changed.clear();
  }

  private broadcastParticipant(session: ParticipantSession): void {
    if (!this.changed.has(session.sid)) this.changed.set(session.sid, session);
    this.updateTimer ??= setTimeout(() => {
      this.flushParticipantUpdates();
    }, UPDATE_BATCH_MS);
    this.updateTimer.unref();
  }

  /** One update per participant with the latest info of everyone who changed; encoded once for all who see the same. */
  private flushParticipantUpdates(): void {
    this.updateTimer = undefined;
    const changed = [...this.changed.values()];
    this.changed.clear();
    // A hidden participant is announced to nobody but itself.
    const visible = changed.filter((s) => !s.hidden).map((s) => s.info);
    const shared = visible.length > 0 ? encodeResponse({ case: 'update', value: new ParticipantUpdate({ participants: visible }) }) : undefined;
    for (const recipient of this.sessions.values()) {
      const own = recipient.hidden && changed.includes(recipient);
      if (own) {
        recipient.send({ case: 'update', value: new ParticipantUpdate({ participants: [...visible, recipient.info] }) });
      } else if (shared) {
        recipient.sendEncoded(shared);
      }
    }
  }

  private updateSpeakers(): void {
    const now = Date.now();
    const changed: SpeakerInfo[] = [];
    for (const [identity, state] of this.speech) {
      const session = this.sessions.get(identity);
      if (!session) continue;
      const active = now - state.lastLoudAt < SPEECH_HOLD_MS;
      if (active !== state.active) {
        state.active = active;
        changed.push(new SpeakerInfo({ sid: session.sid, level: active ? Math.min(1, state.level) : 0, active }));
      }
      if (!active) state.level = 0;
    }
    if (changed.length === 0) return;
    const message = encodeResponse({ case: 'speakersChanged', value: new SpeakersChanged({ speakers: changed }) });
    for (const session of this.sessions.values()) session.sendEncoded(message);
  }
}
