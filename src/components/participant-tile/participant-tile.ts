import { defineElement } from '../../internal/define.js';
import { ParticipantTile } from './participant-tile.component.js';

export * from './participant-tile.component.js';

defineElement('participant-tile', ParticipantTile);

declare global {
  interface HTMLElementTagNameMap {
    'participant-tile': ParticipantTile;
  }
}
