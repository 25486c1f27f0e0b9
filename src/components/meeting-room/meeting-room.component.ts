import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { translate } from '../../i18n/translate.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import { meetingRoomStyles } from './meeting-room.styles.js';

/** Longest display name the widget accepts; the server holds the same limit. */
export const MAX_DISPLAY_NAME_LENGTH = 80;

export type MeetingTheme = 'light' | 'dark' | 'auto';
const THEMES: readonly MeetingTheme[] = ['light', 'dark', 'auto'];

export interface MeetingJoinRequestDetail {
  meetingId: string;
  displayName: string;
}

declare module '../../internal/meeting-element.js' {
  interface MeetingEventMap {
    'meeting-join-request': MeetingJoinRequestDetail;
  }
}

/**
 * @tagname meeting-room
 * @summary The whole meeting experience: lobby, waiting room, call and end screens.
 *
 * @fires {CustomEvent<MeetingJoinRequestDetail>} meeting-join-request - The user asked to join from the
 * lobby. Cancelable: a host page that calls `preventDefault()` keeps the user in the lobby.
 *
 * @csspart base - The outermost wrapper.
 * @csspart lobby - The lobby card.
 * @csspart heading - The lobby heading.
 * @csspart meeting-id - The line naming the meeting.
 * @csspart name-label - The label around the name field.
 * @csspart name-input - The display-name text field.
 * @csspart join-button - The button that asks to join.
 * @csspart message - Validation and guidance messages.
 *
 * @cssprop [--meeting-color-background=#ffffff] - Background of the widget.
 * @cssprop [--meeting-color-surface=#f2f4f7] - Background of cards and panels.
 * @cssprop [--meeting-color-text=#1b1d21] - Main text colour.
 * @cssprop [--meeting-color-text-muted=#545a66] - Secondary text colour.
 * @cssprop [--meeting-color-accent=#1f5fd1] - Primary actions and focus rings.
 * @cssprop [--meeting-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssprop [--meeting-color-danger=#b3261e] - Errors and destructive actions.
 * @cssprop [--meeting-radius=12px] - Corner radius of cards; controls use half of it.
 * @cssprop [--meeting-spacing=16px] - Base spacing unit.
 * @cssprop [--meeting-font-family=system-ui] - Font family.
 * @cssprop [--meeting-font-size=16px] - Base font size.
 */
export class MeetingRoom extends MeetingElement {
  static override styles = meetingRoomStyles;

  /** Base URL of the token/policy server, e.g. `https://meet.example.com`. */
  @property({ reflect: true }) server = '';

  /** Id of the meeting to join. */
  @property({ attribute: 'meeting-id', reflect: true }) meetingId = '';

  /** Display name to prefill in the lobby. */
  @property({ attribute: 'display-name' }) displayName = '';

  /** Colour scheme: `light`, `dark`, or `auto` to follow the system. Other values fall back to `auto`. */
  @property({ reflect: true }) theme: MeetingTheme = 'auto';

  /** Language of the widget's strings (BCP 47, e.g. `fr`); defaults to the page's language. */
  @property({ reflect: true }) override lang = '';

  @state() private nameDraft = '';
  @state() private nameError: MessageKey | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && !THEMES.includes(this.theme)) {
      console.warn(`[meeting-widget] <meeting-room> theme="${this.theme}" is not one of ${THEMES.join(', ')}; using auto.`);
      this.theme = 'auto';
    }
    if (changed.has('displayName')) {
      this.nameDraft = this.displayName.slice(0, MAX_DISPLAY_NAME_LENGTH);
    }
  }

  private get language(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  }

  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.language, key, params);
  }

  private readonly onNameInput = (event: Event): void => {
    this.nameDraft = (event.target as HTMLInputElement).value;
    this.nameError = null;
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const displayName = this.nameDraft.trim();
    if (displayName === '') {
      this.nameError = 'lobby.nameRequired';
      return;
    }
    if (displayName.length > MAX_DISPLAY_NAME_LENGTH) {
      this.nameError = 'lobby.nameTooLong';
      return;
    }
    this.emit('meeting-join-request', { meetingId: this.meetingId, displayName }, { cancelable: true });
  };

  protected override render() {
    const meetingId = this.meetingId.trim();
    const error = this.nameError;
    return html`
      <div class="base" part="base">
        <form class="lobby" part="lobby" novalidate @submit=${this.onSubmit} aria-labelledby="heading">
          <h2 id="heading" part="heading">${this.t('lobby.heading')}</h2>
          ${meetingId === ''
            ? html`<p class="message" part="message" role="alert">${this.t('lobby.missingMeeting')}</p>`
            : html`<p class="meeting-id" part="meeting-id">${this.t('lobby.meeting', { id: meetingId })}</p>`}
          <label part="name-label">
            ${this.t('lobby.nameLabel')}
            <input
              part="name-input"
              name="displayName"
              autocomplete="name"
              maxlength=${MAX_DISPLAY_NAME_LENGTH}
              placeholder=${this.t('lobby.namePlaceholder')}
              .value=${this.nameDraft}
              aria-invalid=${error === null ? 'false' : 'true'}
              aria-describedby=${error === null ? nothing : 'name-error'}
              @input=${this.onNameInput}
            />
          </label>
          ${error === null
            ? nothing
            : html`<p id="name-error" class="message" part="message" role="alert">
                ${this.t(error, { max: MAX_DISPLAY_NAME_LENGTH })}
              </p>`}
          <button part="join-button" type="submit" ?disabled=${meetingId === ''}>${this.t('lobby.join')}</button>
        </form>
      </div>
    `;
  }
}
