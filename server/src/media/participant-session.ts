// One participant's connection: its signalling socket and its single peer connection. The client
// always offers; the server answers. What arrives on the socket goes through the signal handler
// table (`signal-handlers.ts`); publishing, subscribing and data channels each live in their module,
// and this class ties them to the socket, the peer connection and the room.
import {
  ClientConfigSetting,
  ClientConfiguration,
  ConnectionQuality,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo,
  ParticipantInfo_State,
  ParticipantUpdate,
  ReconnectResponse,
  RequestResponse,
  RequestResponse_Reason,
  ServerInfo,
  ServerInfo_Edition,
  RoomUpdate,
  SessionDescription,
  UpdateTrackSettings,
  type AddTrackRequest,
  type SubscriptionPermission,
  type SyncState,
  type DataPacket,
  type DataPacket_Kind,
  type JoinRequest,
  type ParticipantPermission,
  type Room as RoomInfo,
  type UpdateLocalAudioTrack,
  type UpdateLocalVideoTrack,
  type UpdateParticipantMetadata,
  type UpdateSubscription,
} from '@livekit/protocol';
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import type { WebSocket } from 'ws';
import { STALLED_VIDEO_MS } from './connection-quality.js';
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
  /** Whether `viewer` may subscribe to `track`, by its publisher's subscription permission. */
  maySubscribe(viewer: ParticipantSession, track: PublishedTrack): boolean;
  subscriptionPermissionChanged(publisher: ParticipantSession): void;
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
  /** Who may subscribe to this participant's tracks; undefined: everyone (LiveKit's default). */
  private subscriptionPermission: SubscriptionPermission | undefined;
  /** The socket closed without a leave while the media connection was up: the client may resume. */
  private signalLost = false;
  /** The client closed its side of the media connection (a DTLS alert): a closed page, or a client starting over. */
  private mediaClosed = false;

  constructor(
    private ws: WebSocket,
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
        maySubscribe: (track) => room.maySubscribe(this, track),
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
        this.watchMediaClose();
      }
      if (state === 'failed') this.close(DisconnectReason.CONNECTION_TIMEOUT);
      // Without its signalling, a connection that drops is a participant gone.
      else if (this.signalLost && (state === 'disconnected' || state === 'closed')) this.close(DisconnectReason.SIGNAL_CLOSE);
    });
    this.listen(ws);
    this.pingWatch = setInterval(() => {
      if (Date.now() - this.lastPingAt > PING_TIMEOUT_S * 1000) this.close(DisconnectReason.SIGNAL_CLOSE);
    }, 1000);
    this.pingWatch.unref();
  }

  /**
   * A page that goes away closes its peer connection, which tells us with a DTLS alert, while the
   * ICE checks would take many seconds to notice. Without signalling, that is a participant gone.
   */
  private watchMediaClose(): void {
    for (const transport of this.pc.dtlsTransports) {
      transport.onStateChange.subscribe((state) => {
        if (state !== 'closed' && state !== 'failed') return;
        this.mediaClosed = true;
        if (this.signalLost) this.close(DisconnectReason.SIGNAL_CLOSE);
      });
    }
  }

  /** Hears one signalling socket; a socket replaced by a resume is no longer heard. */
  private listen(ws: WebSocket): void {
    // A malformed frame (a reserved opcode, bad UTF-8, an oversized message) makes ws emit 'error'
    // and close the socket; unheard, that error would end the process.
    ws.on('error', (error) => {
      if (ws !== this.ws) return;
      this.options.log(`${this.identity}: signal socket error: ${error.message}`);
      this.close(DisconnectReason.SIGNAL_CLOSE);
    });
    ws.on('message', (data, isBinary) => {
      if (this.ended || ws !== this.ws) return;
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!this.messages.take() || !this.messageBytes.take(buffer.byteLength)) {
        this.refuse('rate', 'signal rate limit exceeded');
        this.close(DisconnectReason.SIGNAL_CLOSE, true, 'signal rate limit exceeded');
        return;
      }
      this.onSignal(isBinary ? buffer : buffer.toString('utf8')).catch((error: unknown) => {
        this.options.log(`${this.identity}: signal handling failed: ${(error as Error).message}`);
      });
    });
    ws.on('close', () => {
      if (ws !== this.ws) return;
      this.signalClosed();
    });
  }

  /**
   * The socket closed without a leave request. With the media connection up this is a network
   * change or a client resuming (LiveKit keeps the participant for it): tracks, subscriptions and
   * forwarding stay as they are until the client comes back with `reconnect` or the ping timeout
   * passes. Without a connection there is nothing to resume.
   */
  private signalClosed(): void {
    if (this.ended) return;
    if (this.pc.connectionState !== 'connected' || this.mediaClosed) {
      this.close(DisconnectReason.CLIENT_INITIATED);
      return;
    }
    this.signalLost = true;
    this.options.log(`${this.identity} (${this.sid}): signal lost, the session waits ${String(PING_TIMEOUT_S)} s for a resume`);
  }

  /**
   * The client resumes on a new socket (`reconnect=1` with this session's sid): the same session
   * goes on. It gets the reconnect response, everyone's current state (its own included: metadata
   * may have changed meanwhile) and the room; its ICE-restart offer then comes as any offer.
   */
  resume(ws: WebSocket): void {
    const previous = this.ws;
    this.ws = ws;
    this.listen(ws);
    if (previous.readyState === previous.OPEN || previous.readyState === previous.CONNECTING) previous.close(1000, 'resumed on another connection');
    this.signalLost = false;
    this.lastPingAt = Date.now();
    this.options.log(`${this.identity} (${this.sid}): resumed`);
    this.send({
      case: 'reconnect',
      value: new ReconnectResponse({
        iceServers: [],
        clientConfiguration: clientConfiguration(),
        serverInfo: serverInfo(),
      }),
    });
    this.send({ case: 'update', value: new ParticipantUpdate({ participants: [...this.room.visibleOthers(this), this.info] }) });
    this.send({ case: 'roomUpdate', value: new RoomUpdate({ room: this.room.roomInfo() }) });
  }

  /** Whether this session has ended (a resume for it must start over). */
  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * After a resume the client says what it holds. Tracks it publishes that this session does not
   * know mean the two sides disagree: the client is told to reconnect in full, as LiveKit does.
   * Otherwise its subscriptions and disabled tracks are applied (they were kept; applying is harmless).
   */
  syncState(state: SyncState): void {
    const unknown = state.publishTracks.find((p) => !p.track || !this.publisher.track(p.track.sid));
    if (unknown) {
      this.options.log(`${this.identity}: sync state names a track this session does not publish (${unknown.track?.sid ?? 'no track info'}): full reconnect`);
      this.send({ case: 'leave', value: new LeaveRequest({ canReconnect: true, reason: DisconnectReason.STATE_MISMATCH, action: LeaveRequest_Action.RECONNECT }) });
      this.close(DisconnectReason.STATE_MISMATCH, false, 'state mismatch');
      return;
    }
    if (state.subscription) this.updateSubscription(state.subscription);
    if (state.trackSidsDisabled.length > 0) this.applyTrackSettings(new UpdateTrackSettings({ trackSids: state.trackSidsDisabled, disabled: true }));
  }

  get identity(): string {
    return this.info.identity;
  }

  /** Whether the media connection has come up once. */
  get active(): boolean {
    return this.info.state === ParticipantInfo_State.ACTIVE;
  }

  /** How good this participant's connection looks from here (see connection-quality.ts). */
  quality(): ConnectionQuality {
    if (this.signalLost || this.pc.connectionState !== 'connected') return ConnectionQuality.LOST;
    const stalled = this.publisher.tracks().some((t) => {
      const since = t.sinceLastPacketMs;
      return t.kind === 'video' && !t.info.muted && since !== null && since > STALLED_VIDEO_MS;
    });
    return stalled ? ConnectionQuality.POOR : ConnectionQuality.EXCELLENT;
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
        serverInfo: serverInfo(),
        iceServers: [],
        subscriberPrimary: false,
        pingInterval: PING_INTERVAL_S,
        pingTimeout: PING_TIMEOUT_S,
        clientConfiguration: clientConfiguration(),
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

  /** The participant says who may subscribe to its tracks (UpdateSubscriptionPermission). */
  setSubscriptionPermission(permission: SubscriptionPermission): void {
    this.subscriptionPermission = permission.allParticipants ? undefined : permission;
    this.room.subscriptionPermissionChanged(this);
  }

  /** Whether this participant lets `viewer` subscribe to its track `trackSid`. */
  allows(viewer: { identity: string; sid: string }, trackSid: string): boolean {
    const policy = this.subscriptionPermission;
    if (!policy) return true;
    return policy.trackPermissions.some(
      (p) => (p.participantIdentity === viewer.identity || p.participantSid === viewer.sid) && (p.allTracks || p.trackSids.includes(trackSid)),
    );
  }

  /** A publisher changed who may subscribe to `tracks`. */
  recheckSubscriptions(tracks: readonly PublishedTrack[]): void {
    this.subscriber.recheckPermissions(tracks);
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

function serverInfo(): ServerInfo {
  return new ServerInfo({ edition: ServerInfo_Edition.Standard, version: SERVER_VERSION, protocol: 16, nodeId: 'meeting-widget-media' });
}

/** A client that loses its signalling resumes the same session (see `resume`) before it tries a full rejoin. */
function clientConfiguration(): ClientConfiguration {
  return new ClientConfiguration({ resumeConnection: ClientConfigSetting.ENABLED });
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
