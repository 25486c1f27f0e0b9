// The room's screens around the call: the lobby, and the status screens (waiting, joining, left,
// ended, turned away). Each keeps the hidden container the remote audio plays from.
import { html, nothing } from 'lit';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import '../meeting-lobby/meeting-lobby.js';

export function lobbyScreen(meetingId: string, displayName: string, controller: MeetingController | undefined) {
  return html`
    <div class="base lobby-screen" part="base">
      <div class="audio" hidden></div>
      <meeting-lobby
        exportparts="lobby, heading, meeting-id, name-label, name-input, join-button, message, preview, mic-level, device-toggles, settings"
        meeting-id=${meetingId}
        display-name=${displayName}
        .controller=${controller}
      >
        <slot name="lobby-extra" slot="extra"></slot>
      </meeting-lobby>
    </div>
  `;
}

/** A card in the middle of the room: a spinner while waiting, the text, and an action if any. */
export function statusScreen(text: string, action?: { label: string; run: () => void }, tone: 'wait' | 'end' = 'end') {
  return html`
    <div class="base" part="base">
      <div class="audio" hidden></div>
      <div class="status ${tone}" part="status" role="status">
        ${tone === 'wait' ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
        <p>${text}</p>
        ${action ? html`<button class=${tone === 'wait' ? 'secondary' : ''} @click=${action.run}>${action.label}</button>` : nothing}
      </div>
    </div>
  `;
}
