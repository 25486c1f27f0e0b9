// Polls: started, voted on and closed through the server, which checks the policy and pushes the
// results to the room on the `polls` topic. Only those server packets count: a `polls` packet a
// participant sent is a forgery. Pushes carry counts and status, never anyone's choice, so the
// user's own vote (and the voters of a poll that is not anonymous) come from the server's answers.
// Of two views of a poll, the one with the higher revision wins: pushes may overtake answers.
// The polls read on arrival are state; a poll started or closed afterwards is news.
import type { RemoteParticipant, Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { Poll, PollInput } from '../api/types.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';

export const POLLS_TOPIC = 'polls';
export const POLL_QUESTION_MAX = 300;
export const POLL_OPTION_MAX = 100;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;

/** A poll as the room is told of it: everything but the user's own vote and the voters. */
export type PollResults = Omit<Poll, 'myVote' | 'voters'>;

export interface PollsUnit {
  create(input: PollInput): Promise<void>;
  vote(pollId: string, options: readonly number[]): Promise<void>;
  close(pollId: string): Promise<void>;
  bind(room: Room, lk: LiveKit): void;
  /** Reads the meeting's polls into state (no events); what is already here is kept if newer. */
  load(signal: AbortSignal): Promise<void>;
}

type Source = 'history' | 'answer' | 'push';

export function setupPolls(ctx: CoreContext): PollsUnit {
  /** Polls this user is closing: the room's push may tell of the close before the server's answer does. */
  const closing = new Set<string>();

  /**
   * Merges one view of a poll into state. Counts and status follow the higher revision; the user's
   * own vote and the voters follow the server's answers, which are the only views that carry them.
   */
  const apply = (incoming: PollResults | Poll, source: Source): void => {
    const polls = ctx.state.polls;
    const index = polls.findIndex((p) => p.id === incoming.id);
    const existing = polls[index];
    const personal = 'myVote' in incoming ? { myVote: incoming.myVote, ...(incoming.voters ? { voters: incoming.voters } : {}) } : undefined;
    let next: Poll;
    if (existing === undefined) {
      next = { ...incoming, myVote: personal?.myVote ?? null, ...(personal?.voters ? { voters: personal.voters } : {}) };
      const list = [...polls, next].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      ctx.patch({ polls: list });
      // Already closed when first heard of: history, not news.
      if (source !== 'history' && next.status === 'open') ctx.events.emit('poll-opened', { ...next, isLocal: next.createdBy === ctx.state.localIdentity });
      return;
    }
    const results = resultsOf(incoming.revision >= existing.revision ? incoming : existing);
    next = { ...existing, ...results, ...(personal ?? {}) };
    if (samePoll(next, existing)) return;
    ctx.patch({ polls: polls.map((p, i) => (i === index ? next : p)) });
    if (existing.status === 'open' && next.status === 'closed') ctx.events.emit('poll-closed', { ...next, isLocal: closing.has(next.id) });
  };

  return {
    async create(input) {
      if (!ctx.state.abilities.createPolls) throw new MeetingError('FEATURE_DISABLED', 'Starting polls is not allowed for you in this meeting.', 403);
      apply(await ctx.api.createPoll(ctx.meetingId, checkedInput(input)), 'answer');
    },
    async vote(pollId, options) {
      if (options.length === 0 || options.some((o) => !Number.isInteger(o) || o < 0 || o >= POLL_OPTIONS_MAX)) {
        throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'A vote names one or more options by index.', undefined, undefined, { field: 'options' });
      }
      apply(await ctx.api.vote(ctx.meetingId, pollId, [...options]), 'answer');
    },
    async close(pollId) {
      closing.add(pollId);
      try {
        apply(await ctx.api.closePoll(ctx.meetingId, pollId), 'answer');
      } finally {
        closing.delete(pollId);
      }
    },
    bind(room, lk) {
      ctx.listeners.on(room, lk.RoomEvent.DataReceived, ((payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string, _encryption?: unknown, senderIdentity?: string) => {
        if (topic !== POLLS_TOPIC) return;
        // From a participant (known or not yet known): not from the server, so not a poll.
        if (participant !== undefined || (senderIdentity !== undefined && senderIdentity !== '')) return;
        const poll = parsePollPacket(payload);
        if (poll && poll.meetingId === ctx.meetingId) apply(poll, 'push');
      }));
    },
    async load(signal) {
      try {
        for (const poll of await ctx.api.listPolls(ctx.meetingId, signal)) apply(poll, 'history');
      } catch {
        // Polls are not essential to being in the meeting; pushes still bring what changes.
      }
    },
  };
}

function resultsOf(poll: PollResults | Poll): PollResults {
  return {
    id: poll.id,
    meetingId: poll.meetingId,
    question: poll.question,
    options: poll.options.map((o) => ({ text: o.text, votes: o.votes })),
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    status: poll.status,
    createdBy: poll.createdBy,
    createdAt: poll.createdAt,
    closedAt: poll.closedAt,
    voterCount: poll.voterCount,
    revision: poll.revision,
  };
}

function samePoll(a: Poll, b: Poll): boolean {
  return a.revision === b.revision && a.status === b.status && sameNumbers(a.myVote, b.myVote) && a.voters === b.voters;
}

function sameNumbers(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** What is wrong with a poll to start (the server's rules), or undefined when nothing is. */
export function pollInputError(input: PollInput): MeetingError | undefined {
  const question = input.question.trim();
  const options = input.options.map((o) => o.trim());
  const invalid = (field: string, message: string, params: Record<string, number> = {}) => new MeetingError(MeetingError.INVALID_ARGUMENT, message, undefined, undefined, { field, ...params });
  if (question.length === 0 || question.length > POLL_QUESTION_MAX) return invalid('question', `A question has 1 to ${String(POLL_QUESTION_MAX)} characters.`, { max: POLL_QUESTION_MAX });
  if (options.length < POLL_OPTIONS_MIN || options.length > POLL_OPTIONS_MAX) return invalid('options', `A poll has ${String(POLL_OPTIONS_MIN)} to ${String(POLL_OPTIONS_MAX)} options.`, { min: POLL_OPTIONS_MIN, max: POLL_OPTIONS_MAX });
  if (options.some((o) => o.length === 0 || o.length > POLL_OPTION_MAX)) return invalid('options', `An option has 1 to ${String(POLL_OPTION_MAX)} characters.`, { max: POLL_OPTION_MAX });
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) return invalid('options', 'The options must all differ.');
  return undefined;
}

function checkedInput(input: PollInput): PollInput {
  const error = pollInputError(input);
  if (error) throw error;
  return { question: input.question.trim(), options: input.options.map((o) => o.trim()), multiple: input.multiple ?? false, anonymous: input.anonymous ?? false };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isText = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** The poll in a server packet, or undefined when the packet is not one. */
export function parsePollPacket(payload: Uint8Array): PollResults | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.type !== 'poll' || !isRecord(value.poll)) return undefined;
  const v = value.poll;
  const valid =
    ['id', 'meetingId', 'question', 'createdBy', 'createdAt'].every((key) => isText(v[key])) &&
    isCount(v.voterCount) &&
    isCount(v.revision) &&
    (v.status === 'open' || v.status === 'closed') &&
    (v.closedAt === null || isText(v.closedAt)) &&
    typeof v.multiple === 'boolean' &&
    typeof v.anonymous === 'boolean' &&
    Array.isArray(v.options) &&
    v.options.length >= POLL_OPTIONS_MIN &&
    v.options.every((o: unknown) => isRecord(o) && isText(o.text) && isCount(o.votes));
  return valid ? resultsOf(v as unknown as PollResults) : undefined;
}
