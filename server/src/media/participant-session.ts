// One participant's session: its lifecycle only (the signalling socket it listens on, a resume onto
// a new socket, the end). What arrives on the socket is read by `signal-intake.ts` and dispatched
// through the handler table (`signal-handlers.ts`); offers and answers are `negotiation.ts`, the
// publishing side `publisher.ts`, the subscribing side `subscriber.ts`, data channels
// `data-channels.ts`, and the responses about the server and the session `session-responses.ts`.
import {
  ConnectionQuality,
  DisconnectReason,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo,
  ParticipantInfo_State,
  ParticipantUpdate,
  RoomUpdate,
  UpdateTrackSettings,
  type SubscriptionPermission as SubscriptionPermissionRequest,
  type SyncState,
  type DataPacket_Kind,
  type JoinRequest,
  type ParticipantPermission,
  type UpdateParticipantMetadata,
  type UpdateSubscription,
} from '@livekit/protocol';
import type { RTCPeerConnection } from 'werift';
import type { WebSocket } from 'ws';
import { STALLED_VIDEO_MS } from './connection-quality.js';
import type { DataChannels } from './data-channels.js';
import type { JoinClaims } from './grants.js';
import { Negotiation } from './negotiation.js';
import { createPeer } from './peer.js';
import type { PublishedTrack } from './published-track.js';
import type { Publisher } from './publisher.js';
import { initialParticipantInfo } from './participant-metadata.js';
import { sessionMedia } from './session-media.js';
import { describeReceived, joinResponse, ownMetadataUpdate, PING_TIMEOUT_S, reconnectResponse } from './session-responses.js';
import { dispatchSignal, type SignalCase, type SignalSession } from './signal-handlers.js';
import { SignalIntake } from './signal-intake.js';
import { routeSimulcastByMid } from './simulcast-routing.js';
import { encodeResponse, type SignalResponseMessage } from './signal-codec.js';
import { newSid } from './sids.js';
import type { Subscriber } from './subscriber.js';
import { SubscriptionPermission } from './subscription-permission.js';

export { SERVER_VERSION } from './session-responses.js';
import type { RoomPort, SessionOptions, SessionStats } from './session-types.js';

export type { RoomPort, SessionOptions, SessionStats };

export class ParticipantSession implements SignalSession {
  readonly sid = newSid('PA_');
  readonly info: ParticipantInfo;
  private readonly pc: RTCPeerConnection;
  readonly publisher: Publisher;
  readonly subscriber: Subscriber;
  private readonly data: DataChannels;
  readonly negotiation: Negotiation;
  private readonly intake: SignalIntake;
  private lastPingAt = Date.now();
  private readonly pingWatch: NodeJS.Timeout;
  private ended = false;
  private readonly subscriptionPermission = new SubscriptionPermission();
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
    this.info = initialParticipantInfo(this.sid, claims, joinRequest);
    this.pc = createPeer(options);
    routeSimulcastByMid(this.pc);
    const send = (message: SignalResponseMessage): void => {
      this.send(message);
    };
    ({ publisher: this.publisher, subscriber: this.subscriber, data: this.data } = sessionMedia(this, room, this.pc, joinRequest, options.log));
    this.negotiation = new Negotiation(this.pc, this.publisher, this.subscriber, { identity: this.identity, isEnded: () => this.ended, send, log: options.log }, options);
    this.intake = new SignalIntake({
      identity: this.identity,
      isCurrent: (socket) => socket === this.ws,
      isEnded: () => this.ended,
      log: options.log,
      refuse: (what, why) => {
        this.refuse(what, why);
      },
      dispatch: (request) => dispatchSignal(this, request),
      rateExceeded: () => {
        this.close(DisconnectReason.SIGNAL_CLOSE, true, 'signal rate limit exceeded');
      },
      socketFailed: () => {
        this.close(DisconnectReason.SIGNAL_CLOSE);
      },
      socketClosed: () => {
        this.signalClosed();
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
    this.intake.listen(ws);
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
    this.intake.listen(ws);
    if (previous.readyState === previous.OPEN || previous.readyState === previous.CONNECTING) previous.close(1000, 'resumed on another connection');
    this.signalLost = false;
    this.lastPingAt = Date.now();
    this.options.log(`${this.identity} (${this.sid}): resumed`);
    this.send(reconnectResponse());
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
    if (state.trackSidsDisabled.length > 0) this.subscriber.applyTrackSettings(new UpdateTrackSettings({ trackSids: state.trackSidsDisabled, disabled: true }));
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
    this.send(joinResponse(this.room.roomInfo(), this.info, this.room.visibleOthers(this)));
    if (joinRequest.publisherOffer) this.negotiation.answerOffer(joinRequest.publisherOffer);
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
    this.options.log(`${this.identity} (${this.sid}) leaves (${DisconnectReason[reason]}, ${why}): ${describeReceived(this.subscriber.stats().slots)}`);
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

  updateSubscription(update: UpdateSubscription): void {
    for (const sid of [...update.trackSids, ...update.participantTracks.flatMap((p) => p.trackSids)]) {
      if (update.subscribe) this.subscriber.subscribe(sid);
      else this.subscriber.unsubscribe(sid);
    }
  }

  updateMetadata(update: UpdateParticipantMetadata): void {
    const { reply, changed } = ownMetadataUpdate(this.info, update);
    this.send(reply);
    if (changed) this.bump();
  }

  /** The participant says who may subscribe to its tracks (UpdateSubscriptionPermission). */
  setSubscriptionPermission(permission: SubscriptionPermissionRequest): void {
    this.subscriptionPermission.set(permission);
    this.room.subscriptionPermissionChanged(this);
  }

  /** Whether this participant lets `viewer` subscribe to its track `trackSid`. */
  allows(viewer: { identity: string; sid: string }, trackSid: string): boolean {
    return this.subscriptionPermission.allows(viewer, trackSid);
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

  /** The track list changed (a track published, withdrawn): raise the version and tell everyone. */
  tracksChanged(): void {
    this.info.tracks = this.publisher.infos();
    if (this.info.tracks.length > 0) this.info.isPublisher = true;
    this.bump();
  }
}
