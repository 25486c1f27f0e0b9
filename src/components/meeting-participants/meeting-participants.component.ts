import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { ParticipantView } from '../../core/controller/state.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { icon } from '../../internal/icons.js';
import { meetingParticipantsStyles } from './meeting-participants.styles.js';

/**
 * @tagname meeting-participants
 * @summary Who is here (raised hands first, in the order they went up) and who is waiting. Hosts and
 * co-hosts also get the actions: admit, deny, mute, remove, make co-host, lock the meeting.
 *
 * @csspart list - The list of participants.
 * @csspart participant - Each participant's line.
 * @csspart waiting - The list of people waiting.
 * @csspart action - Every action button.
 * @csspart lock - The lock/unlock button.
 */
export class MeetingParticipants extends MeetingElement {
  static override styles = meetingParticipantsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  private readonly meeting = new MeetingStateController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
  }

  /** Failures are in the meeting state, where the room shows them. */
  private run(action: () => Promise<void>): void {
    void action().catch(() => undefined);
  }

  private renderActions(p: ParticipantView) {
    const s = this.meeting.value;
    const c = this.controller;
    if (!s || !c || p.isLocal || !s.abilities.moderate || p.role === 'host') return nothing;
    return html`
      ${p.microphone.trackSid && !p.microphone.muted
        ? html`<button part="action" @click=${() => this.run(() => c.mute(p.identity, 'microphone'))} aria-label=${this.t('people.muteName', { name: p.name })}>${this.t('people.mute')}</button>`
        : nothing}
      ${s.abilities.changeRoles
        ? p.role === 'co-host'
          ? html`<button part="action" @click=${() => this.run(() => c.setRole(p.identity, 'attendee'))}>${this.t('people.unmakeCoHost')}</button>`
          : html`<button part="action" @click=${() => this.run(() => c.setRole(p.identity, 'co-host'))}>${this.t('people.makeCoHost')}</button>`
        : nothing}
      ${p.role !== 'co-host' || s.abilities.changeRoles
        ? html`<button part="action" @click=${() => this.run(() => c.remove(p.identity))} aria-label=${this.t('people.removeName', { name: p.name })}>${this.t('people.remove')}</button>`
        : nothing}
    `;
  }

  protected override render() {
    const s = this.meeting.value;
    const c = this.controller;
    if (!s || !c) return nothing;
    const handOrder = new Map(s.hands.map((id, i) => [id, i]));
    const people = [...s.participants].sort((a, b) => (handOrder.get(a.identity) ?? Infinity) - (handOrder.get(b.identity) ?? Infinity));
    const roleLabel = (p: ParticipantView) => (p.role === 'host' ? this.t('people.host') : p.role === 'co-host' ? this.t('people.coHost') : '');
    return html`
      <h3 id="people-heading">${this.t('people.heading', { count: s.participants.length })}</h3>
      <ul part="list" aria-labelledby="people-heading">
        ${people.map(
          (p) => html`<li part="participant">
            <span class="name">${p.isLocal ? this.t('tile.you', { name: p.name }) : p.name} <span class="role">${roleLabel(p)}</span></span>
            ${p.handRaised ? html`<span class="hand" role="img" aria-label=${this.t('tile.hand')}>${icon('hand')}</span>` : nothing}
            ${p.microphone.muted ? html`<span class="mic-off" role="img" aria-label=${this.t('tile.micOff')}>${icon('micOff')}</span>` : nothing}
            ${this.renderActions(p)}
          </li>`,
        )}
      </ul>
      ${s.abilities.moderate && s.waiting.length > 0
        ? html`<h3 id="waiting-heading">${this.t('room.waitingList')}</h3>
            <ul part="waiting" aria-labelledby="waiting-heading">
              ${s.waiting.map(
                (w) => html`<li>
                  <span class="name">${w.displayName}</span>
                  <button part="action" @click=${() => this.run(() => c.admit(w.waitingId))}>${this.t('room.admit')}</button>
                  <button part="action" @click=${() => this.run(() => c.deny(w.waitingId))}>${this.t('room.deny')}</button>
                </li>`,
              )}
            </ul>`
        : nothing}
      ${s.abilities.moderate
        ? html`<button class="lock" part="lock" aria-pressed=${String(s.locked)} @click=${() => this.run(() => (s.locked ? c.unlock() : c.lock()))}>
            ${s.locked ? this.t('people.unlock') : this.t('people.lock')}
          </button>`
        : nothing}
    `;
  }
}
