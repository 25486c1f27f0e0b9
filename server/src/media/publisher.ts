// The publishing side of one participant: the tracks it announces with `addTrack`, bound to the send
// sections of its offers, muted, updated or withdrawn. Grants are checked here, against the token,
// whatever the client asks for.
import {
  AudioTrackFeature,
  RequestResponse,
  RequestResponse_Reason,
  TrackInfo,
  TrackPublishedResponse,
  TrackSource,
  TrackType,
  type AddTrackRequest,
  type ParticipantPermission,
  type UpdateLocalAudioTrack,
  type UpdateLocalVideoTrack,
} from '@livekit/protocol';
import type { RTCRtpTransceiver } from 'werift';
import { mayPublishSource } from './grants.js';
import { opusFormatOf, type OpusFormat } from './opus-format.js';
import { longerThan, MAX_NAME_LENGTH, MAX_PUBLISHED_TRACKS } from './limits.js';
import { PublishedTrack } from './published-track.js';
import type { MediaSection } from './sdp-sections.js';
import { sends } from './sdp-sections.js';
import type { SignalResponseMessage } from './signal-codec.js';
import { newSid } from './sids.js';

/** What the publisher needs from its session and, through it, from the room. */
export interface PublisherHost {
  readonly identity: string;
  readonly sid: string;
  permission(): ParticipantPermission | undefined;
  send(message: SignalResponseMessage): void;
  /** The participant's info changed (its track list, a mute): raise its version and tell everyone. */
  changed(): void;
  trackPublished(track: PublishedTrack): void;
  trackMediaReady(track: PublishedTrack): void;
  trackUnpublished(track: PublishedTrack): void;
  audioLevel(level: number): void;
  log(line: string): void;
}

export class Publisher {
  private readonly published = new Map<string, PublishedTrack>();

  constructor(private readonly host: PublisherHost) {}

  tracks(): PublishedTrack[] {
    return [...this.published.values()];
  }

  track(sid: string): PublishedTrack | undefined {
    return this.published.get(sid);
  }

  infos(): TrackInfo[] {
    return this.tracks().map((t) => t.info);
  }

