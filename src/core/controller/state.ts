// The meeting as the widget shows it: one immutable snapshot, replaced on every change.
import type { BreakoutSession, ChatMessage, Meeting, Poll, Role, Waiter } from '../api/types.js';

export type Phase =
  | 'idle'
  | 'lobby'
  | 'waiting'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'left'
  | 'ended'
  | 'denied'
  | 'error';

export type TrackSourceName = 'microphone' | 'camera' | 'screen_share';
export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';
export type PermissionState = 'granted' | 'denied' | 'prompt' | 'unknown';
export type LayoutMode = 'grid' | 'speaker' | 'spotlight';
export type ConnectionQualityName = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/**
 * Why something ended or failed: a stable code (the server's or the core's), the values a
 * translation may use, and English for developers. The UI words it as `error.<code>` from its
 * catalogue (see `src/i18n/error-messages.ts`); `message` is not for people.
 */
export interface PhaseReason {
  code: string;
  message: string;
  params?: Readonly<Record<string, string | number>>;
}

/** While the core is getting a lost call back. */
export interface ReconnectProgress {
  /** Rejoins tried so far (0 while LiveKit resumes the connection on its own). */
  attempt: number;
  /** When the connection was lost (ms since epoch). */
  since: number;
  /** When the core gives up and reports `CONNECTION_LOST` (ms since epoch). */
  giveUpAt: number;
}

export interface MediaToggle {
  enabled: boolean;
  /** A change was asked for and has not completed yet. */
  pending: boolean;
}

export interface DeviceInfo {
  deviceId: string;
  label: string;
  kind: DeviceKind;
}

export interface LocalMedia {
  microphone: MediaToggle;
  camera: MediaToggle;
  screenShare: MediaToggle;
  devices: Record<DeviceKind, DeviceInfo[]>;
  selected: Partial<Record<DeviceKind, string>>;
  permissions: { microphone: PermissionState; camera: PermissionState };
  /** 0..1, the microphone's level while previewing or connected. */
  micLevel: number;
  /** Show the user's own camera mirrored, as people expect of a self-view (others always see it unmirrored). */
  mirror: boolean;
}

/** What a tile needs to show one source of one participant. The controller attaches the media. */
export interface TrackRef {
  identity: string;
  source: TrackSourceName;
  /** Undefined while there is nothing to show (camera off): the tile shows a placeholder. */
  trackSid: string | undefined;
  muted: boolean;
  subscribed: boolean;
}

export interface ParticipantView {
  identity: string;
  name: string;
  role: Role;
  isLocal: boolean;
  speaking: boolean;
  audioLevel: number;
  connectionQuality: ConnectionQualityName;
  microphone: TrackRef;
  camera: TrackRef;
  screenShare: TrackRef;
  handRaised: boolean;
  /** When the hand went up (ms since epoch), for the order hands are answered in. */
  handRaisedAt: number | undefined;
  joinedAt: number;
}

export interface Reaction {
  id: string;
  identity: string;
  emoji: string;
  at: number;
}

/** What the local participant may do, from role and policy, so the UI can hide what would fail. */
export interface Abilities {
  publish: boolean;
  screenShare: boolean;
  chat: boolean;
  moderate: boolean;
  endMeeting: boolean;
  changeRoles: boolean;
  /** Start and stop recordings (hosts and co-hosts, when the policy allows recording). */
  record: boolean;
  /** Start polls (per the meeting's `polls` policy; everyone present may vote). */
  createPolls: boolean;
  /** Open and close breakout rooms and visit any of them (hosts and co-hosts, per `policy.breakoutRooms`). */
  manageBreakouts: boolean;
}

/** Breakout rooms, as this user may see them, and where the user is. */
export interface BreakoutState {
  /** The open session (an attendee sees their own room only), or null when none is open. */
  session: BreakoutSession | null;
  /** The room the user is assigned to in it, or null. */
  assignedRoomId: string | null;
  /** The breakout room the user is in now; null in the meeting's main room. */
  currentRoomId: string | null;
  /** Set while the user is moving: to a breakout room (its id and name), or back to the main room (null). */
  moving: { roomId: string | null; name: string | null } | null;
  /** Whether the user may go back to the main room before the close (the host's setting; hosts and co-hosts always may). */
  mayReturn: boolean;
}

export interface MeetingState {
  phase: Phase;
  /** Why the meeting is over or failed, for `left`, `ended`, `denied` and `error`. */
  reason: PhaseReason | undefined;
  /** The last action that failed, even when the meeting goes on. */
  lastError: PhaseReason | undefined;
  meetingId: string | undefined;
  meeting: Meeting | undefined;
  displayName: string;
  localIdentity: string | undefined;
  role: Role | undefined;
  abilities: Abilities;
  local: LocalMedia;
  /** Everyone, local participant included, in tile order. */
  participants: ParticipantView[];
  /** Identities speaking now, loudest first. */
  activeSpeakers: string[];
  pinned: string | undefined;
  layout: LayoutMode;
  page: number;
  pageCount: number;
  pageSize: number;
  /** The identities whose tiles are on the current page. */
  visible: string[];
  /** Raised hands, first raised first. */
  hands: string[];
  chat: { messages: ChatMessage[]; unread: number; open: boolean };
  /**
   * The meeting's polls in the order they were started, with live results. `myVote` and `voters`
   * are as the server last answered this user (the room's pushes carry the counts only).
   */
  polls: Poll[];
  breakouts: BreakoutState;
  reactions: Reaction[];
  waiting: Waiter[];
  locked: boolean;
  /** Whether the meeting is being recorded (as the media server says), and whether a start or stop is under way. */
  recording: { active: boolean; pending: boolean };
  /** Set while phase is `reconnecting`. */
  reconnect: ReconnectProgress | undefined;
}

export const NO_ABILITIES: Abilities = {
  publish: false,
  screenShare: false,
  chat: false,
  moderate: false,
  endMeeting: false,
  changeRoles: false,
  record: false,
  createPolls: false,
  manageBreakouts: false,
};

export const NO_BREAKOUTS: BreakoutState = { session: null, assignedRoomId: null, currentRoomId: null, moving: null, mayReturn: true };

export function initialState(): MeetingState {
  const off: MediaToggle = { enabled: false, pending: false };
  return {
    phase: 'idle',
    reason: undefined,
    lastError: undefined,
    meetingId: undefined,
    meeting: undefined,
    displayName: '',
    localIdentity: undefined,
    role: undefined,
    abilities: NO_ABILITIES,
    local: {
      microphone: off,
      camera: off,
      screenShare: off,
      devices: { audioinput: [], videoinput: [], audiooutput: [] },
      selected: {},
      permissions: { microphone: 'unknown', camera: 'unknown' },
      micLevel: 0,
      mirror: true,
    },
    participants: [],
    activeSpeakers: [],
    pinned: undefined,
    layout: 'grid',
    page: 0,
    pageCount: 1,
    pageSize: 25,
    visible: [],
    hands: [],
    chat: { messages: [], unread: 0, open: false },
    polls: [],
    breakouts: NO_BREAKOUTS,
    reactions: [],
    waiting: [],
    locked: false,
    recording: { active: false, pending: false },
    reconnect: undefined,
  };
}
