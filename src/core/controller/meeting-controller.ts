// The meeting engine: wraps livekit-client and the token server behind one observable state and a
// set of actions. Components render `state` and call actions; nothing else talks to LiveKit.
import {
  ConnectionQuality,
  DisconnectReason,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  Track,
  createLocalTracks,
  type LocalTrack,
  type Participant,
  type RemoteParticipant,
  type RoomOptions,
  type TrackPublication,
} from 'livekit-client';
import type { MeetingApiClient } from '../api/meeting-api-client.js';
import { MeetingError } from '../api/meeting-error.js';
import { readEventStream } from '../api/event-stream.js';
import type { Admission, ChatMessage, MediaSource, Meeting, Role, Waiter } from '../api/types.js';
import { orderParticipants, paginate } from '../layout/paging.js';
import { watchMicLevel } from '../media/mic-level.js';
import { Store, type Listener } from './store.js';
import {
  NO_ABILITIES,
  initialState,
  type Abilities,
  type ConnectionQualityName,
  type DeviceInfo,
  type DeviceKind,
  type LayoutMode,
  type MeetingState,
  type ParticipantView,
  type PhaseReason,
  type TrackRef,
  type TrackSourceName,
} from './state.js';

export const CHAT_TOPIC = 'chat';
export const REACTION_TOPIC = 'reactions';
const HAND_ATTRIBUTE = 'hand';
const REACTION_LIFETIME_MS = 5000;
const REACTIONS_PER_SENDER = 5;
/** When a lost meeting is rejoined: at once, then after a short and a longer pause. */
const REJOIN_DELAYS_MS = [0, 1000, 3000];

export type RoomFactory = (options: RoomOptions) => Room;

export interface MeetingControllerOptions {
  api: MeetingApiClient;
  meetingId: string;
  /** Builds the LiveKit room; tests and benchmarks inject their own. */
  roomFactory?: RoomFactory;
  pageSize?: number;
}

const SOURCE_OF: Record<TrackSourceName, Track.Source> = {
  microphone: Track.Source.Microphone,
  camera: Track.Source.Camera,
  screen_share: Track.Source.ScreenShare,
};

const QUALITY: Record<ConnectionQuality, ConnectionQualityName> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
  [ConnectionQuality.Unknown]: 'unknown',
};

/** Disconnect reasons after which trying again would only repeat the failure. */
const FINAL_REASONS = new Set<DisconnectReason>([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.DUPLICATE_IDENTITY,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.ROOM_CLOSED,
]);

export class MeetingController {
  private readonly store = new Store<MeetingState>(initialState());
  private readonly api: MeetingApiClient;
  private readonly roomFactory: RoomFactory;
  private room: Room | undefined;
  private previewTracks: LocalTrack[] = [];
  private stopMicLevel: (() => void) | undefined;
  private readonly roomDisposers: Array<() => void> = [];
  private session: AbortController | undefined;
  private order: string[] = [];
  private speakers: string[] = [];
  private readonly lastSpokeAt = new Map<string, number>();
  private readonly reactionTimes = new Map<string, number[]>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private refreshScheduled = false;
  private rejoined = false;
  private disposed = false;
  private deviceWatch: (() => void) | undefined;

