// One participant's connection: its signalling socket and its single peer connection. The client
// always offers; the server answers. What arrives on the socket goes through the signal handler
// table (`signal-handlers.ts`); publishing, subscribing and data channels each live in their module,
// and this class ties them to the socket, the peer connection and the room.
import {
  ClientConfigSetting,
  ClientConfiguration,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo,
  ParticipantInfo_State,
  RequestResponse,
  RequestResponse_Reason,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  type AddTrackRequest,
  type DataPacket,
  type DataPacket_Kind,
  type JoinRequest,
  type ParticipantPermission,
  type Room as RoomInfo,
  type UpdateLocalAudioTrack,
  type UpdateLocalVideoTrack,
  type UpdateParticipantMetadata,
  type UpdateSubscription,
  type UpdateTrackSettings,
} from '@livekit/protocol';
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import type { WebSocket } from 'ws';
import { normalizeDisplayName, SIGNAL_BYTE_RATE, SIGNAL_RATE, TokenBucket } from './limits.js';
import { applyMetadataChange } from './participant-metadata.js';
import { DataChannels } from './data-channels.js';
import type { JoinClaims } from './grants.js';
import { completeAnswer, createPeer, type PeerOptions } from './peer.js';
import type { PublishedTrack, PublishedTrackStats } from './published-track.js';
import { Publisher } from './publisher.js';
import { readMediaSections, RemoteCandidates } from './sdp-sections.js';
import { dispatchSignal, type SignalCase, type SignalSession } from './signal-handlers.js';
import { routeSimulcastByMid } from './simulcast-routing.js';
import { decodeRequest, encodeResponse, type SignalResponseMessage } from './signal-codec.js';
import { newSid } from './sids.js';
import { Subscriber, type SlotStats } from './subscriber.js';

export const SERVER_VERSION = '1.9.0';
const PING_INTERVAL_S = 5;
const PING_TIMEOUT_S = 15;

/** What a session needs from its room. */
export interface RoomPort {
  readonly name: string;
  roomInfo(): RoomInfo;
  visibleOthers(session: ParticipantSession): ParticipantInfo[];
  publishedTracks(except: ParticipantSession): PublishedTrack[];
  trackBySid(sid: string): PublishedTrack | undefined;
  participantChanged(session: ParticipantSession): void;
  trackPublished(track: PublishedTrack): void;
  trackMediaReady(track: PublishedTrack): void;
  trackUnpublished(track: PublishedTrack): void;
  relayData(from: ParticipantSession, packet: DataPacket, kind: DataPacket_Kind): void;
  audioLevel(session: ParticipantSession, level: number): void;
  sessionEnded(session: ParticipantSession): void;
}

/** What one session publishes and receives, for the debug endpoint and the leave log. */
export interface SessionStats {
  sid: string;
  identity: string;
  state: string;
  publishes: PublishedTrackStats[];
  wanted: string[];
  receives: SlotStats[];
}

export interface SessionOptions extends PeerOptions {
  log: (line: string) => void;
  /** Counts a request the server refused to act on, by message case. */
  refused?: (what: string) => void;
}

