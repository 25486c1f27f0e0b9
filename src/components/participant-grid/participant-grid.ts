import { defineElement } from '../../internal/define.js';
import { ParticipantGrid } from './participant-grid.component.js';

export * from './participant-grid.component.js';

defineElement('participant-grid', ParticipantGrid);

declare global {
  interface HTMLElementTagNameMap {
    'participant-grid': ParticipantGrid;
  }
}
