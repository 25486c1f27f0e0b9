// Participants and speakers: one view per person from the room's participants, the active
// speakers, and the news of people coming and going. The people already in the call when the user
// arrives are state, not news.
import type { ConnectionQuality, Participant, RemoteParticipant, Room, Track, TrackPublication } from 'livekit-client';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';
import type { ConnectionQualityName, ParticipantView, TrackRef, TrackSourceName } from '../controller/state.js';

export const HAND_ATTRIBUTE = 'hand';


export interface ParticipantsUnit {
  bind(room: Room, lk: LiveKit): void;
  /**
   * Takes the people present once the room is connected as the starting point. On a rejoin, those
   * the user had not seen before (they came during the outage) are news.
   */
  baseline(room: Room, rejoin: boolean): void;
  /** One view per participant, the local one first, then by arrival; an unchanged view keeps its object. */
  collect(room: Room, lk: LiveKit): Map<string, ParticipantView>;
  readonly speakers: readonly string[];
  readonly lastSpokeAt: ReadonlyMap<string, number>;
  /** A new meeting session (join after leave): nobody is known. */
  reset(): void;
}

export function setupParticipants(ctx: CoreContext): ParticipantsUnit {
  let speakers: string[] = [];
  const lastSpokeAt = new Map<string, number>();
  /** Everyone else the user has seen in this session, so a rejoin does not announce them again. */
  const known = new Set<string>();

  const news = (participant: Participant) => ({ identity: participant.identity, name: participant.name || participant.identity });

  return {
    bind(room, lk) {
      const refresh = (): void => {
        ctx.scheduleRefresh();
      };
      const E = lk.RoomEvent;
      // After any of these the views are rebuilt, once per burst, at the end of the task.
      for (const event of [
        E.ParticipantConnected,
        E.ParticipantDisconnected,
        E.TrackPublished,
        E.TrackUnpublished,
        E.TrackSubscribed,
        E.TrackUnsubscribed,
        E.TrackMuted,
        E.TrackUnmuted,
        E.LocalTrackPublished,
        E.LocalTrackUnpublished,
        E.ConnectionQualityChanged,
        E.ParticipantNameChanged,
        E.ParticipantMetadataChanged,
        E.ParticipantAttributesChanged,
        E.ParticipantPermissionsChanged,
      ]) {
        ctx.listeners.on(room, event, refresh);
      }
      ctx.listeners.on(room, lk.RoomEvent.ActiveSpeakersChanged, ((active: Participant[]) => {
        const now = Date.now();
        for (const speaker of active) lastSpokeAt.set(speaker.identity, now);
        // Kept aside and published by the refresh, so one speaker change is one notification.
        speakers = active.map((p) => p.identity);
        ctx.scheduleRefresh();
      }));
      ctx.listeners.on(room, lk.RoomEvent.ParticipantConnected, ((participant: RemoteParticipant) => {
        if (known.has(participant.identity)) return;
        known.add(participant.identity);
        ctx.events.emit('participant-joined', news(participant));
      }));
      ctx.listeners.on(room, lk.RoomEvent.ParticipantDisconnected, ((participant: RemoteParticipant) => {
        known.delete(participant.identity);
        ctx.events.emit('participant-left', news(participant));
      }));
    },
    baseline(room, rejoin) {
      for (const participant of room.remoteParticipants.values()) {
        if (known.has(participant.identity)) continue;
        known.add(participant.identity);
        if (rejoin) ctx.events.emit('participant-joined', news(participant));
      }
    },
    collect(room, lk) {
      const speaking = new Set(speakers);
      const previous = new Map(ctx.state.participants.map((p) => [p.identity, p]));
      const keep = (view: ParticipantView): ParticipantView => {
        const before = previous.get(view.identity);
        return before && sameView(before, view) ? before : view;
      };
      const views = new Map<string, ParticipantView>();
      const local = room.localParticipant;
      views.set(local.identity, keep(viewOf(lk, local, true, speaking)));
      for (const participant of room.remoteParticipants.values()) views.set(participant.identity, keep(viewOf(lk, participant, false, speaking)));
      return views;
    },
    get speakers() {
      return speakers;
    },
    lastSpokeAt,
    reset() {
      known.clear();
      speakers = [];
      lastSpokeAt.clear();
    },
  };
}

function sourceOf(lk: LiveKit, source: TrackSourceName): Track.Source {
  return source === 'microphone' ? lk.Track.Source.Microphone : source === 'camera' ? lk.Track.Source.Camera : lk.Track.Source.ScreenShare;
}

const QUALITY: Record<string, ConnectionQualityName> = { excellent: 'excellent', good: 'good', poor: 'poor', lost: 'lost' };

function qualityOf(quality: ConnectionQuality): ConnectionQualityName {
  return QUALITY[quality] ?? 'unknown';
}

/** The hand attribute holds when it went up (ms since epoch), or '' when it is down. */
export function handOf(participant: Participant): number | undefined {
  const value = participant.attributes[HAND_ATTRIBUTE];
  if (!value) return undefined;
  const at = Number(value);
  return Number.isFinite(at) ? at : undefined;
}

function viewOf(lk: LiveKit, participant: Participant, isLocal: boolean, speaking: Set<string>): ParticipantView {
  const ref = (source: TrackSourceName): TrackRef => {
    const publication: TrackPublication | undefined = participant.getTrackPublication(sourceOf(lk, source));
    return {
      identity: participant.identity,
      source,
      trackSid: publication?.trackSid,
      muted: publication?.isMuted ?? true,
      subscribed: isLocal ? publication !== undefined : publication?.isSubscribed === true,
    };
  };
  const handAt = handOf(participant);
  const role = participant.attributes.role;
  return {
    identity: participant.identity,
    name: participant.name || participant.identity,
    role: role === 'host' || role === 'co-host' ? role : 'attendee',
    isLocal,
    speaking: speaking.has(participant.identity),
    audioLevel: participant.audioLevel,
    connectionQuality: qualityOf(participant.connectionQuality),
    microphone: ref('microphone'),
    camera: ref('camera'),
    screenShare: ref('screen_share'),
    handRaised: handAt !== undefined,
    handRaisedAt: handAt,
    joinedAt: participant.joinedAt?.getTime() ?? 0,
  };
}

/** The track of `identity`'s `source`, local or remote, to attach to an element. */
export function mediaTrackOf(room: Room, lk: LiveKit, identity: string, source: TrackSourceName): Track | undefined {
  const participant: Participant | undefined = identity === room.localParticipant.identity ? room.localParticipant : room.remoteParticipants.get(identity);
  return participant?.getTrackPublication(sourceOf(lk, source))?.track;
}

function sameRef(a: TrackRef, b: TrackRef): boolean {
  return a.trackSid === b.trackSid && a.muted === b.muted && a.subscribed === b.subscribed;
}

function sameView(a: ParticipantView, b: ParticipantView): boolean {
  return (
    a.name === b.name &&
    a.role === b.role &&
    a.speaking === b.speaking &&
    // Levels flicker constantly; only a change a meter would show counts.
    Math.abs(a.audioLevel - b.audioLevel) < 0.05 &&
    a.connectionQuality === b.connectionQuality &&
    a.handRaised === b.handRaised &&
    a.handRaisedAt === b.handRaisedAt &&
    a.joinedAt === b.joinedAt &&
    sameRef(a.microphone, b.microphone) &&
    sameRef(a.camera, b.camera) &&
    sameRef(a.screenShare, b.screenShare)
  );
}
