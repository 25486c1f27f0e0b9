import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { BreakoutRoom } from '../../core/api/types.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { Abilities, BreakoutState, MeetingState } from '../../core/controller/state.js';
import { shallowEqual } from '../../core/controller/store.js';
import { BREAKOUT_BROADCAST_MAX } from '../../core/units/breakouts.js';
import { errorMessageKey } from '../../i18n/error-messages.js';
import { icon } from '../../internal/icons.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingSelectController } from '../../internal/meeting-state.js';
import { MAX_MINUTES, MAX_ROOMS, MIN_MINUTES, assign, emptyPlan, planInput, randomly, withRooms, type BreakoutPlan } from './breakout-plan.js';
import { meetingBreakoutsStyles } from './meeting-breakouts.styles.js';

/** How often a host's panel reads the counts per room again while rooms are open. */
const COUNTS_EVERY_MS = 5000;

interface Person {
  identity: string;
  name: string;
}

/** What the panel renders. */
interface BreakoutsSlice {
  breakouts: BreakoutState;
  abilities: Abilities;
  /** The people a host may send to a room: those here now, hosts and co-hosts aside, one line each. */
  people: string;
}

function select(s: MeetingState): BreakoutsSlice {
  const people = s.participants.filter((p) => !p.isLocal && p.role === 'attendee').map((p) => `${p.identity}\t${p.name}`);
  return { breakouts: s.breakouts, abilities: s.abilities, people: people.join('\n') };
}

function peopleOf(slice: BreakoutsSlice): Person[] {
  if (slice.people === '') return [];
  return slice.people.split('\n').map((line) => {
    const [identity = '', name = ''] = line.split('\t');
    return { identity, name };
  });
}

/**
 * @tagname meeting-breakouts
 * @summary Breakout rooms. Hosts and co-hosts plan them (how many rooms, a room per person picked
 * from a list or dealt at random, an optional timer), open them, see how many people are in each,
 * visit any room, send a message to every room and close them all. Everyone else sees where they
 * are going ("You are moving to Room 2"), the room they are in, and a way back to the main room
 * when the host allows it (the host's "Let people return to the main room", on unless unchecked).
 *
 * The moves themselves are the core's: the people assigned are moved when the rooms open and come
 * back when they close; the room's live region says so.
 *
 * @csspart heading - The panel's heading.
 * @csspart status - Where the user is, or where they are going (a live status line).
 * @csspart return - The button that goes back to the main room (shown when the host lets people return early).
 * @csspart stay - The line shown instead when the host keeps everyone in their rooms until the close.
 * @csspart form - The host's form to open rooms.
 * @csspart room-count - Its number of rooms.
 * @csspart assignments - The list of people with a room picker each.
 * @csspart person - One person in that list.
 * @csspart room-select - The room picker of a person.
 * @csspart random - The button that deals everyone into the rooms at random.
 * @csspart timer - The checkbox that closes the rooms by themselves.
 * @csspart minutes - How many minutes they stay open.
 * @csspart allow-return - The checkbox that lets people go back to the main room before the close (checked at first).
 * @csspart open - The button that opens the rooms.
 * @csspart rooms - The list of open rooms.
 * @csspart room - One open room: its name, how many are in it, and a way in.
 * @csspart room-name - A room's name.
 * @csspart room-people - How many people are in a room.
 * @csspart join - The button that goes into a room.
 * @csspart closes-at - When the rooms close by themselves.
 * @csspart broadcast - The host's form that sends a message to every room.
 * @csspart broadcast-text - Its text field.
 * @csspart broadcast-send - Its send button.
 * @csspart close-all - The button that closes every room.
 * @csspart empty - The line shown when no rooms are open.
 * @csspart error - A refused action, in words.
 *
 * @cssprop [--meeting-breakout-room-background=var(--meeting-color-surface)] - The background of an open room's card.
 * @cssprop [--meeting-breakout-here-color=var(--meeting-color-accent)] - The mark on the room the user is in.
 */
export class MeetingBreakouts extends MeetingElement {
  static override styles = meetingBreakoutsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  @state() private plan: BreakoutPlan = emptyPlan();
  @state() private busy = false;
  @state() private error: string | undefined;
  /** The host's message to every room, as typed. */
  @state() private broadcastText = '';

