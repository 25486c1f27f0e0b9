import { defineElement } from '../../internal/define.js';
import { MeetingControls, type MeetingLeaveRequestDetail, type MeetingPanelToggleDetail } from './meeting-controls.component.js';

export * from './meeting-controls.component.js';

defineElement('meeting-controls', MeetingControls);

declare global {
  interface HTMLElementTagNameMap {
    'meeting-controls': MeetingControls;
  }
  interface GlobalEventHandlersEventMap {
    'meeting-leave-request': CustomEvent<MeetingLeaveRequestDetail>;
    'meeting-panel-toggle': CustomEvent<MeetingPanelToggleDetail>;
  }
}
