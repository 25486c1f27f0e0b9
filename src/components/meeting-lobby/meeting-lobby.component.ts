import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { MAX_DISPLAY_NAME_LENGTH, displayNameProblem } from '../../internal/display-name.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import '../meeting-settings/meeting-settings.js';
import { meetingLobbyStyles } from './meeting-lobby.styles.js';

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
 * @tagname meeting-lobby
 * @summary The device test before joining: camera preview, microphone level, device choice, name
 * and join button, with guidance when the browser refuses the devices or has none.
 *
 * @fires {CustomEvent<MeetingJoinRequestDetail>} meeting-join-request - The user asked to join.
 * Cancelable: a host page that calls `preventDefault()` keeps the user in the lobby; otherwise the
 * lobby joins through its controller.
 *
 * @slot extra - Content under the form (terms, help links).
 *
 * @csspart lobby - The lobby card.
 * @csspart heading - The heading.
 * @csspart meeting-id - The line naming the meeting.
 * @csspart name-label - The label around the name field.
 * @csspart name-input - The display-name text field.
 * @csspart join-button - The button that asks to join.
 * @csspart message - Validation messages and guidance.
 * @csspart preview - The camera preview.
 * @csspart mic-level - The microphone level meter.
 * @csspart device-toggles - The microphone and camera switches.
 * @csspart settings - The `<meeting-settings>` device lists.
 *
 * @cssprop [--meeting-tile-background=#3a3f4b] - Background of the preview while the camera is off.
 */
export class MeetingLobby extends MeetingElement {
  static override styles = meetingLobbyStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /** Id of the meeting, shown to the user and sent with the join request. */
  @property({ attribute: 'meeting-id', reflect: true }) meetingId = '';

  /** Name to prefill. */
  @property({ attribute: 'display-name' }) displayName = '';

  @state() private nameDraft = '';
  @state() private nameError: MessageKey | null = null;

  private readonly meeting = new MeetingStateController(this);
  private previewDetach: (() => void) | undefined;

  /** The name as the user has typed it so far. */
  get name(): string {
    return this.nameDraft;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) {
      this.releasePreview();
      this.meeting.follow(this.controller);
    }
    if (changed.has('displayName')) this.nameDraft = this.displayName.slice(0, MAX_DISPLAY_NAME_LENGTH);
  }

  protected override updated(): void {
    this.syncPreview();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.releasePreview();
  }

  private releasePreview(): void {
    this.previewDetach?.();
    this.previewDetach = undefined;
  }

  /** The user's own camera, mirrored as people expect of a self-view. */
  private syncPreview(): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>('video.preview');
    const on = this.meeting.value?.local.camera.enabled === true;
    if (video && on && !this.previewDetach && this.controller) {
      this.previewDetach = this.controller.attach('', 'camera', video);
    } else if ((!video || !on) && this.previewDetach) {
      this.releasePreview();
    }
  }

  private readonly onNameInput = (event: Event): void => {
    this.nameDraft = (event.target as HTMLInputElement).value;
    this.nameError = null;
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const displayName = this.nameDraft.trim();
    this.nameError = displayNameProblem(displayName);
    if (this.nameError !== null) return;
    const meetingId = this.meetingId.trim() || (this.meeting.value?.meetingId ?? '');
    if (!this.emit('meeting-join-request', { meetingId, displayName }, { cancelable: true })) return;
    void this.controller?.join({ displayName }).catch(() => undefined);
  };

  private setMedia(kind: 'microphone' | 'camera', event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const c = this.controller;
    void (kind === 'microphone' ? c?.setMicrophone(on) : c?.setCamera(on))?.catch(() => undefined);
  }

  /** What to tell the user about their devices, if anything. */
  private deviceGuidance(s: MeetingState): MessageKey | null {
    const { permissions } = s.local;
    if (permissions.camera === 'denied' || permissions.microphone === 'denied') return 'lobby.permissionDenied';
    if (s.lastError?.code === 'DEVICE_UNAVAILABLE') return 'lobby.noDevice';
    return null;
  }

  private renderPreview(s: MeetingState) {
    const on = s.local.camera.enabled;
    return html`<div class="preview-frame" part="preview">
      <video class="preview ${s.local.mirror ? 'mirrored' : ''}" ?hidden=${!on} autoplay playsinline muted aria-label=${this.t('lobby.camera')}></video>
      ${on ? nothing : html`<span class="preview-off">${this.t('lobby.previewOff')}</span>`}
      <meter class="mic-level" part="mic-level" min="0" max="1" .value=${s.local.micLevel} aria-label=${this.t('lobby.microphone')}></meter>
    </div>`;
  }

  private renderDevices(s: MeetingState) {
    const guidance = this.deviceGuidance(s);
    return html`
      <div class="devices" part="device-toggles">
        <label class="toggle"><input type="checkbox" .checked=${s.local.microphone.enabled} ?disabled=${s.local.microphone.pending} @change=${(e: Event) => this.setMedia('microphone', e)} />${this.t('lobby.microphone')}</label>
        <label class="toggle"><input type="checkbox" .checked=${s.local.camera.enabled} ?disabled=${s.local.camera.pending} @change=${(e: Event) => this.setMedia('camera', e)} />${this.t('lobby.camera')}</label>
      </div>
      ${guidance !== null
        ? html`<p class="hint" part="message" role="status">${this.t(guidance)}</p>`
        : html`<meeting-settings part="settings" theme=${this.getAttribute('theme') ?? 'auto'} .controller=${this.controller}></meeting-settings>`}
    `;
  }

  protected override render() {
    const s = this.meeting.value;
    const meetingId = this.meetingId.trim() || (s?.meetingId ?? '');
    const error = this.nameError;
    const connecting = s?.phase === 'connecting';
    return html`
      <form class="lobby" part="lobby" novalidate @submit=${this.onSubmit} aria-labelledby="heading">
        <h2 id="heading" part="heading">${this.t('lobby.heading')}</h2>
        ${s ? this.renderPreview(s) : nothing}
        ${meetingId === ''
          ? html`<p class="message" part="message" role="alert">${this.t('lobby.missingMeeting')}</p>`
          : html`<p class="meeting-id" part="meeting-id">${s?.meeting?.title ?? this.t('lobby.meeting', { id: meetingId })}</p>`}
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
        ${error === null ? nothing : html`<p id="name-error" class="message" part="message" role="alert">${this.t(error, { max: MAX_DISPLAY_NAME_LENGTH })}</p>`}
        ${s ? this.renderDevices(s) : nothing}
        ${s?.lastError && s.phase === 'error' ? html`<p class="message" part="message" role="alert">${this.t('room.error', { message: s.lastError.message })}</p>` : nothing}
        <button part="join-button" type="submit" ?disabled=${meetingId === '' || connecting}>${connecting ? this.t('room.connecting') : this.t('lobby.join')}</button>
        <slot name="extra"></slot>
      </form>
    `;
  }
}
