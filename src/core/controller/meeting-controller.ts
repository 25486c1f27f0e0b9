// The meeting engine: one observable state, typed news events and a set of actions over the token
// server and a LiveKit room. This class is a facade: each concern is a unit in `../units/` that owns
// its slice of the state, its room listeners and its clean-up; the facade wires them and keeps the
// public API in one place. livekit-client is loaded on demand (see ./livekit.ts).
import type { MeetingApiClient } from '../api/meeting-api-client.js';
import { MeetingError } from '../api/meeting-error.js';
import type { BreakoutInput, MediaSource, PollInput, Role } from '../api/types.js';
import { setupAbilities, type AbilitiesUnit } from '../units/abilities.js';
import { setupBreakouts, type BreakoutsUnit } from '../units/breakouts.js';
import { setupChat, type ChatUnit } from '../units/chat.js';
import { setupConnection, type ConnectionUnit, type RoomFactory } from '../units/connection.js';
import { handsOf, setupHandsReactions, type HandsReactionsUnit } from '../units/hands-reactions.js';
import { setupLocalMedia, type LocalMediaUnit } from '../units/local-media.js';
import { setupModeration, type ModerationUnit } from '../units/moderation.js';
import { sameItems, setupPaging, type PagingUnit } from '../units/paging.js';
import { mediaTrackOf, setupParticipants, type ParticipantsUnit } from '../units/participants.js';
import { setupPolls, type PollsUnit } from '../units/polls.js';
import { setupRecording, type RecordingUnit } from '../units/recording.js';
import { CoreContext } from './context.js';
import type { MeetingEventMap, MeetingEventName } from './events.js';
import { initialState, type DeviceKind, type LayoutMode, type MeetingState, type TrackSourceName } from './state.js';
import type { Equality, Listener } from './store.js';

export { CHAT_TOPIC } from '../units/chat.js';
export { REACTION_TOPIC } from '../units/hands-reactions.js';
export { POLLS_TOPIC } from '../units/polls.js';
export { BREAKOUTS_TOPIC } from '../units/breakouts.js';
export type { RoomFactory } from '../units/connection.js';

export interface MeetingControllerOptions {
  api: MeetingApiClient;
  meetingId: string;
  /** Builds the LiveKit room; tests and benchmarks inject their own. */
  roomFactory?: RoomFactory;
  pageSize?: number;
  /** How long a lost call is tried again before a final CONNECTION_LOST (default 60 s). */
  reconnectWindowMs?: number;
}

export class MeetingController {
  private readonly ctx: CoreContext;
  private readonly abilities: AbilitiesUnit;
  private readonly localMedia: LocalMediaUnit;
  private readonly participants: ParticipantsUnit;
  private readonly paging: PagingUnit;
  private readonly chat: ChatUnit;
  private readonly hands: HandsReactionsUnit;
  private readonly recording: RecordingUnit;
  private readonly moderation: ModerationUnit;
  private readonly polls: PollsUnit;
  private readonly breakouts: BreakoutsUnit;
  private readonly connection: ConnectionUnit;

