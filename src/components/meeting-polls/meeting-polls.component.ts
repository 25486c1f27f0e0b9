import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Poll } from '../../core/api/types.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { Abilities, MeetingState } from '../../core/controller/state.js';
import { shallowEqual } from '../../core/controller/store.js';
import { errorMessageKey } from '../../i18n/error-messages.js';
import { icon } from '../../internal/icons.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingSelectController } from '../../internal/meeting-state.js';
import { meetingPollsStyles } from './meeting-polls.styles.js';
import { POLL_OPTION_MAX as OPTION_MAX, POLL_OPTIONS_MAX as OPTIONS_MAX, POLL_OPTIONS_MIN as OPTIONS_MIN, POLL_QUESTION_MAX as QUESTION_MAX } from '../../core/units/polls.js';
import { draftInput, emptyDraft, share, withOption, withOptionText, withoutOption, type PollDraft } from './poll-draft.js';

/** What the panel renders: the polls, what the user may do, and the names of whoever asked. */
interface PollsSlice {
  polls: Poll[];
  abilities: Abilities;
  me: string | undefined;
  /** The askers' names, one line per poll, so the slice changes only when one of them does. */
  askers: string;
}

function select(s: MeetingState): PollsSlice {
  const names = new Map(s.participants.map((p) => [p.identity, p.name]));
  return { polls: s.polls, abilities: s.abilities, me: s.localIdentity, askers: s.polls.map((p) => names.get(p.createdBy) ?? '').join('\n') };
}

/**
 * @tagname meeting-polls
 * @summary The meeting's polls: a form to start one (for those the policy allows), each poll with
 * live results as bars with counts and percentages, the user's vote marked, a way to vote or change
 * the vote while it is open, and closed polls kept with their final results.
 *
 * Results arrive from the server as people vote; the panel does not announce every count (the
 * room's live region says when a poll starts or closes).
 *
 * @csspart heading - The panel's heading.
 * @csspart new - The button that opens the form to start a poll.
 * @csspart form - The form to start a poll.
 * @csspart question-input - Its question field.
 * @csspart option-input - Each of its option fields.
 * @csspart remove-option - The button that removes an option from the form.
 * @csspart add-option - The button that adds an option to the form.
 * @csspart start - The button that starts the poll.
 * @csspart cancel - The button that closes the form.
 * @csspart list - The list of polls, newest first.
 * @csspart poll - Each poll.
 * @csspart question - A poll's question.
 * @csspart meta - The line under it: open or closed, anonymous, several choices, who asked, how many voted.
 * @csspart option - Each option of a poll, with its result.
 * @csspart my-vote - The mark on the options the user chose.
 * @csspart count - The count and percentage of an option.
 * @csspart bar - The track of an option's result bar.
 * @csspart bar-fill - The filled part of the bar (its width is the option's share of the voters).
 * @csspart vote - The button that casts (or changes) the user's vote.
 * @csspart close - The button that closes a poll (hosts, co-hosts, and whoever asked).
 * @csspart error - A refused action, in words.
 *
 * @cssprop [--meeting-poll-bar-color=var(--meeting-color-accent)] - The filled part of a result bar.
 * @cssprop [--meeting-poll-bar-background=var(--meeting-color-surface)] - The track of a result bar.
 * @cssprop [--meeting-poll-bar-height=8px] - The thickness of a result bar.
 */
export class MeetingPolls extends MeetingElement {
  static override styles = meetingPollsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /** The form to start a poll is open. */
  @state() private composing = false;
  @state() private draft: PollDraft = emptyDraft();
  /** Options ticked but not sent yet, by poll; a poll without an entry shows the user's vote. */
  @state() private choices = new Map<string, number[]>();
  /** What is being sent: `create`, or a poll's id. */
  @state() private busy = new Set<string>();
  @state() private error: { where: string; text: string } | undefined;

