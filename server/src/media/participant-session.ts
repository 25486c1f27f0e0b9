// One participant's connection: its signalling socket and its single peer connection.
// The client always offers; the server answers, publishes what the client sends and fills the
// client's receive slots with the tracks it is subscribed to.
import {
  AddTrackRequest,
  ClientConfigSetting,
  ClientConfiguration,
  DataPacket,
  DataPacket_Kind,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  MediaSectionsRequirement,
  ParticipantInfo,
  ParticipantInfo_State,
  ParticipantPermission,
  Pong,
  RequestResponse,
  RequestResponse_Reason,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  TrackInfo,
  TrackPublishedResponse,
  TrackSource,
  TrackType,
  type JoinRequest,
  type SignalRequest,
  type UpdateParticipantMetadata,
  type UpdateTrackSettings,
} from '@livekit/protocol';
import {
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  type RTCDataChannel,
  type RTCDtlsTransport,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
} from 'werift';
import type { WebSocket } from 'ws';
import { mergeAttributes } from './attributes.js';
import { mayPublishSource, type JoinClaims } from './grants.js';
import { completeAnswer, createPeer, type PeerOptions } from './peer.js';
import { PublishedTrack } from './published-track.js';
import { readMediaSections, receives, sends } from './sdp-sections.js';
import { routeSimulcastByMid } from './simulcast-routing.js';
import { decodeRequest, encodeResponse, type SignalResponseMessage } from './signal-codec.js';
import { newSid } from './sids.js';
import { SubscriptionSlots } from './subscription-slots.js';

export const SERVER_VERSION = '1.9.0';
const PING_INTERVAL_S = 5;
const PING_TIMEOUT_S = 15;

/** What a session needs from its room. */
export interface RoomPort {
  readonly name: string;
  roomInfo(): import('@livekit/protocol').Room;
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

export interface SessionOptions extends PeerOptions {
  log: (line: string) => void;
}

export class ParticipantSession {
  readonly sid = newSid('PA_');
  readonly info: ParticipantInfo;
  readonly autoSubscribe: boolean;
  private readonly pc: RTCPeerConnection;
  private readonly published = new Map<string, PublishedTrack>();
  private readonly slots = new SubscriptionSlots();
  /** Remote tracks this participant wants to receive, whether or not a slot carries them yet. */
  private readonly wanted = new Set<string>();
  private readonly pausedTracks = new Set<string>();
  private readonly channels = new Map<DataPacket_Kind, RTCDataChannel>();
  private negotiation: Promise<void> = Promise.resolve();
  private slotsRequested = false;
  private lastPingAt = Date.now();
  private readonly pingWatch: NodeJS.Timeout;
  private closed = false;
  private readonly watchedTransports = new Set<RTCDtlsTransport>();