  constructor(private readonly options: MeetingControllerOptions) {
    if (!options.meetingId) throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'meetingId is required.');
    this.api = options.api;
    this.roomFactory = options.roomFactory ?? ((roomOptions) => new Room(roomOptions));
    this.store.update((s) => ({ ...s, meetingId: options.meetingId, pageSize: options.pageSize ?? s.pageSize }));
    this.watchDevices();
  }

  get state(): MeetingState {
    return this.store.current;
  }

  /** The listener gets the current state at once, then every change. */
  subscribe(listener: Listener<MeetingState>): () => void {
    return this.store.subscribe(listener);
  }

  /** How many state notifications went out (benchmarks). */
  get notifications(): number {
    return this.store.notifications;
  }

  /** Listeners, timers and media the controller holds now; all zero after `dispose()` (hygiene tests). */
  get resources(): { stateListeners: number; roomListeners: number; timers: number; tracks: number; room: boolean } {
    return {
      stateListeners: this.store.listenerCount,
      roomListeners: this.roomDisposers.length,
      timers: this.timers.size,
      tracks: this.previewTracks.length,
      room: this.room !== undefined,
    };
  }

  // ---- lobby ----

  /** Opens camera and microphone for the device test; reports a refusal in state instead of throwing into the void. */
  async preview(options: { audio?: boolean; video?: boolean } = {}): Promise<void> {
    this.assertUsable();
    const audio = options.audio ?? true;
    const video = options.video ?? true;
    this.patch({ phase: this.state.phase === 'idle' ? 'lobby' : this.state.phase });
    this.releasePreview();
    this.patchLocal({ microphone: { enabled: false, pending: audio }, camera: { enabled: false, pending: video } });
    // Both off by choice: nothing to open, and nothing has failed. The lists fill in once a device is turned on.
    if (!audio && !video) {
      this.previewTracks = [];
      await this.readDevices();
      return;
    }
    try {
      const selected = this.state.local.selected;
      this.previewTracks = await createLocalTracks({
        audio: audio ? (selected.audioinput ? { deviceId: selected.audioinput } : true) : false,
        video: video ? (selected.videoinput ? { deviceId: selected.videoinput } : true) : false,
      });
    } catch (error) {
      const denied = (error as Error).name === 'NotAllowedError';
      const failure = new MeetingError(
        denied ? 'PERMISSION_DENIED' : 'DEVICE_UNAVAILABLE',
        denied ? 'Camera and microphone access was refused.' : `Camera or microphone could not start: ${(error as Error).message}`,
      );
      this.patchLocal({
        microphone: { enabled: false, pending: false },
        camera: { enabled: false, pending: false },
        permissions: denied ? { microphone: audio ? 'denied' : this.state.local.permissions.microphone, camera: video ? 'denied' : this.state.local.permissions.camera } : this.state.local.permissions,
      });
      this.patch({ lastError: reasonOf(failure) });
      throw failure;
    }
    const mic = this.previewTracks.find((t) => t.kind === Track.Kind.Audio);
    const cam = this.previewTracks.find((t) => t.kind === Track.Kind.Video);
    if (mic) this.stopMicLevel = watchMicLevel(mic.mediaStreamTrack, (level) => { this.patchLocal({ micLevel: level }); });
    this.patchLocal({
      microphone: { enabled: mic !== undefined, pending: false },
      camera: { enabled: cam !== undefined, pending: false },
      permissions: {
        microphone: mic ? 'granted' : this.state.local.permissions.microphone,
        camera: cam ? 'granted' : this.state.local.permissions.camera,
      },
    });
    await this.readDevices();
  }

  /** Attaches a participant's video or audio to an element; returns the detach function. */
  attach(identity: string, source: TrackSourceName, element: HTMLMediaElement): () => void {
    const track = this.mediaTrackOf(identity, source);
    if (!track) return () => undefined;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }

  // ---- joining and leaving ----

  /** Asks the server to join, follows the waiting room, connects to LiveKit and publishes the lobby's media. */
  async join(options: { displayName?: string } = {}): Promise<void> {
    this.assertUsable();
    const displayName = (options.displayName ?? this.state.displayName).trim();
    if (displayName.length > 80) throw this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, 'The display name is longer than 80 characters.'), false);
    if (['connecting', 'connected', 'waiting', 'reconnecting'].includes(this.state.phase)) return;
    this.session?.abort();
    const session = new AbortController();
    this.session = session;
    this.rejoined = false;
    this.patch({ phase: 'connecting', reason: undefined, lastError: undefined, displayName });
    try {
      const admission = await this.admission(displayName, session.signal);
      await this.connect(admission, session.signal);
    } catch (error) {
      if (session.signal.aborted) return;
      const failure = error instanceof MeetingError ? error : new MeetingError('CONNECTION_FAILED', (error as Error).message);
      this.fail(failure, true);
      throw failure;
    }
  }

  /** Leaves the meeting (the meeting goes on for the others). */
  async leave(): Promise<void> {
    const wasIn = this.room !== undefined || this.state.phase === 'waiting';
    this.session?.abort();
    this.session = undefined;
    await this.closeRoom();
    this.releasePreview();
    if (wasIn) await this.api.leave(this.options.meetingId).catch(() => undefined);
    this.patch({ phase: 'left', reason: { code: 'LEFT', message: 'You left the meeting.' } });
  }

  /** Ends the meeting for everyone (hosts only). */
  async end(): Promise<void> {
    await this.act(async () => {
      if (!this.state.abilities.endMeeting) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only the host can end the meeting.', 403);
      await this.api.endMeeting(this.options.meetingId);
      this.session?.abort();
      await this.closeRoom();
      this.releasePreview();
      this.patch({ phase: 'ended', reason: { code: 'MEETING_ENDED', message: 'The meeting has ended.' } });
    });
  }

  /** Leaves and releases everything; the controller cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.session?.abort();
    await this.closeRoom();
    this.releasePreview();
    this.deviceWatch?.();
    this.deviceWatch = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.disposed = true;
  }

  // ---- local media ----

  setMicrophone(enabled: boolean): Promise<void> {
    return this.setSource('microphone', enabled);
  }

  setCamera(enabled: boolean): Promise<void> {
    return this.setSource('camera', enabled);
  }

  setScreenShare(enabled: boolean): Promise<void> {
    return this.act(async () => {
      if (enabled && !this.state.abilities.screenShare) throw new MeetingError('FEATURE_DISABLED', 'Screen sharing is not allowed for you in this meeting.', 403);
      await this.setSource('screen_share', enabled);
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
    return this.act(async () => {
      if (!['audioinput', 'videoinput', 'audiooutput'].includes(kind)) throw new MeetingError(MeetingError.INVALID_ARGUMENT, `Unknown device kind "${kind}".`);
      if (!this.state.local.devices[kind].some((d) => d.deviceId === deviceId)) {
        throw new MeetingError(MeetingError.INVALID_ARGUMENT, `No ${kind} device with id "${deviceId}".`);
      }
      this.patchLocal({ selected: { ...this.state.local.selected, [kind]: deviceId } });
      if (this.room) {
        await this.room.switchActiveDevice(kind, deviceId);
        return;
      }
      const track = this.previewTracks.find((t) => (kind === 'audioinput' ? t.kind === Track.Kind.Audio : kind === 'videoinput' && t.kind === Track.Kind.Video));
      if (track instanceof LocalAudioTrack || track instanceof LocalVideoTrack) await track.setDeviceId(deviceId);
    });
  }

  // ---- hands, reactions, chat ----

  raiseHand(): Promise<void> {
    return this.setHand(true);
  }

  lowerHand(): Promise<void> {
    return this.setHand(false);
  }

  react(emoji: string): Promise<void> {
    return this.act(async () => {
      const value = emoji.trim();
      if (value.length === 0 || value.length > 16 || /\s/.test(value)) throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'A reaction is one emoji.');
      const room = this.requireRoom();
      const identity = room.localParticipant.identity;
      if (!this.allowReaction(identity)) throw new MeetingError('RATE_LIMITED', 'Too many reactions; wait a moment.', 429);
      await room.localParticipant.publishData(new TextEncoder().encode(JSON.stringify({ emoji: value })), { reliable: false, topic: REACTION_TOPIC });
      this.addReaction(identity, value);
    });
  }

  sendChat(text: string): Promise<void> {
    return this.act(async () => {
      const value = text.trim();
      if (value.length === 0 || value.length > 4000) throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'A message has 1 to 4000 characters.');
      if (!this.state.abilities.chat) throw new MeetingError('FEATURE_DISABLED', 'Chat is not allowed for you in this meeting.', 403);
      const message = await this.api.sendChat(this.options.meetingId, value);
      this.addChat({ id: message.id, identity: message.identity, displayName: message.displayName, text: message.text, sentAt: message.sentAt }, true);
    });
  }

  /** The chat panel is open (unread stays 0) or closed. */
  /** Mirrors the user's own video on their screen only. */
  setMirror(mirror: boolean): void {
    if (typeof mirror !== 'boolean') {
      this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, 'setMirror takes true or false.'), false);
      return;
    }
    this.patchLocal({ mirror });
  }

  setChatOpen(open: boolean): void {
    this.patch({ chat: { ...this.state.chat, open, unread: open ? 0 : this.state.chat.unread } });
  }

  // ---- layout ----

  pin(identity: string | undefined): void {
    if (identity !== undefined && !this.state.participants.some((p) => p.identity === identity)) {
      this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, `Nobody with identity "${identity}" is here.`), false);
      return;
    }
    this.patch({ pinned: identity });
    // At once, so the same notification carries the new page.
    this.refresh();
  }

  setLayout(layout: LayoutMode): void {
    if (!['grid', 'speaker', 'spotlight'].includes(layout)) {
      this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, `Unknown layout "${layout}".`), false);
      return;
    }
    this.patch({ layout });
    this.refresh();
  }

  setPage(page: number): void {
    if (!Number.isInteger(page) || page < 0) {
      this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, 'A page number is a whole number from 0.'), false);
      return;
    }
    this.patch({ page });
    this.refresh();
  }

  setPageSize(pageSize: number): void {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      this.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, 'A page size is a whole number from 1.'), false);
      return;
    }
    this.patch({ pageSize });
    this.refresh();
  }

  // ---- host actions ----

  admit(waitingId: string): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      await this.api.admit(this.options.meetingId, waitingId);
      this.patch({ waiting: this.state.waiting.filter((w) => w.waitingId !== waitingId) });
    });
  }

  deny(waitingId: string): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      await this.api.deny(this.options.meetingId, waitingId);
      this.patch({ waiting: this.state.waiting.filter((w) => w.waitingId !== waitingId) });
    });
  }

  mute(identity: string, source: MediaSource = 'microphone'): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      await this.api.mute(this.options.meetingId, identity, source);
    });
  }

  remove(identity: string): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      await this.api.remove(this.options.meetingId, identity);
    });
  }

  setRole(identity: string, role: Exclude<Role, 'host'>): Promise<void> {
    return this.act(async () => {
      if (!this.state.abilities.changeRoles) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only the host can change roles.', 403);
      await this.api.setRole(this.options.meetingId, identity, role);
    });
  }

  /** Starts recording the meeting (LiveKit Egress, through the server). */
  startRecording(): Promise<void> {
    return this.setRecording(true);
  }

  stopRecording(): Promise<void> {
    return this.setRecording(false);
  }

  private setRecording(on: boolean): Promise<void> {
    return this.act(async () => {
      if (!this.state.abilities.record) throw new MeetingError('FEATURE_DISABLED', 'Recording is not allowed for you in this meeting.', 403);
      this.patch({ recording: { ...this.state.recording, pending: true } });
      try {
        await (on ? this.api.startRecording(this.options.meetingId) : this.api.stopRecording(this.options.meetingId));
        this.patch({ recording: { active: on, pending: false } });
      } catch (error) {
        this.patch({ recording: { ...this.state.recording, pending: false } });
        throw error;
      }
    });
  }

  lock(): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      this.applyMeeting(await this.api.lock(this.options.meetingId));
    });
  }

  unlock(): Promise<void> {
    return this.act(async () => {
      this.requireModerator();
      this.applyMeeting(await this.api.unlock(this.options.meetingId));
    });
  }

  // ---- internals: connection ----

  private async admission(displayName: string, signal: AbortSignal): Promise<Admission> {
    const result = await this.api.join(this.options.meetingId, displayName ? { displayName } : {}, signal);
    if (result.status === 'admitted') return result;
    this.patch({ phase: 'waiting' });
    try {
      const admitted = await this.api.waitForAdmission(this.options.meetingId, result.waitingId, signal);
      this.patch({ phase: 'connecting' });
      return admitted;
    } catch (error) {
      if (error instanceof MeetingError && error.code === 'ADMISSION_DENIED') {
        this.patch({ phase: 'denied', reason: reasonOf(error) });
      }
      throw error;
    }
  }

  private async connect(admission: Admission, signal: AbortSignal): Promise<void> {
    const room = this.roomFactory({ adaptiveStream: true, dynacast: true, stopLocalTrackOnUnpublish: true });
    this.room = room;
    this.listen(room);
    this.patch({ localIdentity: admission.identity, role: admission.role });
    if (admission.meeting) this.applyMeeting(admission.meeting);
    // Audio for everyone, video only for the tiles on screen: the controller subscribes itself.
    await room.connect(admission.livekitUrl, admission.token, { autoSubscribe: false });
    if (signal.aborted) {
      await room.disconnect();
      return;
    }
    this.patch({ phase: 'connected', recording: { active: room.isRecording, pending: false } });
    if (!this.state.meeting) this.applyMeeting(await this.api.getMeeting(this.options.meetingId, signal).catch(() => undefined));
    await this.publishPreview(room);
    this.scheduleRefresh();
    void this.loadChat(signal);
    if (this.state.abilities.moderate) void this.followEvents(signal);
  }

  private async publishPreview(room: Room): Promise<void> {
    const tracks = this.previewTracks;
    this.previewTracks = [];
    this.stopMicLevel?.();
    this.stopMicLevel = undefined;
    const muteOnEntry = this.state.meeting?.policy.muteOnEntry === true && this.state.role === 'attendee';
    for (const track of tracks) {
      try {
        if (track.kind === Track.Kind.Audio && muteOnEntry) {
          track.stop();
          continue;
        }
        await room.localParticipant.publishTrack(track);
      } catch (error) {
        track.stop();
        this.patch({ lastError: { code: 'PUBLISH_FAILED', message: (error as Error).message } });
      }
    }
    this.syncLocalToggles();
  }

  private listen(room: Room): void {
    const on = (event: RoomEvent, handler: (...args: never[]) => void): void => {
      room.on(event, handler);
      this.roomDisposers.push(() => room.off(event, handler));
    };
    const refresh = (): void => {
      this.scheduleRefresh();
    };
    for (const event of [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.TrackPublished,
      RoomEvent.TrackUnpublished,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.ConnectionQualityChanged,
      RoomEvent.ParticipantNameChanged,
      RoomEvent.ParticipantMetadataChanged,
      RoomEvent.ParticipantAttributesChanged,
      RoomEvent.ParticipantPermissionsChanged,
    ]) {
      on(event, refresh);
    }
    on(RoomEvent.ActiveSpeakersChanged, ((speakers: Participant[]) => {
      const now = Date.now();
      for (const speaker of speakers) this.lastSpokeAt.set(speaker.identity, now);
      // Kept aside and published by the refresh, so one speaker change is one notification.
      this.speakers = speakers.map((p) => p.identity);
      this.scheduleRefresh();
    }));
    on(RoomEvent.DataReceived, ((payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      this.onData(payload, participant, topic);
    }));
    // Everyone learns of a recording from the media server, whoever started it.
    on(RoomEvent.RecordingStatusChanged, (active: boolean) => {
      this.patch({ recording: { ...this.state.recording, active } });
    });
    on(RoomEvent.Reconnecting, (() => {
      this.patch({ phase: 'reconnecting' });
    }));
    on(RoomEvent.Reconnected, (() => {
      this.patch({ phase: 'connected' });
    }));
    on(RoomEvent.Disconnected, ((reason?: DisconnectReason) => {
      void this.onDisconnected(room, reason);
    }));
    on(RoomEvent.MediaDevicesChanged, (() => {
      void this.readDevices();
    }));
  }

  private async onDisconnected(room: Room, reason: DisconnectReason | undefined): Promise<void> {
    if (this.room !== room) return;
    this.unlisten();
    this.room = undefined;
    if (reason === DisconnectReason.CLIENT_INITIATED) return;
    if (reason === DisconnectReason.ROOM_DELETED || reason === DisconnectReason.ROOM_CLOSED) {
      this.session?.abort();
      this.patch({ phase: 'ended', reason: { code: 'MEETING_ENDED', message: 'The meeting has ended.' } });
      return;
    }
    if (reason === DisconnectReason.PARTICIPANT_REMOVED) {
      this.session?.abort();
      this.patch({ phase: 'left', reason: { code: 'REMOVED', message: 'A host removed you from the meeting.' } });
      return;
    }
    if (reason === DisconnectReason.DUPLICATE_IDENTITY) {
      this.session?.abort();
      this.patch({ phase: 'left', reason: { code: 'JOINED_ELSEWHERE', message: 'You joined this meeting from another window.' } });
      return;
    }
    // Lost for another reason: rejoin with a fresh token, keeping chat and layout. A media server
    // that restarts needs a moment, so the rejoin tries a few times before giving up.
    const session = this.session;
    if (!this.rejoined && session && !session.signal.aborted && (reason === undefined || !FINAL_REASONS.has(reason))) {
      this.rejoined = true;
      this.patch({ phase: 'reconnecting' });
      let lastError: unknown;
      for (const delay of REJOIN_DELAYS_MS) {
        if (delay > 0 && !(await this.pause(delay, session.signal))) return;
        try {
          const admission = await this.admission(this.state.displayName, session.signal);
          await this.connect(admission, session.signal);
          return;
        } catch (error) {
          lastError = error;
          await this.closeRoom();
          if (aborted(session.signal)) return;
          // The server said no (meeting ended, removed, locked): asking again would not change that.
          if (error instanceof MeetingError && error.status !== undefined && error.status < 500) break;
        }
      }
      this.fail(lastError instanceof MeetingError ? lastError : new MeetingError('CONNECTION_LOST', (lastError as Error).message), true);
      return;
    }
    this.fail(new MeetingError('CONNECTION_LOST', 'The connection to the meeting was lost.'), true);
  }

  /** Waits `ms`; false when `signal` aborted meanwhile. The timer counts as a held resource. */
  private pause(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      this.timers.add(timer);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private unlisten(): void {
    for (const dispose of this.roomDisposers.splice(0)) dispose();
  }

  private async closeRoom(): Promise<void> {
    const room = this.room;
    this.room = undefined;
    this.unlisten();
    if (room) await room.disconnect();
  }

  private async followEvents(signal: AbortSignal): Promise<void> {
    try {
      const { url, bearer } = await this.api.eventStream(this.options.meetingId);
      await readEventStream(
        url,
        bearer,
        (event) => {
          if (event.event === 'waiting' && Array.isArray(event.data)) this.patch({ waiting: event.data as Waiter[] });
          if (event.event === 'meeting') this.applyMeeting(event.data as Meeting);
        },
        signal,
      );
    } catch {
      // The stream is a convenience for hosts; the waiting list can still be read on demand.
    }
  }

  private async loadChat(signal: AbortSignal): Promise<void> {
    try {
      const history = await this.api.chatHistory(this.options.meetingId, { limit: 200 }, signal);
      const known = new Set(this.state.chat.messages.map((m) => m.id));
      const merged = [...history.filter((m) => !known.has(m.id)), ...this.state.chat.messages].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
      this.patch({ chat: { ...this.state.chat, messages: merged } });
    } catch {
      // Chat history is not essential to being in the meeting.
    }
  }

  // ---- internals: data ----

  private onData(payload: Uint8Array, participant: RemoteParticipant | undefined, topic: string | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      return;
    }
    if (topic === CHAT_TOPIC && isChatMessage(parsed)) {
      this.addChat(parsed, parsed.identity === this.state.localIdentity);
      return;
    }
    if (topic === REACTION_TOPIC && participant && typeof parsed === 'object' && parsed !== null && 'emoji' in parsed) {
      const emoji = (parsed).emoji;
      if (typeof emoji !== 'string' || emoji.length === 0 || emoji.length > 16) return;
      if (!this.allowReaction(participant.identity)) return;
      this.addReaction(participant.identity, emoji);
    }
  }

  private addChat(message: ChatMessage, own: boolean): void {
    if (this.state.chat.messages.some((m) => m.id === message.id)) return;
    const chat = this.state.chat;
    this.patch({ chat: { ...chat, messages: [...chat.messages, message], unread: chat.open || own ? chat.unread : chat.unread + 1 } });
  }

  private allowReaction(identity: string): boolean {
    const now = Date.now();
    const recent = (this.reactionTimes.get(identity) ?? []).filter((t) => now - t < REACTION_LIFETIME_MS);
    if (recent.length >= REACTIONS_PER_SENDER) return false;
    recent.push(now);
    this.reactionTimes.set(identity, recent);
    return true;
  }

  private addReaction(identity: string, emoji: string): void {
    const reaction = { id: `${identity}:${String(Date.now())}:${String(Math.random()).slice(2, 8)}`, identity, emoji, at: Date.now() };
    this.patch({ reactions: [...this.state.reactions, reaction] });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.patch({ reactions: this.state.reactions.filter((r) => r.id !== reaction.id) });
    }, REACTION_LIFETIME_MS);
    this.timers.add(timer);
  }

  private async setHand(raised: boolean): Promise<void> {
    await this.act(async () => {
      const room = this.requireRoom();
      await room.localParticipant.setAttributes({ [HAND_ATTRIBUTE]: raised ? String(Date.now()) : '' });
      this.scheduleRefresh();
    });
  }

  // ---- internals: local media ----

  private async setSource(source: TrackSourceName, enabled: boolean): Promise<void> {
    await this.act(async () => {
      const key = source === 'microphone' ? 'microphone' : source === 'camera' ? 'camera' : 'screenShare';
      this.patchLocal({ [key]: { enabled: this.state.local[key].enabled, pending: true } });
      try {
        const room = this.room;
        if (room) {
          if (source === 'microphone') await room.localParticipant.setMicrophoneEnabled(enabled);
          else if (source === 'camera') await room.localParticipant.setCameraEnabled(enabled);
          else await room.localParticipant.setScreenShareEnabled(enabled);
          this.syncLocalToggles();
          this.scheduleRefresh();
          return;
        }
        if (source === 'screen_share') throw new MeetingError('NOT_CONNECTED', 'Screen sharing starts once you are in the meeting.');
        // In the lobby: reopen the preview with the new choice.
        const audio = source === 'microphone' ? enabled : this.state.local.microphone.enabled;
        const video = source === 'camera' ? enabled : this.state.local.camera.enabled;
        await this.preview({ audio, video });
      } finally {
        this.patchLocal({ [key]: { enabled: this.state.local[key].enabled, pending: false } });
      }
    });
  }

  /**
   * Reads the local toggles from what is actually published: a host's mute, or the browser ending a
   * screen share, changes them without any action of ours. `settle` also clears the pending flags.
   */
  private syncLocalToggles(settle = true): void {
    const local = this.room?.localParticipant;
    if (!local) return;
    const current = this.state.local;
    const toggle = (source: Track.Source, was: { enabled: boolean; pending: boolean }) => {
      const publication = local.getTrackPublication(source);
      const enabled = publication !== undefined && !publication.isMuted;
      const pending = settle ? false : was.pending;
      return enabled === was.enabled && pending === was.pending ? was : { enabled, pending };
    };
    const microphone = toggle(Track.Source.Microphone, current.microphone);
    const camera = toggle(Track.Source.Camera, current.camera);
    const screenShare = toggle(Track.Source.ScreenShare, current.screenShare);
    if (microphone === current.microphone && camera === current.camera && screenShare === current.screenShare) return;
    this.patchLocal({ microphone, camera, screenShare });
  }

  private releasePreview(): void {
    this.stopMicLevel?.();
    this.stopMicLevel = undefined;
    for (const track of this.previewTracks) track.stop();
    this.previewTracks = [];
  }

  private watchDevices(): void {
    const devices = mediaDevices();
    if (!devices) return;
    const onChange = (): void => {
      void this.readDevices();
    };
    devices.addEventListener('devicechange', onChange);
    this.deviceWatch = () => {
      devices.removeEventListener('devicechange', onChange);
    };
  }

  private async readDevices(): Promise<void> {
    const devices = mediaDevices();
    if (!devices) return;
    const list = await devices.enumerateDevices().catch(() => []);
    const byKind = (kind: DeviceKind): DeviceInfo[] =>
      list.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label, kind }));
    this.patchLocal({ devices: { audioinput: byKind('audioinput'), videoinput: byKind('videoinput'), audiooutput: byKind('audiooutput') } });
  }

  private mediaTrackOf(identity: string, source: TrackSourceName): Track | undefined {
    const room = this.room;
    if (!room) {
      if (identity !== this.state.localIdentity && identity !== '') return undefined;
      const kind = source === 'microphone' ? Track.Kind.Audio : Track.Kind.Video;
      return source === 'screen_share' ? undefined : this.previewTracks.find((t) => t.kind === kind);
    }
    const participant: Participant | undefined = identity === room.localParticipant.identity ? room.localParticipant : room.remoteParticipants.get(identity);
    return participant?.getTrackPublication(SOURCE_OF[source])?.track;
  }

  // ---- internals: derived state ----

  private scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    queueMicrotask(() => {
      this.refreshScheduled = false;
      this.refresh();
    });
  }

  /** Rebuilds the participant list, order, page and subscriptions: O(participants), once per burst of events. */
  private refresh(): void {
    const room = this.room;
    if (!room) return;
    const speaking = new Set(this.speakers);
    const views = new Map<string, ParticipantView>();
    const local = room.localParticipant;
    // A participant whose view did not change keeps the same object, so renderers can skip it.
    const previous = new Map(this.state.participants.map((p) => [p.identity, p]));
    const keep = (view: ParticipantView): ParticipantView => {
      const before = previous.get(view.identity);
      return before && sameView(before, view) ? before : view;
    };
    views.set(local.identity, keep(this.viewOf(local, true, speaking)));
    for (const participant of room.remoteParticipants.values()) views.set(participant.identity, keep(this.viewOf(participant, false, speaking)));

    const present = [...views.values()].sort((a, b) => a.joinedAt - b.joinedAt).map((v) => v.identity);
    const first = this.state.pinned && views.has(this.state.pinned) ? [this.state.pinned] : [local.identity];
    this.order = orderParticipants({
      present,
      previous: this.order,
      pageSize: this.state.pageSize,
      first,
      activeSpeaker: this.speakers.find((id) => id !== local.identity),
      lastSpokeAt: this.lastSpokeAt,
    });
    const ordered = this.order.map((id) => views.get(id)).filter((v): v is ParticipantView => v !== undefined);
    const page = paginate(this.order, this.state.pageSize, this.state.page);
    const hands = ordered
      .filter((p) => p.handRaised)
      .sort((a, b) => (a.handRaisedAt ?? 0) - (b.handRaisedAt ?? 0))
      .map((p) => p.identity);
    this.patch({
      activeSpeakers: this.speakers,
      participants: ordered,
      page: page.page,
      pageCount: page.pageCount,
      visible: page.items,
      hands,
      pinned: this.state.pinned && views.has(this.state.pinned) ? this.state.pinned : undefined,
      abilities: this.abilitiesFor(this.state.role, this.state.meeting, local.permissions?.canPublish ?? true),
    });
    this.syncLocalToggles(false);
    this.syncSubscriptions(room, new Set(page.items));
  }

  private viewOf(participant: Participant, isLocal: boolean, speaking: Set<string>): ParticipantView {
    const ref = (source: TrackSourceName): TrackRef => {
      const publication: TrackPublication | undefined = participant.getTrackPublication(SOURCE_OF[source]);
      return {
        identity: participant.identity,
        source,
        trackSid: publication?.trackSid,
        muted: publication?.isMuted ?? true,
        subscribed: isLocal ? publication !== undefined : publication?.isSubscribed === true,
      };
    };
    const hand = participant.attributes[HAND_ATTRIBUTE];
    const handAt = hand ? Number(hand) : undefined;
    const role = participant.attributes.role;
    return {
      identity: participant.identity,
      name: participant.name || participant.identity,
      role: role === 'host' || role === 'co-host' ? role : 'attendee',
      isLocal,
      speaking: speaking.has(participant.identity),
      audioLevel: participant.audioLevel,
      connectionQuality: QUALITY[participant.connectionQuality],
      microphone: ref('microphone'),
      camera: ref('camera'),
      screenShare: ref('screen_share'),
      handRaised: handAt !== undefined && Number.isFinite(handAt),
      handRaisedAt: handAt !== undefined && Number.isFinite(handAt) ? handAt : undefined,
      joinedAt: participant.joinedAt?.getTime() ?? 0,
    };
  }

  /** Audio and screen shares from everyone; cameras only for the tiles on the current page. */
  private syncSubscriptions(room: Room, visible: Set<string>): void {
    for (const participant of room.remoteParticipants.values()) {
      for (const publication of participant.trackPublications.values()) {
        const wanted =
          publication.kind === Track.Kind.Audio ||
          publication.source === Track.Source.ScreenShare ||
          visible.has(participant.identity) ||
          participant.identity === this.state.pinned;
        if (publication.isSubscribed !== wanted) publication.setSubscribed(wanted);
      }
    }
  }

  private abilitiesFor(role: Role | undefined, meeting: Meeting | undefined, canPublish: boolean): Abilities {
    if (!role) return NO_ABILITIES;
    const moderator = role === 'host' || role === 'co-host';
    const allowed = (audience: 'everyone' | 'hosts' | 'nobody' | undefined) => audience === 'everyone' || (audience === 'hosts' && moderator);
    return {
      publish: canPublish,
      screenShare: canPublish && allowed(meeting?.policy.screenShare ?? 'everyone'),
      chat: allowed(meeting?.policy.chat ?? 'everyone'),
      moderate: moderator,
      endMeeting: role === 'host',
      changeRoles: role === 'host',
      record: moderator && (meeting?.policy.recording ?? 'hosts') === 'hosts',
    };
  }

  private applyMeeting(meeting: Meeting | undefined): void {
    if (!meeting) return;
    this.patch({
      meeting,
      locked: meeting.policy.locked,
      abilities: this.abilitiesFor(this.state.role, meeting, this.room?.localParticipant.permissions?.canPublish ?? true),
    });
  }

  // ---- internals: plumbing ----

  private patch(changes: Partial<MeetingState>): void {
    this.store.update((state) => ({ ...state, ...changes }));
  }

  private patchLocal(changes: Partial<MeetingState['local']>): void {
    this.store.update((state) => ({ ...state, local: { ...state.local, ...changes } }));
  }

  /** Runs an action; a failure is recorded in state and rethrown to the caller, typed. */
  private async act(action: () => Promise<void>): Promise<void> {
    try {
      this.assertUsable();
      await action();
    } catch (error) {
      throw this.fail(error instanceof MeetingError ? error : new MeetingError('ACTION_FAILED', (error as Error).message), false);
    }
  }

  private fail(error: MeetingError, fatal: boolean): MeetingError {
    if (fatal) this.patch({ phase: this.state.phase === 'denied' ? 'denied' : 'error', reason: this.state.phase === 'denied' ? this.state.reason : reasonOf(error), lastError: reasonOf(error) });
    else this.patch({ lastError: reasonOf(error) });
    return error;
  }

  private requireRoom(): Room {
    if (!this.room) throw new MeetingError('NOT_CONNECTED', 'You are not in the meeting yet.');
    return this.room;
  }

  private requireModerator(): void {
    if (!this.state.abilities.moderate) throw new MeetingError('INSUFFICIENT_PERMISSION', 'Only hosts and co-hosts can do this.', 403);
  }

  private assertUsable(): void {
    if (this.disposed) throw new MeetingError('DISPOSED', 'This meeting controller has been disposed.');
  }
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

/** Read through a call so the compiler does not assume it unchanged across an await. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Undefined outside a secure browser context (and in Node), where there are no devices to list. */
function mediaDevices(): MediaDevices | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.mediaDevices);
}

function reasonOf(error: MeetingError): PhaseReason {
  return { code: error.code, message: error.message };
}

function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.identity === 'string' && typeof v.text === 'string' && typeof v.sentAt === 'string' && typeof v.displayName === 'string';
}