  private readonly slice = new MeetingSelectController(this, select, shallowEqual);
  private countsTimer: ReturnType<typeof setInterval> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.slice.follow(this.controller);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // While open, the counts per room change as people move: a host's panel reads them again.
    this.countsTimer = setInterval(() => {
      const s = this.slice.value;
      if (s?.abilities.manageBreakouts && s.breakouts.session !== null && !this.busy) void this.controller?.refreshBreakouts().catch(() => undefined);
    }, COUNTS_EVERY_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.countsTimer);
    this.countsTimer = undefined;
  }

  /** Runs an action, keeping the buttons busy, and words a refusal from the catalogue. */
  private async send(action: (c: MeetingController) => Promise<void>): Promise<void> {
    const c = this.controller;
    if (!c || this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      await action(c);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const params = (error as { params?: Record<string, string | number> }).params;
      this.error = this.t(errorMessageKey(typeof code === 'string' ? code : 'UNKNOWN'), params);
    } finally {
      this.busy = false;
    }
  }

  private roomName = (n: number): string => this.t('breakouts.roomName', { n });

  private readonly openRooms = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = planInput(this.plan, this.roomName);
    void this.send(async (c) => {
      await c.openBreakouts(input);
      this.plan = emptyPlan();
    });
  };

  private readonly sendBroadcast = (event: SubmitEvent): void => {
    event.preventDefault();
    const text = this.broadcastText;
    if (text.trim() === '') return;
    void this.send(async (c) => {
      await c.broadcastToBreakouts(text);
      this.broadcastText = '';
    });
  };

  private renderBroadcast() {
    return html`<form class="broadcast" part="broadcast" @submit=${this.sendBroadcast}>
      <label class="field">
        <span id="broadcast-label">${this.t('breakouts.broadcastLabel')}</span>
        <input
          part="broadcast-text"
          type="text"
          maxlength=${BREAKOUT_BROADCAST_MAX}
          autocomplete="off"
          .value=${this.broadcastText}
          @input=${(e: Event) => (this.broadcastText = (e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" part="broadcast-send" aria-describedby="broadcast-label" ?disabled=${this.busy || this.broadcastText.trim() === ''}>${this.t('breakouts.broadcastSend')}</button>
    </form>`;
  }

  private renderStatus(b: BreakoutState) {
    const current = b.session?.rooms.find((room) => room.id === b.currentRoomId);
    let text = '';
    if (b.moving !== null) text = b.moving.roomId === null ? this.t('breakouts.movingBack') : this.t('breakouts.movingTo', { room: b.moving.name ?? '' });
    else if (b.currentRoomId !== null) text = this.t('breakouts.youAreIn', { room: current?.name ?? '' });
    return html`<div class="status" part="status" role="status">
      ${text ? html`<p>${text}</p>` : nothing}
      ${b.currentRoomId !== null && b.moving === null
        ? b.mayReturn
          ? html`<button part="return" ?disabled=${this.busy} @click=${() => void this.send((c) => c.returnToMain())}>${icon('returnToMain')}<span>${this.t('breakouts.returnToMain')}</span></button>`
          : html`<p class="hint" part="stay">${this.t('breakouts.stayUntilClose')}</p>`
        : nothing}
    </div>`;
  }

  private renderPlan(people: Person[]) {
    const p = this.plan;
    return html`<form part="form" aria-labelledby="plan-heading" @submit=${this.openRooms}>
      <label class="field inline">
        <span>${this.t('breakouts.roomCount')}</span>
        <input
          part="room-count"
          type="number"
          inputmode="numeric"
          min="1"
          max=${MAX_ROOMS}
          .value=${String(p.rooms)}
          @change=${(e: Event) => (this.plan = withRooms(this.plan, Number((e.target as HTMLInputElement).value)))}
        />
      </label>
      <h4 id="assign-heading">${this.t('breakouts.assign')}</h4>
      ${people.length === 0
        ? html`<p class="hint">${this.t('breakouts.nobody')}</p>`
        : html`<ul part="assignments" aria-labelledby="assign-heading">
              ${repeat(
                people,
                (person) => person.identity,
                (person) => {
                  const room = p.assignment.get(person.identity);
                  return html`<li part="person">
                    <label>
                      <span class="name">${person.name}</span>
                      <select
                        part="room-select"
                        aria-label=${this.t('breakouts.assignFor', { name: person.name })}
                        @input=${(e: Event) => {
                          const value = (e.target as HTMLSelectElement).value;
                          this.plan = assign(this.plan, person.identity, value === '' ? null : Number(value));
                        }}
                      >
                        <option value="" ?selected=${room === undefined}>${this.t('breakouts.unassigned')}</option>
                        ${Array.from({ length: p.rooms }, (_, i) => html`<option value=${i} ?selected=${room === i}>${this.roomName(i + 1)}</option>`)}
                      </select>
                    </label>
                  </li>`;
                },
              )}
            </ul>
            <button
              type="button"
              class="secondary"
              part="random"
              @click=${() =>
                (this.plan = randomly(
                  this.plan,
                  people.map((person) => person.identity),
                ))}
            >
              ${icon('shuffle')}<span>${this.t('breakouts.random')}</span>
            </button>`}
      <div class="timer">
        <label class="check"
          ><input part="timer" type="checkbox" .checked=${p.timer} @change=${(e: Event) => (this.plan = { ...this.plan, timer: (e.target as HTMLInputElement).checked })} />${this.t(
            'breakouts.timer',
          )}</label
        >
        <label class="field inline">
          <span>${this.t('breakouts.minutes')}</span>
          <input
            part="minutes"
            type="number"
            inputmode="numeric"
            min=${MIN_MINUTES}
            max=${MAX_MINUTES}
            ?disabled=${!p.timer}
            .value=${String(p.minutes)}
            @change=${(e: Event) => (this.plan = { ...this.plan, minutes: Number((e.target as HTMLInputElement).value) || MIN_MINUTES })}
          />
        </label>
      </div>
      <label class="check"
        ><input
          part="allow-return"
          type="checkbox"
          .checked=${p.allowReturn}
          @change=${(e: Event) => (this.plan = { ...this.plan, allowReturn: (e.target as HTMLInputElement).checked })}
        />${this.t('breakouts.allowReturn')}</label
      >
      ${this.renderError()}
      <div class="actions">
        <button type="submit" part="open" ?disabled=${this.busy}>${icon('breakouts')}<span>${this.t('breakouts.open')}</span></button>
      </div>
    </form>`;
  }

  private renderRoom(room: BreakoutRoom, b: BreakoutState, host: boolean) {
    const here = b.currentRoomId === room.id;
    const nameId = `room-${room.id}`;
    const canJoin = !here && b.moving === null && (host || room.id === b.assignedRoomId);
    return html`<li class="room ${here ? 'here' : ''}" part="room">
      <div class="room-text">
        <span class="room-name" part="room-name" id=${nameId}>${room.name}</span>
        <span class="room-people" part="room-people"
          >${this.t('breakouts.people', { count: room.participantCount })}${host ? ` · ${this.t('breakouts.assigned', { count: room.identities.length })}` : ''}</span
        >
      </div>
      ${here
        ? html`<span class="here-mark">${icon('check')}<span>${this.t('breakouts.here')}</span></span>`
        : canJoin
          ? html`<button class="secondary" part="join" aria-label=${this.t('breakouts.joinNamed', { room: room.name })} ?disabled=${this.busy} @click=${() => void this.send((c) => c.joinBreakout(room.id))}>
              ${this.t('breakouts.join')}
            </button>`
          : nothing}
    </li>`;
  }

  private renderOpen(b: BreakoutState, host: boolean) {
    const session = b.session;
    if (session === null) return nothing;
    const closesAt = session.closesAt === null ? undefined : new Date(session.closesAt).toLocaleTimeString(this.language, { hour: '2-digit', minute: '2-digit' });
    const mine = session.rooms.find((room) => room.id === b.assignedRoomId);
    return html`
      ${!host && mine && b.currentRoomId === null ? html`<p class="hint">${this.t('breakouts.yourRoom', { room: mine.name })}</p>` : nothing}
      <ul part="rooms" aria-labelledby="breakouts-heading">
        ${repeat(
          session.rooms,
          (room) => room.id,
          (room) => this.renderRoom(room, b, host),
        )}
      </ul>
      ${closesAt ? html`<p class="hint" part="closes-at">${this.t('breakouts.closesAt', { time: closesAt })}</p>` : nothing}
      ${host ? this.renderBroadcast() : nothing}
      ${this.renderError()}
      ${host
        ? html`<div class="actions">
            <button part="close-all" ?disabled=${this.busy} @click=${() => void this.send((c) => c.closeBreakouts())}>${this.t('breakouts.closeAll')}</button>
          </div>`
        : nothing}
    `;
  }

  private renderError() {
    return this.error === undefined ? nothing : html`<p class="error" part="error" role="alert">${this.error}</p>`;
  }

  protected override render() {
    const s = this.slice.value;
    if (!s) return nothing;
    const b = s.breakouts;
    const host = s.abilities.manageBreakouts;
    return html`
      <h3 id="breakouts-heading" part="heading">${this.t('breakouts.heading')}</h3>
      ${this.renderStatus(b)}
      ${b.session !== null
        ? this.renderOpen(b, host)
        : host
          ? html`<h4 id="plan-heading" class="sr-only">${this.t('breakouts.open')}</h4>
              ${this.renderPlan(peopleOf(s))}`
          : html`<p class="empty" part="empty">${this.t('breakouts.none')}</p>`}
    `;
  }
}