  constructor(
    private readonly ws: WebSocket,
    readonly claims: JoinClaims,
    joinRequest: JoinRequest,
    private readonly room: RoomPort,
    private readonly options: SessionOptions,
  ) {
    const now = Date.now();
    this.info = new ParticipantInfo({
      sid: this.sid,
      identity: claims.identity,
      name: claims.name,
      metadata: claims.metadata || joinRequest.metadata,
      attributes: { ...joinRequest.participantAttributes, ...claims.attributes },
      state: ParticipantInfo_State.JOINED,
      joinedAt: BigInt(Math.floor(now / 1000)),
      joinedAtMs: BigInt(now),
      version: 1,
      permission: claims.permission,
    });
    this.autoSubscribe = joinRequest.connectionSettings?.autoSubscribe ?? true;
    this.pc = createPeer(options);
    routeSimulcastByMid(this.pc);
    this.pc.onDataChannel.subscribe((channel) => {
      this.adoptChannel(channel);
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && this.info.state !== ParticipantInfo_State.ACTIVE) {
        this.info.state = ParticipantInfo_State.ACTIVE;
        this.bump();
      }
      if (state === 'failed') this.close(DisconnectReason.CONNECTION_TIMEOUT);
    });
    ws.on('message', (data, isBinary) => {
      const bytes = isBinary ? (data as Buffer) : Buffer.from(data as Buffer).toString('utf8');
      void this.onSignal(bytes);
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

  /** Sends the join response, then answers the offer the client put in its join request. */
  start(joinRequest: JoinRequest): void {
    for (const track of this.room.publishedTracks(this)) this.considerSubscribing(track);
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
    if (joinRequest.publisherOffer) this.queueOffer(joinRequest.publisherOffer);
  }

  send(message: SignalResponseMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeResponse(message));
  }

  /** Raises the version and tells the room, which tells everyone. */
  bump(): void {
    this.info.version++;
    this.room.participantChanged(this);
  }

  tracks(): PublishedTrack[] {
    return [...this.published.values()];
  }

  /** Delivers a data packet on this participant's channel of the same kind. */
  deliverData(bytes: Uint8Array, kind: DataPacket_Kind): void {
    const channel = this.channels.get(kind) ?? this.channels.get(DataPacket_Kind.RELIABLE);
    if (channel?.readyState !== 'open') return;
    channel.send(Buffer.from(bytes));
  }

  /** A remote track was published or got media: subscribe when this participant subscribes automatically. */
  considerSubscribing(track: PublishedTrack): void {
    if (!this.autoSubscribe) return;
    this.subscribe(track.sid);
  }

  subscribe(trackSid: string): void {
    if (!this.info.permission?.canSubscribe) return;
    const track = this.room.trackBySid(trackSid);
    if (!track || track.publisherIdentity === this.identity) return;
    this.wanted.add(trackSid);
    this.requestNegotiation();
  }

  unsubscribe(trackSid: string): void {
    this.wanted.delete(trackSid);
    this.room.trackBySid(trackSid)?.removeViewer(this.identity);
    if (this.slots.release(trackSid)) this.requestNegotiation();
  }

  /** Mutes or unmutes one of this participant's tracks and says so to everyone. */
  setTrackMuted(trackSid: string, muted: boolean): boolean {
    const track = this.published.get(trackSid);
    if (!track) return false;
    if (track.info.muted !== muted) {
      track.info.muted = muted;
      this.bump();
    }
    return true;
  }

  /** New grants from the server API: tracks it may no longer publish are unpublished, subscriptions dropped. */
  updatePermission(permission: ParticipantPermission): void {
    this.info.permission = permission;
    for (const track of [...this.published.values()]) {
      if (mayPublishSource(permission, track.info.source)) continue;
      this.published.delete(track.sid);
      this.room.trackUnpublished(track);
      track.close();
    }
    this.info.tracks = this.tracks().map((t) => t.info);
    if (!permission.canSubscribe) for (const sid of [...this.wanted]) this.unsubscribe(sid);
  }

  /** Removes this participant from the room; tells the client why when it is still listening. */
  close(reason: DisconnectReason, tellClient = false): void {
    if (this.closed) return;
    if (tellClient) {
      this.send({
        case: 'leave',
        value: new LeaveRequest({ canReconnect: false, reason, action: LeaveRequest_Action.DISCONNECT }),
      });
    }
    this.closed = true;
    clearInterval(this.pingWatch);
    this.info.state = ParticipantInfo_State.DISCONNECTED;
    this.info.disconnectReason = reason;
    for (const track of this.published.values()) {
      this.room.trackUnpublished(track);
      track.close();
    }
    this.published.clear();
    this.room.sessionEnded(this);
    void this.pc.close().catch(() => undefined);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000, 'leave');
  }

  // ---- signalling ----

  private async onSignal(data: Buffer | string): Promise<void> {
    let request: SignalRequest;
    try {
      request = decodeRequest(data);
    } catch {
      this.options.log(`${this.identity}: undecodable signal message ignored`);
      return;
    }
    const message = request.message;
    switch (message.case) {
      case 'offer':
        this.queueOffer(message.value);
        break;
      case 'trickle':
        await this.addCandidate(message.value.candidateInit);
        break;
      case 'addTrack':
        this.addTrack(message.value);
        break;
      case 'mute':
        this.setTrackMuted(message.value.sid, message.value.muted);
        break;
      case 'subscription':
        for (const sid of [...message.value.trackSids, ...message.value.participantTracks.flatMap((p) => p.trackSids)]) {
          if (message.value.subscribe) this.subscribe(sid);
          else this.unsubscribe(sid);
        }
        break;
      case 'trackSetting':
        this.applyTrackSettings(message.value);
        break;
      case 'updateMetadata':
        this.updateMetadata(message.value);
        break;
      case 'ping':
        this.lastPingAt = Date.now();
        this.send({ case: 'pong', value: BigInt(Date.now()) });
        break;
      case 'pingReq':
        this.lastPingAt = Date.now();
        this.send({
          case: 'pongResp',
          value: new Pong({ lastPingTimestamp: message.value.timestamp, timestamp: BigInt(Date.now()) }),
        });
        break;
      case 'leave':
        this.close(DisconnectReason.CLIENT_INITIATED);
        break;
      default:
        // Simulcast layer hints, subscription permissions, data tracks: not offered by this server.
        break;
    }
  }

