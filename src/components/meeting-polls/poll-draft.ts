// The poll being written in the create form, as plain data and pure functions, so the element only
// renders it. The limits mirror the server's (the server checks again).
import type { PollInput } from '../../core/api/types.js';

export const QUESTION_MAX = 300;
export const OPTION_MAX = 100;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 10;

export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
}

export const emptyDraft = (): PollDraft => ({ question: '', options: ['', ''], multiple: false, anonymous: false });

/** The draft as the server takes it, or null while it is not a poll yet (no question, fewer than two distinct options). */
export function draftInput(draft: PollDraft): PollInput | null {
  const question = draft.question.trim();
  const options = draft.options.map((o) => o.trim()).filter((o) => o !== '');
  if (question === '' || question.length > QUESTION_MAX) return null;
  if (options.length < OPTIONS_MIN || options.length > OPTIONS_MAX || options.some((o) => o.length > OPTION_MAX)) return null;
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) return null;
  return { question, options, multiple: draft.multiple, anonymous: draft.anonymous };
}

export function withOption(draft: PollDraft): PollDraft {
  return draft.options.length >= OPTIONS_MAX ? draft : { ...draft, options: [...draft.options, ''] };
}

export function withoutOption(draft: PollDraft, index: number): PollDraft {
  return draft.options.length <= OPTIONS_MIN ? draft : { ...draft, options: draft.options.filter((_, i) => i !== index) };
}

export function withOptionText(draft: PollDraft, index: number, text: string): PollDraft {
  return { ...draft, options: draft.options.map((o, i) => (i === index ? text : o)) };
}

/** Percent of the voters who chose an option (with several choices the percents add up to more than 100). */
export function share(votes: number, voters: number): number {
  return voters === 0 ? 0 : Math.round((votes * 100) / voters);
}
