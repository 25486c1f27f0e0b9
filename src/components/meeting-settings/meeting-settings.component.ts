import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { DeviceKind } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { meetingSettingsStyles } from './meeting-settings.styles.js';

const KINDS: Array<[DeviceKind, MessageKey]> = [
  ['videoinput', 'settings.camera'],
  ['audioinput', 'settings.microphone'],
  ['audiooutput', 'settings.speaker'],
];

/**
 * @tagname meeting-settings
 * @summary Device choice: camera, microphone and speaker. Works in the lobby and during the call;
 * the list follows devices being plugged in and out.
 *
 * @csspart select - Each device list.
 * @csspart label - Each label.
 * @csspart mirror - The "mirror my video" switch.
 */
export class MeetingSettings extends MeetingElement {
  static override styles = meetingSettingsStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  private readonly meeting = new MeetingStateController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
  }

  private choose(kind: DeviceKind, event: Event): void {
    const id = (event.target as HTMLSelectElement).value;
    void this.controller?.selectDevice(kind, id).catch(() => undefined);
  }

  protected override render() {
    const s = this.meeting.value;
    if (!s) return nothing;
    const devices = KINDS.map(([kind, label]) => {
      const devices = s.local.devices[kind];
      // Browsers do not list speakers everywhere; no list means the system default is used.
      if (devices.length === 0) return kind === 'audiooutput' ? nothing : html`<p class="none">${this.t('settings.none', { kind: this.t(label) })}</p>`;
      const selected = s.local.selected[kind] ?? devices[0]?.deviceId;
      return html`<label part="label">
        ${this.t(label)}
        <select part="select" @input=${(e: Event) => this.choose(kind, e)}>
          ${devices.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>${d.label || `${this.t(label)} ${String(i + 1)}`}</option>`)}
        </select>
      </label>`;
    });
    return html`${devices}
      <label class="switch" part="label">
        <input part="mirror" type="checkbox" .checked=${s.local.mirror} @change=${(e: Event) => this.controller?.setMirror((e.target as HTMLInputElement).checked)} />
        ${this.t('settings.mirror')}
      </label>`;
  }
}