  addTrack(request: AddTrackRequest): void {
    const pending = this.tracks().find((t) => t.cid === request.cid);
    if (pending) {
      // The same request again (a client retrying): the same answer, nothing new announced.
      this.host.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: request.cid, track: pending.info }) });
      return;
    }
    const limit = this.limitProblem(request);
    if (limit) {
      this.host.log(`${this.host.identity}: refused to publish: ${limit}`);
      this.host.send({
        case: 'requestResponse',
        value: new RequestResponse({
          reason: RequestResponse_Reason.LIMIT_EXCEEDED,
          message: limit,
          request: { case: 'addTrack', value: request },
        }),
      });
      return;
    }
    const source = request.source;
    const permission = this.host.permission();
    const kindOk = request.type === TrackType.AUDIO || request.type === TrackType.VIDEO;
    if (!kindOk || !permission || !mayPublishSource(permission, source)) {
      this.host.log(`${this.host.identity}: refused to publish ${TrackSource[source]}`);
      this.host.send({
        case: 'requestResponse',
        value: new RequestResponse({
          reason: RequestResponse_Reason.NOT_ALLOWED,
          message: `not allowed to publish ${TrackSource[source]}`,
          request: { case: 'addTrack', value: request },
        }),
      });
      return;
    }
    const info = new TrackInfo({
      sid: newSid('TR_'),
      type: request.type,
      name: request.name,
      muted: request.muted,
      width: request.width,
      height: request.height,
      simulcast: request.layers.length > 1,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still what clients send and read
      disableDtx: request.disableDtx,
      source,
      layers: request.layers,
      mimeType: request.type === TrackType.AUDIO ? 'audio/opus' : 'video/VP8',
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still what clients send and read
      stereo: request.stereo,
      stream: request.stream,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still what clients send
      audioFeatures: audioFeatures(request.audioFeatures, { stereo: request.stereo, noDtx: request.disableDtx }),
    });
    const track = new PublishedTrack(info, this.host.identity, this.host.sid, request.cid, (level) => {
      this.host.audioLevel(level);
    });
    this.published.set(info.sid, track);
    this.host.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: request.cid, track: info }) });
    this.host.changed();
    this.host.trackPublished(track);
  }

  private limitProblem(request: AddTrackRequest): string | undefined {
    if (this.published.size >= MAX_PUBLISHED_TRACKS) return `at most ${String(MAX_PUBLISHED_TRACKS)} published tracks`;
    if (longerThan(request.cid, MAX_NAME_LENGTH) || request.cid === '') return `a track id of 1 to ${String(MAX_NAME_LENGTH)} characters`;
    if (longerThan(request.name, MAX_NAME_LENGTH)) return `a track name of at most ${String(MAX_NAME_LENGTH)} characters`;
    if (longerThan(request.stream, MAX_NAME_LENGTH)) return `a stream name of at most ${String(MAX_NAME_LENGTH)} characters`;
    if (request.layers.length > 3) return 'at most 3 simulcast layers';
    return undefined;
  }

  /** Mutes or unmutes one of these tracks; false when it is not one of them. */
  setMuted(trackSid: string, muted: boolean): boolean {
    const track = this.published.get(trackSid);
    if (!track) return false;
    if (track.info.muted !== muted) {
      track.info.muted = muted;
      this.host.changed();
    }
    return true;
  }

  /** The client reports new dimensions for a video track it publishes. */
  updateVideo(update: UpdateLocalVideoTrack): boolean {
    const track = this.published.get(update.trackSid);
    if (track?.kind !== 'video') return false;
    track.info.width = update.width;
    track.info.height = update.height;
    this.host.changed();
    return true;
  }

  /** The client reports new audio features (stereo, noise suppression…) for a track it publishes. */
  updateAudio(update: UpdateLocalAudioTrack): boolean {
    const track = this.published.get(update.trackSid);
    if (track?.kind !== 'audio') return false;
    // As LiveKit does: the features replace the old ones, the flags follow them.
    track.info.audioFeatures = audioFeatures(update.features);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still what clients read
    track.info.stereo = track.info.audioFeatures.includes(AudioTrackFeature.TF_STEREO);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still what clients read
    track.info.disableDtx = track.info.audioFeatures.includes(AudioTrackFeature.TF_NO_DTX);
    this.host.changed();
    return true;
  }

  /** How the Opus encoder of the audio track bound to `mid` should run; undefined for any other section. */
  opusFormat(mid: string): OpusFormat | undefined {
    const track = this.tracks().find((t) => t.info.mid === mid);
    return track?.kind === 'audio' ? opusFormatOf(track.info.audioFeatures) : undefined;
  }

  /** New grants: tracks of sources no longer allowed are withdrawn. */
  applyPermission(permission: ParticipantPermission): void {
    for (const track of this.tracks()) {
      if (mayPublishSource(permission, track.info.source)) continue;
      this.withdraw(track);
    }
  }

  /** Binds the send sections of an offer to the tracks announced with `addTrack`; drops the ones gone. */
  applyOffer(sections: readonly MediaSection[], transceivers: ReadonlyMap<string, RTCRtpTransceiver>): void {
    for (const section of sections) {
      if (section.kind === 'application') continue;
      const transceiver = transceivers.get(section.mid);
      if (!transceiver) continue;
      if (sends(section.direction) && section.port !== 0) this.bindSection(section.mid, section.trackId, transceiver);
      else this.unbindSection(section.mid);
    }
  }

  /** The session ends: every track goes, without a participant update (the room announces the leave). */
  close(): void {
    for (const track of this.published.values()) {
      this.host.trackUnpublished(track);
      track.close();
    }
    this.published.clear();
  }

  private withdraw(track: PublishedTrack): void {
    this.published.delete(track.sid);
    this.host.trackUnpublished(track);
    track.close();
  }

  private bindSection(mid: string, cid: string | undefined, transceiver: RTCRtpTransceiver): void {
    const track = this.tracks().find((t) => t.info.mid === mid || (cid !== undefined && t.cid === cid));
    if (!track) return;
    if (track.info.mid === mid && track.hasMedia) return;
    track.info.mid = mid;
    track.setExtensions(transceiver.headerExtensions);
    const attach = (): void => {
      const hadMedia = track.hasMedia;
      let added = false;
      for (const media of transceiver.receiver.tracks) added = track.attachSource(media, transceiver.receiver) || added;
      if (!hadMedia && added) this.host.trackMediaReady(track);
    };
    attach();
    transceiver.onTrack.subscribe(() => {
      attach();
    });
  }

  private unbindSection(mid: string): void {
    const track = this.tracks().find((t) => t.info.mid === mid);
    if (!track) return;
    this.withdraw(track);
    this.host.changed();
  }
}

const KNOWN_FEATURES = new Set(Object.values(AudioTrackFeature).filter((v): v is AudioTrackFeature => typeof v === 'number'));

/**
 * A track's audio features as LiveKit keeps them: each known one once, and the older stereo and
 * DTX flags of the request folded in.
 */
function audioFeatures(requested: readonly AudioTrackFeature[], flags: { stereo?: boolean; noDtx?: boolean } = {}): AudioTrackFeature[] {
  const features = new Set(requested.filter((f) => KNOWN_FEATURES.has(f)));
  if (flags.stereo) features.add(AudioTrackFeature.TF_STEREO);
  if (flags.noDtx) features.add(AudioTrackFeature.TF_NO_DTX);
  return [...features];
}
