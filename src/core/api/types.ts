// The server's objects as the HTTP contract defines them.

export type Role = 'host' | 'co-host' | 'attendee';
export type MeetingStatus = 'scheduled' | 'active' | 'ended';
export type Audience = 'everyone' | 'hosts' | 'nobody';

export interface Policy {
  waitingRoom: boolean;
  maxParticipants: number;
  allowedEmailDomains: string[];
  allowAnonymous: boolean;
  locked: boolean;
  admitInvitees: boolean;
  screenShare: Audience;
  chat: Audience;
  recording: 'hosts' | 'nobody';
  muteOnEntry: boolean;
  joinBeforeHost: boolean;
  /** Who may start polls; everyone present may vote. */
  polls: Audience;
}

export interface Meeting {
  id: string;
  title: string;
  status: MeetingStatus;
  hostId: string;
  roomName: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  policy: Policy;
  participantCount: number;
}

export interface MeetingStatusInfo {
  status: MeetingStatus;
  participantCount: number;
  waitingCount: number;
  locked: boolean;
}

export interface Admission {
  token: string;
  livekitUrl: string;
  identity: string;
  role: Role;
  meeting?: Meeting;
}

export type JoinResult = ({ status: 'admitted' } & Admission) | { status: 'waiting'; waitingId: string };

export interface Waiter {
  waitingId: string;
  displayName: string;
  email: string | null;
  since: string;
}

export interface ServerParticipant {
  identity: string;
  userId: string | null;
  displayName: string;
  role: Role;
  joinedAt: string;
  leftAt: string | null;
}

export interface ChatMessage {
  id: string;
  identity: string;
  displayName: string;
  text: string;
  sentAt: string;
}

export interface Invitation {
  id: string;
  meetingId: string;
  email: string | null;
  userId: string | null;
  status: 'pending' | 'accepted' | 'declined';
  invitedBy: string;
  createdAt: string;
}

export type MediaSource = 'microphone' | 'camera' | 'screen_share';

export interface Recording {
  id: string;
  meetingId: string;
  status: 'starting' | 'active' | 'stopped' | 'failed';
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  location: string | null;
}

/** A poll's option and how many people chose it. */
export interface PollOption {
  text: string;
  votes: number;
}

/** Who chose what, in a poll that is not anonymous. */
export interface PollVoter {
  identity: string;
  displayName: string;
  /** Indexes into the poll's options. */
  options: number[];
}

/** A poll as the server answers it to one caller (contract v1.1). */
export interface Poll {
  id: string;
  meetingId: string;
  question: string;
  options: PollOption[];
  /** Several options may be chosen. */
  multiple: boolean;
  /** Nobody, the host included, learns who chose what. */
  anonymous: boolean;
  status: 'open' | 'closed';
  /** Identity of the participant who started it. */
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  /** How many people voted (with `multiple`, fewer than the sum of the votes). */
  voterCount: number;
  /** Goes up with every vote and the close: the higher revision is the newer view. */
  revision: number;
  /** The caller's own vote (option indexes), or null. */
  myVote: number[] | null;
  /** Who chose what, for polls that are not anonymous. */
  voters?: PollVoter[];
}

/** What it takes to start a poll. */
export interface PollInput {
  question: string;
  options: string[];
  multiple?: boolean;
  anonymous?: boolean;
}
