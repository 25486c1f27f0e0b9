// The side panels of the call, by name: what each one shows and what it is called. A feature with a
// panel (polls, breakout rooms) adds one entry here, imports its element here so that it loads with
// the call and not with the lobby, and adds a button for it to <meeting-controls>' bar.
import { html, type TemplateResult } from 'lit';
import type { MessageKey } from '../../i18n/catalogue.js';
import '../meeting-breakouts/meeting-breakouts.js';
import '../meeting-chat/meeting-chat.js';
import '../meeting-participants/meeting-participants.js';
import '../meeting-polls/meeting-polls.js';
import '../meeting-settings/meeting-settings.js';

export interface PanelSpec {
  /** The panel's accessible name. */
  label: MessageKey;
  /** Its content; the room draws the frame and the close button around it. */
  render: (t: (key: MessageKey) => string) => TemplateResult;
}

export const PANELS = {
  chat: { label: 'controls.chat', render: () => html`<meeting-chat part="chat"></meeting-chat>` },
  people: { label: 'controls.people', render: () => html`<meeting-participants part="people"></meeting-participants>` },
  polls: { label: 'controls.polls', render: () => html`<meeting-polls part="polls"></meeting-polls>` },
  breakouts: { label: 'controls.breakouts', render: () => html`<meeting-breakouts part="breakouts"></meeting-breakouts>` },
  settings: {
    label: 'room.settingsHeading',
    render: (t) => html`<h2 class="panel-heading">${t('room.settingsHeading')}</h2>
      <meeting-settings part="settings-panel" class="settings"></meeting-settings>`,
  },
} satisfies Record<string, PanelSpec>;

export type PanelName = keyof typeof PANELS;
