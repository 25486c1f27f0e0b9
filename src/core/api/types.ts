// The server's objects as the HTTP contract defines them: the types of the wire contract's zod
// schemas (src/contract), imported as types only, so no validator ships to the browser.
import type { Admission } from '../../contract/index.js';

export type {
  Admission,
  Audience,
  BreakoutInput,
  BreakoutRoom,
  BreakoutSession,
  BreakoutToken,
  ChatMessage,
  Hand,
  Invitation,
  MediaSource,
  Meeting,
  MeetingCard,
  MeetingStatus,
  MeetingStatusInfo,
  Participant as ServerParticipant,
  Policy,
  Poll,
  PollInput,
  PollOption,
  PollVoter,
  Recording,
  Role,
  SentChatMessage,
  Waiter,
} from '../../contract/index.js';

export type JoinResult = ({ status: 'admitted' } & Admission) | { status: 'waiting'; waitingId: string };
