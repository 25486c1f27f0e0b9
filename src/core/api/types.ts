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