  private async addCandidate(candidateInit: string): Promise<void> {
    try {
      const candidate = JSON.parse(candidateInit) as { candidate?: string; sdpMid?: string; sdpMLineIndex?: number };
      if (!candidate.candidate) return;
      await this.pc.addIceCandidate(candidate);
    } catch {
      // A candidate the server cannot use (another address family, say) is not an error for the call.
    }
  }

  private addTrack(request: AddTrackRequest): void {
    const source = request.source;
    const kindOk = request.type === TrackType.AUDIO || request.type === TrackType.VIDEO;
    if (!kindOk || !this.info.permission || !mayPublishSource(this.info.permission, source)) {
      this.options.log(`${this.identity}: refused to publish ${TrackSource[source]}`);
      this.send({
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
    });
    const track = new PublishedTrack(info, this.identity, this.sid, request.cid, (level) => {
      this.room.audioLevel(this, level);
    });
    this.published.set(info.sid, track);
    this.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: request.cid, track: info }) });
    this.info.tracks = this.tracks().map((t) => t.info);
    this.info.isPublisher = true;
    this.bump();
    this.room.trackPublished(track);
  }

  private applyTrackSettings(settings: UpdateTrackSettings): void {
    for (const sid of settings.trackSids) {
      const track = this.room.trackBySid(sid);
      const slot = this.slots.slotOf(sid);
      if (!track || !slot) continue;
      if (settings.disabled) {
        this.pausedTracks.add(sid);
        track.removeViewer(this.identity);
      } else if (this.pausedTracks.delete(sid)) {
        track.addViewer(this.identity, slot.transceiver.sender);
      }
    }
  }

  private updateMetadata(update: UpdateParticipantMetadata): void {
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
    if (update.metadata) this.info.metadata = update.metadata;
    if (update.name) this.info.name = update.name;
    this.info.attributes = mergeAttributes(this.info.attributes, update.attributes);
    this.send({
      case: 'requestResponse',
      value: new RequestResponse({ requestId: update.requestId, reason: RequestResponse_Reason.OK }),
    });
    this.bump();
  }

  private adoptChannel(channel: RTCDataChannel): void {
    const kind =
      channel.label === '_reliable' ? DataPacket_Kind.RELIABLE : channel.label === '_lossy' ? DataPacket_Kind.LOSSY : undefined;
    if (kind === undefined) return;
    this.channels.set(kind, channel);
    channel.onMessage.subscribe((data) => {
      if (typeof data === 'string') return;
      let packet: DataPacket;
      try {
        packet = DataPacket.fromBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch {
        return;
      }
      if (!this.info.permission?.canPublishData) return;
      this.room.relayData(this, packet, kind);
    });
  }

  // ---- negotiation ----

  private queueOffer(offer: SessionDescription): void {
    this.negotiation = this.negotiation
      .then(() => this.answer(offer))
      .catch((error: unknown) => {
        this.options.log(`${this.identity}: negotiation failed: ${(error as Error).message}`);
      });
  }

  private requestNegotiation(): void {
    if (this.slotsRequested || this.closed) return;
    this.slotsRequested = true;
    // Batch the subscription changes of one tick into one request for a fresh offer.
    queueMicrotask(() => {
      if (this.closed) return;
      const need = this.slots.shortfall(this.unplacedWanted());
      this.send({
        case: 'mediaSectionsRequirement',
        value: new MediaSectionsRequirement({ numAudios: need.audio, numVideos: need.video }),
      });
    });
  }

  private unplacedWanted(): { audio: number; video: number } {
    const counts = { audio: 0, video: 0 };
    for (const sid of this.wanted) {
      if (this.slots.slotOf(sid)) continue;
      const track = this.room.trackBySid(sid);
      if (track) counts[track.kind]++;
    }
    return counts;
  }

  private async answer(offer: SessionDescription): Promise<void> {
    if (this.closed) return;
    this.slotsRequested = false;
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    const transceivers = new Map<string, RTCRtpTransceiver>();
    for (const transceiver of this.pc.getTransceivers()) if (transceiver.mid) transceivers.set(transceiver.mid, transceiver);

    for (const section of readMediaSections(offer.sdp)) {
      if (section.kind === 'application') continue;
      const transceiver = transceivers.get(section.mid);
      if (!transceiver) continue;
      if (sends(section.direction) && section.port !== 0) {
        this.bindPublishedSection(section.mid, section.trackId, transceiver);
      } else {
        this.unbindPublishedSection(section.mid);
      }
      if (receives(section.direction) && section.port !== 0) {
        if (!this.slots.has(section.mid)) this.slots.add(section.mid, section.kind, transceiver);
      } else if (this.slots.has(section.mid)) {
        const lost = this.slots.forget(section.mid);
        if (lost) this.room.trackBySid(lost)?.removeViewer(this.identity);
      }
    }

    this.placeWantedTracks();
    const midToTrackId: Record<string, string> = {};
    const newViewers: Array<() => void> = [];
    for (const slot of this.slots.all()) {
      const track = slot.trackSid ? this.room.trackBySid(slot.trackSid) : undefined;
      if (!track) {
        slot.trackSid = undefined;
        slot.transceiver.direction = 'inactive';
        continue;
      }
      const sender = slot.transceiver.sender;
      sender.streamId = `${track.publisherSid}|${track.sid}`;
      (sender as { trackId: string }).trackId = track.sid;
      slot.transceiver.direction = 'sendonly';
      midToTrackId[slot.mid] = track.sid;
      if (!track.viewerIdentities().includes(this.identity) && !this.pausedTracks.has(track.sid)) {
        newViewers.push(() => {
          track.addViewer(this.identity, sender);
        });
      }
    }

    const sdp = await completeAnswer(this.pc, this.options.advertisedAddresses);
    this.slots.settle();
    this.watchFeedback();
    this.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id, midToTrackId }) });
    for (const start of newViewers) start();
    if (this.unplacedWanted().audio + this.unplacedWanted().video > 0) this.requestNegotiation();
  }

  /**
   * Keyframe requests from this participant's browser, sent to the publisher of the track concerned.
   * werift routes a PLI by its sender SSRC first, which Chrome sets to one of its own outgoing streams,
   * so the request would land on the wrong object; matching the media SSRC to our slots is exact.
   */
  private watchFeedback(): void {
    for (const transport of this.pc.dtlsTransports) {
      if (this.watchedTransports.has(transport)) continue;
      this.watchedTransports.add(transport);
      transport.onRtcp.subscribe((packet) => {
        if (packet.type !== RtcpPayloadSpecificFeedback.type) return;
        const feedback = packet.feedback;
        // Chrome asks for VP8 keyframes with PLI; FIR is not used for it.
        if (!(feedback instanceof PictureLossIndication)) return;
        const mediaSsrc = feedback.mediaSsrc;
        for (const slot of this.slots.all()) {
          if (slot.trackSid && slot.transceiver.sender.ssrc === mediaSsrc) {
            this.room.trackBySid(slot.trackSid)?.requestKeyframe();
          }
        }
      });
    }
  }

  private placeWantedTracks(): void {
    for (const sid of this.wanted) {
      const track = this.room.trackBySid(sid);
      if (!track) {
        this.wanted.delete(sid);
        const slot = this.slots.release(sid);
        if (slot) slot.transceiver.direction = 'inactive';
        continue;
      }
      if (!this.slots.slotOf(sid)) this.slots.assign(sid, track.kind);
    }
    // A slot carrying a track nobody wants any more (unpublished, unsubscribed) goes quiet.
    for (const slot of this.slots.all()) {
      if (slot.trackSid && !this.wanted.has(slot.trackSid)) this.slots.release(slot.trackSid);
    }
  }

  private bindPublishedSection(mid: string, cid: string | undefined, transceiver: RTCRtpTransceiver): void {
    const track = [...this.published.values()].find((t) => t.info.mid === mid || (cid !== undefined && t.cid === cid));
    if (!track) return;
    if (track.info.mid === mid && track.hasMedia) return;
    track.info.mid = mid;
    const attach = (): void => {
      const hadMedia = track.hasMedia;
      let added = false;
      for (const media of transceiver.receiver.tracks) added = track.attachSource(media, transceiver.receiver) || added;
      if (!hadMedia && added) this.room.trackMediaReady(track);
    };
    attach();
    transceiver.onTrack.subscribe(() => {
      attach();
    });
  }

  private unbindPublishedSection(mid: string): void {
    const track = [...this.published.values()].find((t) => t.info.mid === mid);
    if (!track) return;
    this.published.delete(track.sid);
    this.info.tracks = this.tracks().map((t) => t.info);
    this.room.trackUnpublished(track);
    track.close();
    this.bump();
  }
}