export class ParticipantSession implements SignalSession {
  readonly sid = newSid('PA_');
  readonly info: ParticipantInfo;
  private readonly pc: RTCPeerConnection;
  private readonly publisher: Publisher;
  private readonly subscriber: Subscriber;
  private readonly data: DataChannels;
  private negotiation: Promise<void> = Promise.resolve();
  private readonly remoteCandidates = new RemoteCandidates();
  private lastPingAt = Date.now();
  private readonly messages = new TokenBucket(SIGNAL_RATE.burst, SIGNAL_RATE.perSecond);
  private readonly messageBytes = new TokenBucket(SIGNAL_BYTE_RATE.burst, SIGNAL_BYTE_RATE.perSecond);
  private readonly pingWatch: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly ws: WebSocket,
    readonly claims: JoinClaims,
    joinRequest: JoinRequest,
    private readonly room: RoomPort,
    private readonly options: SessionOptions,
  ) {
    const now = Date.now();
    // What the client itself puts in its join request counts only when the token lets it set its
    // own metadata; otherwise a modified client could join with any attributes it likes.
    const ownMetadata = claims.permission.canUpdateMetadata ? joinRequest : undefined;
    this.info = new ParticipantInfo({
      sid: this.sid,
      identity: claims.identity,
      name: normalizeDisplayName(claims.name),
      metadata: claims.metadata || (ownMetadata?.metadata ?? ''),
      attributes: { ...ownMetadata?.participantAttributes, ...claims.attributes },
      state: ParticipantInfo_State.JOINED,
      joinedAt: BigInt(Math.floor(now / 1000)),
      joinedAtMs: BigInt(now),
      version: 1,
      permission: claims.permission,
    });
    this.pc = createPeer(options);
    routeSimulcastByMid(this.pc);
    const permission = (): ParticipantPermission | undefined => this.info.permission;
    const send = (message: SignalResponseMessage): void => {
      this.send(message);
    };
    this.publisher = new Publisher({
      identity: this.identity,
      sid: this.sid,
      permission,
      send,
      changed: () => {
        this.tracksChanged();
      },
      trackPublished: (track) => {
        room.trackPublished(track);
      },
      trackMediaReady: (track) => {
        room.trackMediaReady(track);
      },
      trackUnpublished: (track) => {
        room.trackUnpublished(track);
      },
      audioLevel: (level) => {
        room.audioLevel(this, level);
      },
      log: options.log,
    });
    this.subscriber = new Subscriber(
      {
        identity: this.identity,
        sid: this.sid,
        isClosed: () => this.ended,
        permission,
        send,
        trackBySid: (sid) => room.trackBySid(sid),
      },
      this.pc,
      joinRequest.connectionSettings?.autoSubscribe ?? true,
    );
    this.data = new DataChannels({
      permission,
      relay: (packet, kind) => {
        room.relayData(this, packet, kind);
      },
      throttled: () => {
        this.refuse('data', 'data rate exceeded: packets dropped');
      },
    });
    this.pc.onDataChannel.subscribe((channel) => {
      this.data.adopt(channel);
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && this.info.state !== ParticipantInfo_State.ACTIVE) {
        this.info.state = ParticipantInfo_State.ACTIVE;
        this.bump();
      }
      if (state === 'failed') this.close(DisconnectReason.CONNECTION_TIMEOUT);
    });
    // A malformed frame (a reserved opcode, bad UTF-8, an oversized message) makes ws emit 'error'
    // and close the socket; unheard, that error would end the process.
    ws.on('error', (error) => {
      options.log(`${this.identity}: signal socket error: ${error.message}`);
      this.close(DisconnectReason.SIGNAL_CLOSE);
    });
    ws.on('message', (data, isBinary) => {
      if (this.ended) return;
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!this.messages.take() || !this.messageBytes.take(buffer.byteLength)) {
        this.refuse('rate', 'signal rate limit exceeded');
        this.close(DisconnectReason.SIGNAL_CLOSE, true, 'signal rate limit exceeded');
        return;
      }
      this.onSignal(isBinary ? buffer : buffer.toString('utf8')).catch((error: unknown) => {
        options.log(`${this.identity}: signal handling failed: ${(error as Error).message}`);
      });
    });
    ws.on('close', () => {
      this.close(DisconnectReason.CLIENT_INITIATED);
    });
    this.pingWatch = setInterval(() => {
      if (Date.now() - this.lastPingAt > PING_TIMEOUT_S * 1000) this.close(DisconnectReason.SIGNAL_CLOSE);
    }, 1000);
    this.pingWatch.unref();
  }

  get identity(): string {
    return this.info.identity;
  }

  get hidden(): boolean {
    return this.info.permission?.hidden ?? false;
  }

  get autoSubscribe(): boolean {
    return this.subscriber.autoSubscribe;
  }

  /** Sends the join response, then answers the offer the client put in its join request. */
  start(joinRequest: JoinRequest): void {
    for (const track of this.room.publishedTracks(this)) this.subscriber.consider(track);
    this.send({
      case: 'join',
      value: new JoinResponse({
        room: this.room.roomInfo(),
        participant: this.info,
        otherParticipants: this.room.visibleOthers(this),
        serverVersion: SERVER_VERSION,
        serverInfo: new ServerInfo({
          edition: ServerInfo_Edition.Standard,
          version: SERVER_VERSION,
          protocol: 16,
          nodeId: 'meeting-widget-media',
        }),
        iceServers: [],
        subscriberPrimary: false,
        pingInterval: PING_INTERVAL_S,
        pingTimeout: PING_TIMEOUT_S,
        // Resuming needs server-side session state this server does not keep; a full rejoin works.
        clientConfiguration: new ClientConfiguration({ resumeConnection: ClientConfigSetting.DISABLED }),
      }),
    });
    if (joinRequest.publisherOffer) this.answerOffer(joinRequest.publisherOffer);
  }

  send(message: SignalResponseMessage): void {
    this.sendEncoded(encodeResponse(message));
  }

  /** Sends a response encoded once for many recipients. */
  sendEncoded(bytes: Uint8Array): void {
    if (this.ended || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(bytes);
  }

  /** Raises the version and tells the room, which tells everyone. */
  bump(): void {
    this.info.version++;
    this.room.participantChanged(this);
  }

  tracks(): PublishedTrack[] {
    return this.publisher.tracks();
  }

  /** Delivers a data packet on this participant's channel of the same kind. */
  deliverData(bytes: Uint8Array, kind: DataPacket_Kind): void {
    this.data.deliver(bytes, kind);
  }

  /** A remote track was published or got media: subscribe when this participant subscribes automatically. */
  considerSubscribing(track: PublishedTrack): void {
    this.subscriber.consider(track);
  }

  unsubscribe(trackSid: string): void {
    this.subscriber.unsubscribe(trackSid);
  }

  /** Mutes or unmutes one of this participant's tracks and says so to everyone. */
  setTrackMuted(trackSid: string, muted: boolean): boolean {
    return this.publisher.setMuted(trackSid, muted);
  }

  /** New grants from the server API: tracks it may no longer publish are unpublished, subscriptions dropped. */
  updatePermission(permission: ParticipantPermission): void {
    this.info.permission = permission;
    this.publisher.applyPermission(permission);
    this.info.tracks = this.publisher.infos();
    this.subscriber.applyPermission(permission);
  }

  /**
   * Removes this participant from the room; tells the client why when it is still listening
   * (`why` also goes in the WebSocket close frame, for clients and operators to read).
   */
  close(reason: DisconnectReason, tellClient = false, why = 'leave'): void {
    if (this.ended) return;
    if (tellClient) {
      this.send({
        case: 'leave',
        value: new LeaveRequest({ canReconnect: false, reason, action: LeaveRequest_Action.DISCONNECT }),
      });
    }
    this.options.log(`${this.identity} (${this.sid}) leaves: ${describeReceived(this.subscriber.stats().slots)}`);
    this.ended = true;
    clearInterval(this.pingWatch);
    this.info.state = ParticipantInfo_State.DISCONNECTED;
    this.info.disconnectReason = reason;
    this.publisher.close();
    this.subscriber.close();
    this.room.sessionEnded(this);
    this.data.close();
    void this.pc.close().catch(() => undefined);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(why === 'leave' ? 1000 : 1008, why);
  }

  stats(): SessionStats {
    const received = this.subscriber.stats();
    return {
      sid: this.sid,
      identity: this.identity,
      state: ParticipantInfo_State[this.info.state],
      publishes: this.publisher.tracks().map((t) => t.stats()),
      wanted: received.wanted,
      receives: received.slots,
    };
  }

  // ---- what the signal handlers act on ----

  answerOffer(offer: SessionDescription): void {
    this.negotiation = this.negotiation
      .then(() => this.answer(offer))
      .catch((error: unknown) => {
        this.options.log(`${this.identity}: negotiation failed: ${(error as Error).message}`);
      });
  }

  async addCandidate(candidateInit: string): Promise<void> {
    try {
      const candidate = JSON.parse(candidateInit) as { candidate?: string; sdpMid?: string; sdpMLineIndex?: number };
      if (typeof candidate.candidate !== 'string' || !candidate.candidate) return;
      if (this.remoteCandidates.has(candidate.candidate)) return;
      await this.pc.addIceCandidate(candidate);
      this.remoteCandidates.taken(candidate.candidate);
    } catch {
      // A candidate the server cannot use (another address family, say) is not an error for the call.
    }
  }

  addTrack(request: AddTrackRequest): void {
    this.publisher.addTrack(request);
  }

  updateSubscription(update: UpdateSubscription): void {
    for (const sid of [...update.trackSids, ...update.participantTracks.flatMap((p) => p.trackSids)]) {
      if (update.subscribe) this.subscriber.subscribe(sid);
      else this.subscriber.unsubscribe(sid);
    }
  }

  applyTrackSettings(settings: UpdateTrackSettings): void {
    this.subscriber.applyTrackSettings(settings);
  }

  updateVideoTrack(update: UpdateLocalVideoTrack): boolean {
    return this.publisher.updateVideo(update);
  }

  updateAudioTrack(update: UpdateLocalAudioTrack): boolean {
    return this.publisher.updateAudio(update);
  }

  updateMetadata(update: UpdateParticipantMetadata): void {
    if (!this.info.permission?.canUpdateMetadata) {
      this.send({
        case: 'requestResponse',
        value: new RequestResponse({
          requestId: update.requestId,
          reason: RequestResponse_Reason.NOT_ALLOWED,
          message: 'token does not grant canUpdateOwnMetadata',
          request: { case: 'updateMetadata', value: update },
        }),
      });
      return;
    }
    const problem = applyMetadataChange(this.info, update);
    if (problem) {
      this.send({
        case: 'requestResponse',
        value: new RequestResponse({
          requestId: update.requestId,
          reason: RequestResponse_Reason.LIMIT_EXCEEDED,
          message: problem,
          request: { case: 'updateMetadata', value: update },
        }),
      });
      return;
    }
    this.send({
      case: 'requestResponse',
      value: new RequestResponse({ requestId: update.requestId, reason: RequestResponse_Reason.OK }),
    });
    this.bump();
  }

  pinged(): void {
    this.lastPingAt = Date.now();
  }

  leave(): void {
    this.close(DisconnectReason.CLIENT_INITIATED);
  }

  refuse(what: SignalCase | 'undecodable' | 'empty' | 'rate' | 'data', why: string): void {
    this.options.log(`${this.identity}: ${what} refused: ${why}`);
    this.options.refused?.(what);
  }

  // ---- internals ----

  private tracksChanged(): void {
    this.info.tracks = this.publisher.infos();
    if (this.info.tracks.length > 0) this.info.isPublisher = true;
    this.bump();
  }

  private async onSignal(data: Buffer | string): Promise<void> {
    let request;
    try {
      request = decodeRequest(data);
    } catch {
      this.refuse('undecodable', 'not a SignalRequest');
      return;
    }
    await dispatchSignal(this, request);
  }

  private async answer(offer: SessionDescription): Promise<void> {
    if (this.ended) return;
    this.subscriber.offerReceived();
    const filtered = this.remoteCandidates.filterOffer(offer.sdp);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: filtered.sdp });
    filtered.taken();
    const transceivers = new Map<string, RTCRtpTransceiver>();
    for (const transceiver of this.pc.getTransceivers()) if (transceiver.mid) transceivers.set(transceiver.mid, transceiver);
    const sections = readMediaSections(offer.sdp);
    this.publisher.applyOffer(sections, transceivers);
    this.subscriber.applyOffer(sections, transceivers);
    const midToTrackId = this.subscriber.prepareAnswer();
    const sdp = await completeAnswer(this.pc, this.options.advertisedAddresses);
    this.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id, midToTrackId }) });
    this.subscriber.answered();
  }
}

/** One line on what a session received, so a video that never arrived shows in the log. */
function describeReceived(slots: readonly SlotStats[]): string {
  const used = slots.filter((s) => s.packets > 0 || s.trackSid);
  if (used.length === 0) return 'received nothing';
  return used
    .map((s) => {
      const keyframe = s.kind === 'video' ? `, last keyframe ${s.sinceLastKeyframeMs === null ? 'never' : `${String(s.sinceLastKeyframeMs)} ms ago`}` : '';
      return `slot ${s.mid} ${s.kind} ${s.trackSid ?? '(idle)'} from ${s.publisher ?? '-'}: ${String(s.packets)} packets${keyframe}`;
    })
    .join('; ');
}