  constructor(options: MeetingControllerOptions) {
    if (!options.meetingId) throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'meetingId is required.', undefined, undefined, { field: 'meetingId' });
    const initial = initialState();
    const ctx = new CoreContext(options.api, options.meetingId, { ...initial, meetingId: options.meetingId, pageSize: options.pageSize ?? initial.pageSize });
    this.ctx = ctx;
    this.abilities = setupAbilities(ctx);
    this.localMedia = setupLocalMedia(ctx);
    this.participants = setupParticipants(ctx);
    this.paging = setupPaging(ctx);
    this.chat = setupChat(ctx);
    this.hands = setupHandsReactions(ctx);
    this.recording = setupRecording(ctx);
    this.moderation = setupModeration(ctx, this.abilities);
    this.polls = setupPolls(ctx);
    this.breakouts = setupBreakouts(ctx, { move: (target) => this.connection.move(target) });
    const roomUnits = [this.participants, this.chat, this.hands, this.recording, this.polls, this.breakouts];
    this.connection = setupConnection(
      ctx,
      this.abilities,
      {
        bind: (room, lk) => {
          for (const unit of roomUnits) unit.bind(room, lk);
        },
        connected: async (room, lk, signal, rejoin) => {
          this.participants.baseline(room, rejoin);
          await this.localMedia.publish(room, lk, { moved: this.breakouts.moving });
          void this.chat.loadHistory(signal);
          void this.polls.load(signal);
          void this.breakouts.load(signal);
          if (!rejoin && ctx.state.abilities.moderate) void this.moderation.follow(signal);
        },
        newSession: () => {
          this.participants.reset();
          this.paging.reset();
          this.hands.reset();
          this.breakouts.reset();
        },
        backInMain: () => {
          this.breakouts.backInMain();
        },
        heldIn: (roomId) => this.breakouts.heldIn(roomId),
        released: () => {
          this.localMedia.release();
        },
      },
      { roomFactory: options.roomFactory, reconnectWindowMs: options.reconnectWindowMs },
    );
    ctx.onRefresh = () => {
      this.refresh();
    };
  }

  get state(): MeetingState {
    return this.ctx.state;
  }

  /** The listener gets the current state at once, then every change. */
  subscribe(listener: Listener<MeetingState>): () => void {
    return this.ctx.store.subscribe(listener);
  }

  /**
   * Follows one slice of the state: `listener` gets `selector(state)` at once, then only when it
   * changes by `equals` (`Object.is` by default; `shallowEqual` for a selector that builds an object).
   * Unchanged participants keep their view objects, so a tile selecting its participant sleeps
   * through everyone else's changes.
   */
  select<S>(selector: (state: MeetingState) => S, listener: Listener<S>, equals?: Equality<S>): () => void {
    return this.ctx.store.select(selector, listener, equals);
  }

  /**
   * News as it happens (a message, someone joining, a hand going up, an error with its code): the
   * handler runs once per event, after the state that goes with it is current. Returns the unsubscribe.
   */
  on<K extends MeetingEventName>(type: K, handler: (detail: MeetingEventMap[K]) => void): () => void {
    return this.ctx.events.on(type, handler);
  }

  /** How many state notifications went out (benchmarks). */
  get notifications(): number {
    return this.ctx.store.notifications;
  }

  /** Listeners, timers and media the controller holds now; all zero after `dispose()` (hygiene tests). */
  get resources(): { stateListeners: number; roomListeners: number; timers: number; tracks: number; room: boolean } {
    return {
      stateListeners: this.ctx.store.listenerCount,
      roomListeners: this.ctx.listeners.size,
      timers: this.ctx.timers.size,
      tracks: this.localMedia.trackCount,
      room: this.ctx.link.room !== undefined,
    };
  }

  // ---- lobby ----

  /** Opens camera and microphone for the device test; a refusal is recorded in state and rejected typed. */
  preview(options: { audio?: boolean; video?: boolean } = {}): Promise<void> {
    return this.localMedia.preview(options);
  }

  /** Attaches a participant's video or audio to an element (`''` is the user in the lobby); returns the detach function. */
  attach(identity: string, source: TrackSourceName, element: HTMLMediaElement): () => void {
    const { room, lk } = this.ctx.link;
    if (!room || !lk) {
      if (identity !== this.state.localIdentity && identity !== '') return () => undefined;
      return this.localMedia.attachPreview(source, element) ?? (() => undefined);
    }
    const track = mediaTrackOf(room, lk, identity === '' ? room.localParticipant.identity : identity, source);
    if (!track) return () => undefined;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }

  // ---- joining and leaving ----

  /** Asks the server to join, follows the waiting room, connects to LiveKit and publishes the lobby's media. */
  join(options: { displayName?: string } = {}): Promise<void> {
    return this.connection.join(options);
  }

  /** Leaves the meeting (the meeting goes on for the others); also cancels a wait or a reconnection. */
  leave(): Promise<void> {
    return this.connection.leave();
  }

  /** Ends the meeting for everyone (hosts only). */
  end(): Promise<void> {
    return this.connection.end();
  }

  /** Leaves and releases everything; the controller cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.ctx.isDisposed) return;
    await this.connection.dispose();
    this.localMedia.dispose();
    this.ctx.markDisposed();
  }

  // ---- local media ----

  setMicrophone(enabled: boolean): Promise<void> {
    return this.ctx.act(() => this.localMedia.setSource('microphone', enabled));
  }

  setCamera(enabled: boolean): Promise<void> {
    return this.ctx.act(() => this.localMedia.setSource('camera', enabled));
  }

  setScreenShare(enabled: boolean): Promise<void> {
    return this.ctx.act(async () => {
      if (enabled && !this.state.abilities.screenShare) throw new MeetingError('FEATURE_DISABLED', 'Screen sharing is not allowed for you in this meeting.', 403);
      await this.localMedia.setSource('screen_share', enabled);
    });
  }

  toggleMicrophone(): Promise<void> {
    return this.setMicrophone(!this.state.local.microphone.enabled);
  }

  toggleCamera(): Promise<void> {
    return this.setCamera(!this.state.local.camera.enabled);
  }

  toggleScreenShare(): Promise<void> {
    return this.setScreenShare(!this.state.local.screenShare.enabled);
  }

  selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.ctx.act(() => this.localMedia.selectDevice(kind, deviceId));
  }

  /** Mirrors the user's own video on their screen only. */
  setMirror(mirror: boolean): void {
    if (typeof mirror !== 'boolean') {
      this.ctx.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, 'setMirror takes true or false.', undefined, undefined, { field: 'mirror' }), false);
      return;
    }
    this.localMedia.setMirror(mirror);
  }

  // ---- hands, reactions, chat ----

  raiseHand(): Promise<void> {
    return this.ctx.act(() => this.hands.setHand(true));
  }

  lowerHand(): Promise<void> {
    return this.ctx.act(() => this.hands.setHand(false));
  }

  /** Hosts and co-hosts: lowers everyone's raised hand; resolves with the identities lowered. */
  async lowerAllHands(): Promise<string[]> {
    let lowered: string[] = [];
    await this.ctx.act(async () => {
      lowered = await this.hands.lowerAllHands();
    });
    return lowered;
  }

  react(emoji: string): Promise<void> {
    return this.ctx.act(() => this.hands.react(emoji));
  }

  sendChat(text: string): Promise<void> {
    return this.ctx.act(() => this.chat.send(text));
  }

  /** The chat panel is open (unread stays 0) or closed. */
  setChatOpen(open: boolean): void {
    this.chat.setOpen(open);
  }

  // ---- polls ----

  /** Starts a poll (when `abilities.createPolls`); everyone in the meeting sees it in `state.polls`. */
  createPoll(input: PollInput): Promise<void> {
    return this.ctx.act(() => this.polls.create(input));
  }

  /** Votes in a poll by option index (one unless the poll is `multiple`); voting again replaces the vote while it is open. */
  vote(pollId: string, options: readonly number[]): Promise<void> {
    return this.ctx.act(() => this.polls.vote(pollId, options));
  }

  /** Closes a poll (hosts, co-hosts, and whoever started it); it stays in `state.polls` with its results. */
  closePoll(pollId: string): Promise<void> {
    return this.ctx.act(() => this.polls.close(pollId));
  }

  // ---- breakout rooms ----

  /**
   * Opens breakout rooms (when `abilities.manageBreakouts`): `{ rooms: [{ name, identities }] }`, or
   * `{ split: N }` for N rooms with the people present dealt at random; `durationS` closes them by
   * themselves. The people assigned are moved there; `state.breakouts` follows.
   */
  openBreakouts(input: BreakoutInput): Promise<void> {
    return this.ctx.act(() => this.breakouts.open(input));
  }

  /** Closes the breakout rooms: everyone, this user included, goes back to the main room. */
  closeBreakouts(): Promise<void> {
    return this.ctx.act(() => this.breakouts.close());
  }

  /**
   * Sends a message (1..500 characters) to the main room and every open breakout room (when
   * `abilities.manageBreakouts`); everyone hears it as `breakout-broadcast`. Resolves with how many
   * rooms it reached.
   */
  async broadcastToBreakouts(text: string): Promise<number> {
    let delivered = 0;
    await this.ctx.act(async () => {
      delivered = await this.breakouts.broadcast(text);
    });
    return delivered;
  }

  /** Moves to a breakout room: the user's own, or any for hosts and co-hosts. Devices and what is on are kept. */
  joinBreakout(roomId: string): Promise<void> {
    return this.ctx.act(() => this.breakouts.join(roomId));
  }

  /** Back from a breakout room to the meeting's main room. */
  returnToMain(): Promise<void> {
    return this.ctx.act(() => this.breakouts.returnToMain());
  }

  /** Reads the breakout rooms again (how many are in each). */
  refreshBreakouts(): Promise<void> {
    return this.ctx.act(() => this.breakouts.refresh());
  }

  // ---- layout ----

  pin(identity: string | undefined): void {
    this.paging.pin(identity);
  }

  setLayout(layout: LayoutMode): void {
    this.paging.setLayout(layout);
  }

  setPage(page: number): void {
    this.paging.setPage(page);
  }

  setPageSize(pageSize: number): void {
    this.paging.setPageSize(pageSize);
  }

  // ---- host actions ----

  admit(waitingId: string): Promise<void> {
    return this.ctx.act(() => this.moderation.admit(waitingId));
  }

  deny(waitingId: string): Promise<void> {
    return this.ctx.act(() => this.moderation.deny(waitingId));
  }

  mute(identity: string, source: MediaSource = 'microphone'): Promise<void> {
    return this.ctx.act(() => this.moderation.mute(identity, source));
  }

  remove(identity: string): Promise<void> {
    return this.ctx.act(() => this.moderation.remove(identity));
  }

  setRole(identity: string, role: Exclude<Role, 'host'>): Promise<void> {
    return this.ctx.act(() => this.moderation.setRole(identity, role));
  }

  /** Starts recording the meeting (LiveKit Egress, through the server). */
  startRecording(): Promise<void> {
    return this.ctx.act(() => this.recording.set(true));
  }

  stopRecording(): Promise<void> {
    return this.ctx.act(() => this.recording.set(false));
  }

  lock(): Promise<void> {
    return this.ctx.act(() => this.moderation.lock());
  }

  unlock(): Promise<void> {
    return this.ctx.act(() => this.moderation.unlock());
  }

  // ---- derived state ----

  /** Rebuilds participants, order, page, hands and subscriptions: O(participants), once per burst of events. */
  private refresh(): void {
    const { room, lk } = this.ctx.link;
    if (!room || !lk) return;
    const views = this.participants.collect(room, lk);
    const arranged = this.paging.arrange(views, room.localParticipant.identity, this.participants.speakers, this.participants.lastSpokeAt);
    const hands = handsOf(arranged.participants);
    const state = this.ctx.state;
    const speakers = this.participants.speakers;
    this.ctx.patch({
      ...arranged,
      activeSpeakers: sameItems(speakers, state.activeSpeakers) ? state.activeSpeakers : [...speakers],
      hands: sameItems(hands, state.hands) ? state.hands : hands,
      abilities: this.abilities.current(),
    });
    this.localMedia.syncToggles(false);
    this.paging.syncSubscriptions(room, lk);
  }
}
