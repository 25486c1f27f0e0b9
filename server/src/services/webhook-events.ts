// What the outbox's facts (migration 0013) become on the wire: the contract's event bodies
// (src/contract/webhooks.ts), shaped by the same mappers the API answers with.
import type { WebhookEvent } from '../../../src/contract/webhooks.js';
import { meetingFromRow, toView, type MeetingRow } from '../store/meetings.js';
import { invitationFromRow, type InvitationRow } from '../store/invitations.js';
import { participantFromRow, type ParticipantRow } from '../store/participants.js';
import { recordingFileRoute, recordingFromRow, type RecordingRow } from '../store/recordings.js';
import type { OutboxEvent } from '../store/webhook-outbox.js';
import { toDate } from '../store/timestamps.js';

interface MeetingFacts {
  meeting: Omit<MeetingRow, keyof PolicyColumns> & { ended_at: string | null };
  policy: PolicyColumns;
  seats: number;
  people: number;
  chat_messages: number;
  /** The meeting was deleted while in progress (then `ended_at` is when). */
  deleted?: boolean;
  ended_at?: string;
}
type PolicyColumns = Pick<
  MeetingRow,
  'waiting_room' | 'max_participants' | 'allowed_email_domains' | 'allow_anonymous' | 'locked' | 'admit_invitees' | 'screen_share' | 'chat' | 'recording' | 'mute_on_entry' | 'join_before_host'
>;

export interface RenderOptions {
  /** The server's public origin, for the recording's download link; without it the link is a path. */
  publicUrl?: string | undefined;
}

function meetingOf(facts: MeetingFacts) {
  const row = { ...facts.meeting, ...facts.policy };
  if (facts.deleted === true) Object.assign(row, { status: 'ended', ended_at: facts.ended_at ?? row.ended_at });
  return toView(meetingFromRow(row), facts.seats);
}

/** The body of an outbox event (the Standard Webhooks payload). */
export function renderWebhook(event: OutboxEvent, options: RenderOptions = {}): WebhookEvent {
  const timestamp = event.createdAt.toISOString();
  const facts = event.facts;
  switch (event.type) {
    case 'meeting.started':
      return { type: event.type, timestamp, data: { meeting: meetingOf(facts as unknown as MeetingFacts) } };
    case 'meeting.ended': {
      const meetingFacts = facts as unknown as MeetingFacts;
      const meeting = meetingOf(meetingFacts);
      const started = meeting.startedAt === null ? null : toDate(meeting.startedAt).getTime();
      const ended = meeting.endedAt === null ? Date.now() : toDate(meeting.endedAt).getTime();
      return {
        type: event.type,
        timestamp,
        data: {
          meeting,
          durationS: started === null ? 0 : Math.max(0, Math.floor((ended - started) / 1000)),
          participantCount: meetingFacts.people,
          chatMessageCount: meetingFacts.chat_messages,
        },
      };
    }
    case 'participant.joined':
    case 'participant.left':
      return { type: event.type, timestamp, data: { meetingId: event.meetingId, participant: participantFromRow(facts.participant as ParticipantRow) } };
    case 'invitation.created':
      return { type: event.type, timestamp, data: { invitation: invitationFromRow(facts.invitation as InvitationRow) } };
    case 'recording.ready': {
      const recording = recordingFromRow(facts.recording as RecordingRow);
      const path = recordingFileRoute(recording.meetingId, recording.id);
      return { type: event.type, timestamp, data: { recording, downloadUrl: `${(options.publicUrl ?? '').replace(/\/+$/, '')}${path}` } };
    }
  }
}
