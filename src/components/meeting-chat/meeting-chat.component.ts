import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingError } from '../../core/api/meeting-error.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { icon } from '../../internal/icons.js';
import { meetingChatStyles } from './meeting-chat.styles.js';

/**
 * @tagname meeting-chat
 * @summary The meeting's chat: history and live messages, and a field to write one.
 *
 * @csspart list - The message list.
 * @csspart message - Each message.
 * @csspart form - The form at the bottom.
 * @csspart input - The message field.
 * @csspart send - The send button.
 */
export class MeetingChat extends MeetingElement {
  static override styles = meetingChatStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  @state() private draft = '';
  @state() private sending = false;
  /** Why the last message was refused, as its code: shown in the catalogue's words. */
  @state() private error: MeetingError | undefined;

  private readonly meeting = new MeetingStateController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
  }

  protected override updated(): void {
    const list = this.renderRoot.querySelector('ol');
    if (list) list.scrollTop = list.scrollHeight;
  }

  private readonly onInput = (event: Event): void => {
    this.draft = (event.target as HTMLInputElement).value;
    this.error = undefined;
  };

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const text = this.draft.trim();
    if (!text || !this.controller) return;
    this.sending = true;
    try {
      await this.controller.sendChat(text);
      // Only a message that was accepted leaves the field; a refused one stays to be fixed or resent.
      this.draft = '';
    } catch (error) {
      this.error = error instanceof MeetingError ? error : new MeetingError('ACTION_FAILED', String(error));
    } finally {
      this.sending = false;
    }
  };

  protected override render() {
    const s = this.meeting.value;
    if (!s) return nothing;
    return html`
      <h3 id="chat-heading">${this.t('chat.heading')}</h3>
      <ol part="list" aria-labelledby="chat-heading" aria-live="polite">
        ${s.chat.messages.length === 0 ? html`<li class="empty">${this.t('chat.empty')}</li>` : nothing}
        ${s.chat.messages.map(
          (m) => html`<li part="message">
            <span class="who">${m.identity === s.localIdentity ? this.t('chat.you') : m.displayName}</span>
            <time datetime=${m.sentAt}>${new Date(m.sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
            <div>${m.text}</div>
          </li>`,
        )}
      </ol>
      ${this.error ? html`<p class="error" role="alert">${this.errorText(this.error)}</p>` : nothing}
      ${s.abilities.chat
        ? html`<form part="form" @submit=${this.onSubmit}>
            <input part="input" aria-label=${this.t('chat.message')} maxlength="4000" .value=${this.draft} @input=${this.onInput} placeholder=${this.t('chat.placeholder')} />
            <button part="send" type="submit" aria-label=${this.t('chat.send')} title=${this.t('chat.send')} ?disabled=${this.sending || this.draft.trim() === ''}>${icon('send')}</button>
          </form>`
        : html`<p class="empty">${this.t('chat.readOnly')}</p>`}
    `;
  }
}
