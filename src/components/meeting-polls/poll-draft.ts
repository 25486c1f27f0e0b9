// The poll being written in the create form, as plain data and pure functions, so the element only
// renders it. The rules are the core's, which mirror the server's (the server checks again).
import type { PollInput } from '../../core/api/types.js';
import { POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, pollInputError } from '../../core/units/polls.js';

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
}

export const emptyDraft = (): PollDraft => ({ question: '', options: ['', ''], multiple: false, anonymous: false });

/** The draft as the server takes it (blank options left out), or null while it is not a poll yet. */
export function draftInput(draft: PollDraft): PollInput | null {
  const input = { question: draft.question.trim(), options: draft.options.map((o) => o.trim()).filter((o) => o !== ''), multiple: draft.multiple, anonymous: draft.anonymous };
  return pollInputError(input) ? null : input;
}

export function withOption(draft: PollDraft): PollDraft {
  return draft.options.length >= POLL_OPTIONS_MAX ? draft : { ...draft, options: [...draft.options, ''] };
}

export function withoutOption(draft: PollDraft, index: number): PollDraft {
  return draft.options.length <= POLL_OPTIONS_MIN ? draft : { ...draft, options: draft.options.filter((_, i) => i !== index) };
}

export function withOptionText(draft: PollDraft, index: number, text: string): PollDraft {
  return { ...draft, options: draft.options.map((o, i) => (i === index ? text : o)) };
}

/** Percent of the voters who chose an option (with several choices the percents add up to more than 100). */
export function share(votes: number, voters: number): number {
  return voters === 0 ? 0 : Math.round((votes * 100) / voters);
}
