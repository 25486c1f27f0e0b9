import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { MAX_DISPLAY_NAME_LENGTH, displayNameProblem } from '../../internal/display-name.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { icon } from '../../internal/icons.js';
import { media } from '../../internal/media.js';
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
 * @summary The device test before joining, laid out like the meeting apps: on a wide box the camera
 * preview on the left (microphone and camera buttons over it, a microphone level meter) and the
 * name, device choice and the Join button on the right; stacked on a phone. Guidance when the
 * browser refuses the devices or has none.
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
 * @csspart device-toggles - The microphone and camera buttons over the preview.
 * @csspart microphone - The microphone button (pressed while on).
 * @csspart camera - The camera button (pressed while on).
 * @csspart form - The column with the name, devices and Join.
 * @csspart settings - The `<meeting-settings>` device lists.
 *
 * @cssprop [--meeting-tile-background=#3c4043] - Background of the preview while the camera is off.
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

  /** The name as the user has typed it so far. */
  get name(): string {
    return this.nameDraft;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
    if (changed.has('displayName')) this.nameDraft = this.displayName.slice(0, MAX_DISPLAY_NAME_LENGTH);
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

  private toggle(kind: 'microphone' | 'camera'): void {
    const c = this.controller;
    const on = this.meeting.value?.local[kind].enabled ?? false;
    void (kind === 'microphone' ? c?.setMicrophone(!on) : c?.setCamera(!on))?.catch(() => undefined);
  }

  /** What to tell the user about their devices, if anything. */
  private deviceGuidance(s: MeetingState): MessageKey | null {
    const { permissions } = s.local;
    if (permissions.camera === 'denied' || permissions.microphone === 'denied') return 'lobby.permissionDenied';
    if (s.lastError?.code === 'DEVICE_UNAVAILABLE') return 'lobby.noDevice';
    return null;
  }

  /** The user's own camera, mirrored as people expect of a self-view, with the switches over it. */
  private renderPreview(s: MeetingState) {
    const { camera, microphone } = s.local;
    const name = this.nameDraft.trim();
    return html`<div class="preview-frame" part="preview">
      <video
        class="preview ${s.local.mirror ? 'mirrored' : ''}"
        ?hidden=${!camera.enabled}
        autoplay
        playsinline
        muted
        aria-label=${this.t('lobby.previewLabel')}
        ${media({ controller: this.controller, identity: '', source: 'camera', track: camera.enabled ? 'preview' : undefined })}
      ></video>
      ${camera.enabled ? nothing : html`<span class="preview-off"><span class="avatar" aria-hidden="true">${name === '' ? icon('cameraOff') : initial(name)}</span><span class="off-text">${this.t('lobby.previewOff')}</span></span>`}
      <div class="devices" part="device-toggles">
        <button type="button" part="microphone" class=${microphone.enabled ? '' : 'off'} aria-pressed=${String(microphone.enabled)} aria-label=${this.t('lobby.microphone')} title=${this.t(microphone.enabled ? 'controls.mute' : 'controls.unmute')} ?disabled=${microphone.pending} @click=${() => this.toggle('microphone')}>
          ${icon(microphone.enabled ? 'mic' : 'micOff')}
        </button>
        <button type="button" part="camera" class=${camera.enabled ? '' : 'off'} aria-pressed=${String(camera.enabled)} aria-label=${this.t('lobby.camera')} title=${this.t(camera.enabled ? 'controls.stopVideo' : 'controls.startVideo')} ?disabled=${camera.pending} @click=${() => this.toggle('camera')}>
          ${icon(camera.enabled ? 'camera' : 'cameraOff')}
        </button>
      </div>
      <meter class="mic-level ${microphone.enabled ? '' : 'silent'}" part="mic-level" min="0" max="1" .value=${microphone.enabled ? s.local.micLevel : 0} aria-label=${this.t('lobby.microphone')}></meter>
    </div>`;
  }

  private renderDevices(s: MeetingState) {
    const guidance = this.deviceGuidance(s);
    return guidance !== null
      ? html`<p class="hint" part="message" role="status">${this.t(guidance)}</p>`
      : html`<meeting-settings part="settings" .controller=${this.controller}></meeting-settings>`;
  }

  protected override render() {
    const s = this.meeting.value;
    const meetingId = this.meetingId.trim() || (s?.meetingId ?? '');
    const error = this.nameError;
    const connecting = s?.phase === 'connecting';
    return html`
      <form class="lobby ${s ? '' : 'no-preview'}" part="lobby" novalidate @submit=${this.onSubmit} aria-labelledby="heading">
        ${s ? this.renderPreview(s) : nothing}
        <div class="side" part="form">
          <h2 id="heading" part="heading">${this.t('lobby.heading')}</h2>
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
          ${s?.lastError && s.phase === 'error' ? html`<p class="message" part="message" role="alert">${this.errorText(s.lastError)}</p>` : nothing}
          <button class="join" part="join-button" type="submit" ?disabled=${meetingId === '' || connecting}>${connecting ? this.t('room.connecting') : this.t('lobby.join')}</button>
          <slot name="extra"></slot>
        </div>
      </form>
    `;
  }
}

/** The first letter of a name, for the picture shown while the camera is off. */
function initial(name: string): string {
  const first = new Intl.Segmenter().segment(name)[Symbol.iterator]().next().value?.segment ?? '';
  return first.toUpperCase();
}