  private readonly slice = new MeetingSelectController(this, select, shallowEqual);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.slice.follow(this.controller);
  }

  /** Runs an action for `where`, keeping its button busy, and words a refusal from the catalogue. */
  private async send(where: string, action: () => Promise<void>): Promise<boolean> {
    this.busy = new Set([...this.busy, where]);
    this.error = undefined;
    try {
      await action();
      return true;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const params = (error as { params?: Record<string, string | number> }).params;
      this.error = { where, text: this.t(errorMessageKey(typeof code === 'string' ? code : 'UNKNOWN'), params) };
      return false;
    } finally {
      const rest = new Set(this.busy);
      rest.delete(where);
      this.busy = rest;
    }
  }

  private focusOn(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  // ---- the form ----

  private readonly openForm = (): void => {
    this.composing = true;
    this.focusOn('[part~="question-input"]');
  };

  private readonly closeForm = (): void => {
    this.composing = false;
    this.draft = emptyDraft();
    if (this.error?.where === 'create') this.error = undefined;
    this.focusOn('[part~="new"]');
  };

  private readonly onFormKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.closeForm();
  };

  private readonly addOption = (): void => {
    this.draft = withOption(this.draft);
    this.focusOn(`[part~="option-input"][data-index="${String(this.draft.options.length - 1)}"]`);
  };

  private removeOption(index: number): void {
    this.draft = withoutOption(this.draft, index);
    this.focusOn(`[part~="option-input"][data-index="${String(Math.max(0, index - 1))}"]`);
  }

  private readonly start = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = draftInput(this.draft);
    const c = this.controller;
    if (!input || !c) {
      this.error = { where: 'create', text: this.t('polls.formInvalid') };
      return;
    }
    if (await this.send('create', () => c.createPoll(input))) this.closeForm();
  };

  private renderForm() {
    const d = this.draft;
    const valid = draftInput(d) !== null;
    return html`<form part="form" aria-labelledby="new-poll" @submit=${this.start} @keydown=${this.onFormKey}>
      <h4 id="new-poll">${this.t('polls.new')}</h4>
      <label class="field">
        <span>${this.t('polls.question')}</span>
        <input
          part="question-input"
          aria-required="true"
          maxlength=${QUESTION_MAX}
          placeholder=${this.t('polls.questionPlaceholder')}
          .value=${d.question}
          @input=${(e: Event) => (this.draft = { ...this.draft, question: (e.target as HTMLInputElement).value })}
        />
      </label>
      <ol class="draft-options">
        ${d.options.map(
          (text, i) => html`<li>
            <input
              part="option-input"
              data-index=${i}
              aria-label=${this.t('polls.option', { n: i + 1 })}
              placeholder=${this.t('polls.option', { n: i + 1 })}
              maxlength=${OPTION_MAX}
              .value=${text}
              @input=${(e: Event) => (this.draft = withOptionText(this.draft, i, (e.target as HTMLInputElement).value))}
            />
            ${d.options.length > OPTIONS_MIN
              ? html`<button type="button" class="icon-button" part="remove-option" aria-label=${this.t('polls.removeOption', { n: i + 1 })} title=${this.t('polls.removeOption', { n: i + 1 })} @click=${() => this.removeOption(i)}>${icon('close')}</button>`
              : nothing}
          </li>`,
        )}
      </ol>
      ${d.options.length < OPTIONS_MAX ? html`<button type="button" class="text" part="add-option" @click=${this.addOption}>${icon('add')}<span>${this.t('polls.addOption')}</span></button>` : nothing}
      <label class="check"><input type="checkbox" .checked=${d.multiple} @change=${(e: Event) => (this.draft = { ...this.draft, multiple: (e.target as HTMLInputElement).checked })} />${this.t('polls.multiple')}</label>
      <label class="check"><input type="checkbox" .checked=${d.anonymous} @change=${(e: Event) => (this.draft = { ...this.draft, anonymous: (e.target as HTMLInputElement).checked })} />${this.t('polls.anonymous')}</label>
      ${this.renderError('create')}
      <div class="actions">
        <button type="button" class="secondary" part="cancel" @click=${this.closeForm}>${this.t('polls.cancel')}</button>
        <button type="submit" part="start" aria-disabled=${String(!valid)} ?disabled=${this.busy.has('create')}>${this.t('polls.start')}</button>
      </div>
    </form>`;
  }

  // ---- a poll ----

  private chosen(poll: Poll): number[] {
    return this.choices.get(poll.id) ?? poll.myVote ?? [];
  }

  private choose(poll: Poll, index: number, on: boolean): void {
    const current = this.chosen(poll);
    const next = poll.multiple ? (on ? [...new Set([...current, index])].sort((a, b) => a - b) : current.filter((i) => i !== index)) : [index];
    this.choices = new Map([...this.choices, [poll.id, next]]);
  }

  private async vote(event: SubmitEvent, poll: Poll): Promise<void> {
    event.preventDefault();
    const c = this.controller;
    const options = this.chosen(poll);
    if (!c || options.length === 0) return;
    if (await this.send(poll.id, () => c.vote(poll.id, options))) {
      const rest = new Map(this.choices);
      rest.delete(poll.id);
      this.choices = rest;
    }
  }

  private renderOption(poll: Poll, index: number) {
    const option = poll.options[index];
    if (!option) return nothing;
    const mine = poll.myVote?.includes(index) === true;
    const percent = share(option.votes, poll.voterCount);
    const countId = `count-${poll.id}-${String(index)}`;
    const text = html`<span class="option-text">${option.text}</span>
      ${mine ? html`<span class="mine" part="my-vote">${icon('check')}<span>${this.t('polls.yourVote')}</span></span>` : nothing}`;
    const line =
      poll.status === 'open'
        ? html`<label class="line">
            <input
              type=${poll.multiple ? 'checkbox' : 'radio'}
              name=${`poll-${poll.id}`}
              aria-describedby=${countId}
              .checked=${this.chosen(poll).includes(index)}
              @change=${(e: Event) => this.choose(poll, index, (e.target as HTMLInputElement).checked)}
            />
            ${text}
          </label>`
        : html`<span class="line">${text}</span>`;
    return html`<li class="option ${mine ? 'chosen' : ''}" part="option">
      ${line}
      <span class="count" part="count" id=${countId}>${this.t('polls.result', { votes: option.votes, total: poll.voterCount, percent })}</span>
      <span class="bar" part="bar" aria-hidden="true"><span class="fill" part="bar-fill" style=${styleMap({ '--_share': `${String(percent)}%` })}></span></span>
    </li>`;
  }

  private renderPoll(poll: Poll, asker: string, s: PollsSlice) {
    const open = poll.status === 'open';
    const canClose = open && (s.abilities.moderate || poll.createdBy === s.me);
    const chosen = this.chosen(poll);
    const unchanged = poll.myVote !== null && chosen.length === poll.myVote.length && chosen.every((v, i) => v === poll.myVote?.[i]);
    const headingId = `q-${poll.id}`;
    const meta = [
      this.t(open ? 'polls.open' : 'polls.closed'),
      ...(poll.anonymous ? [this.t('polls.anonymousBadge')] : []),
      ...(poll.multiple ? [this.t('polls.multipleBadge')] : []),
      ...(poll.createdBy === s.me ? [this.t('polls.askedByYou')] : asker ? [this.t('polls.askedBy', { name: asker })] : []),
      this.t('polls.voterCount', { count: poll.voterCount }),
    ];
    const options = html`<ul class="options">${poll.options.map((_, i) => this.renderOption(poll, i))}</ul>`;
    return html`<li class="poll ${open ? 'open' : 'closed'}" part="poll">
      <article aria-labelledby=${headingId}>
        <h4 id=${headingId} part="question">${poll.question}</h4>
        <p class="meta" part="meta">${meta.join(' · ')}</p>
        ${open
          ? html`<form @submit=${(e: SubmitEvent) => void this.vote(e, poll)}>
              <fieldset>
                <legend class="sr-only">${poll.question}</legend>
                ${options}
              </fieldset>
              ${this.renderError(poll.id)}
              <div class="actions">
                ${canClose ? html`<button type="button" class="secondary" part="close" aria-describedby=${headingId} ?disabled=${this.busy.has(poll.id)} @click=${() => void this.close(poll)}>${this.t('polls.close')}</button>` : nothing}
                <button type="submit" part="vote" ?disabled=${chosen.length === 0 || unchanged || this.busy.has(poll.id)}>${this.t(poll.myVote === null ? 'polls.vote' : 'polls.changeVote')}</button>
              </div>
            </form>`
          : options}
      </article>
    </li>`;
  }

  private async close(poll: Poll): Promise<void> {
    const c = this.controller;
    if (c) await this.send(poll.id, () => c.closePoll(poll.id));
  }

  private renderError(where: string) {
    return this.error?.where === where ? html`<p class="error" part="error" role="alert">${this.error.text}</p>` : nothing;
  }

  protected override render() {
    const s = this.slice.value;
    if (!s) return nothing;
    const askers = s.askers.split('\n');
    const newest = s.polls.map((poll, i) => ({ poll, asker: askers[i] ?? '' })).reverse();
    return html`
      <h3 id="polls-heading" part="heading">${this.t('polls.heading')}</h3>
      ${s.abilities.createPolls
        ? this.composing
          ? this.renderForm()
          : html`<button class="new" part="new" @click=${this.openForm}>${icon('add')}<span>${this.t('polls.new')}</span></button>`
        : nothing}
      ${newest.length === 0
        ? html`<p class="empty">${this.t('polls.empty')}</p>`
        : html`<ol part="list" aria-labelledby="polls-heading">
            ${repeat(newest, ({ poll }) => poll.id, ({ poll, asker }) => this.renderPoll(poll, asker, s))}
          </ol>`}
    `;
  }
}
