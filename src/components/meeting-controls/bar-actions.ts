// What the control bar offers, as data: one entry per action with its name, icon, state and rank
// (which leaves the bar for the "More" menu first). A feature that adds a button (a panel of its
// own, say) adds one entry to barActions().
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import type { IconName } from '../../internal/icons.js';
import type { PanelName } from '../meeting-room/panels.js';

/** Per device menu: the part name of its button, and its label. */
export const DEVICE_MENUS = {
  audioinput: { part: 'microphone', label: 'controls.microphones' },
  videoinput: { part: 'camera', label: 'controls.cameras' },
} as const;

export type DeviceMenu = keyof typeof DEVICE_MENUS;

/** One action of the bar, drawn as an icon button in the bar or as an item of the "More" menu. */
export interface Action {
  id: string;
  part: string;
  /** The accessible name; a toggle keeps it and says its state with aria-pressed. */
  label: string;
  /** The tooltip, when it says more than the name ("Turn off microphone"). */
  tip?: string;
  icon: IconName;
  /** For toggles: whether it is on. */
  pressed?: boolean;
  /** Shown in the danger colour (microphone or camera off). */
  off?: boolean;
  disabled?: boolean;
  badge?: { count: number; label: string } | undefined;
  /** Shortcut shown in the tooltip. */
  shortcut?: string;
  /** Device menu beside the button (microphone, camera). */
  devices?: DeviceMenu;
  /** Opens a popup (reactions): aria-expanded instead of aria-pressed. */
  expands?: boolean;
  run: () => void;
  /** Lower leaves the bar first; Infinity stays. */
  keep: number;
}

/** What the actions call back into the bar for. */
export interface BarHandlers {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** The panel open now, for the pressed state of its button. */
  panel: PanelName | '';
  /** Runs a core action; its failure is already in the meeting state. */
  run: (action: () => Promise<void>) => void;
  togglePanel: (panel: PanelName) => void;
  toggleLayout: () => void;
  toggleReactions: () => void;
}

/** Everything the bar can offer this participant now, in bar order. */
export function barActions(s: MeetingState, c: MeetingController, on: BarHandlers): Action[] {
  const hand = s.participants.find((p) => p.isLocal)?.handRaised ?? false;
  const mic = s.local.microphone;
  const cam = s.local.camera;
  const list: Action[] = [];
  const label = (key: MessageKey) => on.t(key);
  if (s.abilities.publish) {
    list.push({ id: 'microphone', part: 'microphone', label: label('controls.microphone'), tip: label(mic.enabled ? 'controls.mute' : 'controls.unmute'), icon: mic.enabled ? 'mic' : 'micOff', pressed: mic.enabled, off: !mic.enabled, disabled: mic.pending, shortcut: shortcut('D'), devices: 'audioinput', run: () => on.run(() => c.toggleMicrophone()), keep: Infinity });
    list.push({ id: 'camera', part: 'camera', label: label('controls.camera'), tip: label(cam.enabled ? 'controls.stopVideo' : 'controls.startVideo'), icon: cam.enabled ? 'camera' : 'cameraOff', pressed: cam.enabled, off: !cam.enabled, disabled: cam.pending, shortcut: shortcut('E'), devices: 'videoinput', run: () => on.run(() => c.toggleCamera()), keep: Infinity });
  }
  if (s.abilities.screenShare) {
    const sharing = s.local.screenShare;
    list.push({ id: 'screen-share', part: 'screen-share', label: label('controls.share'), tip: label(sharing.enabled ? 'controls.stopShare' : 'controls.share'), icon: 'share', pressed: sharing.enabled, disabled: sharing.pending, run: () => on.run(() => c.toggleScreenShare()), keep: 6 });
  }
  list.push({ id: 'react', part: 'react', label: label('controls.react'), icon: 'react', expands: true, run: on.toggleReactions, keep: 4 });
  list.push({ id: 'hand', part: 'hand', label: label('controls.raiseHand'), tip: label(hand ? 'controls.lowerHand' : 'controls.raiseHand'), icon: hand ? 'hand' : 'handOutline', pressed: hand, run: () => on.run(() => (hand ? c.lowerHand() : c.raiseHand())), keep: 7 });
  list.push({
    id: 'chat',
    part: 'chat',
    label: label('controls.chat'),
    icon: 'chat',
    pressed: s.chat.open,
    badge: s.chat.unread > 0 ? { count: s.chat.unread, label: on.t('controls.unread', { count: s.chat.unread }) } : undefined,
    run: () => on.togglePanel('chat'),
    keep: 8,
  });
  const waiting = s.abilities.moderate ? s.waiting.length : 0;
  list.push({ id: 'people', part: 'people', label: label('controls.people'), icon: 'people', pressed: on.panel === 'people', badge: waiting > 0 ? { count: waiting, label: on.t('controls.waitingCount', { count: waiting }) } : undefined, run: () => on.togglePanel('people'), keep: 5 });
  // Shown to whoever may start a poll, and to everyone once there is one to answer.
  if (s.abilities.createPolls || s.polls.length > 0) {
    const toAnswer = s.polls.filter((p) => p.status === 'open' && p.myVote === null).length;
    list.push({ id: 'polls', part: 'polls', label: label('controls.polls'), icon: 'poll', pressed: on.panel === 'polls', badge: toAnswer > 0 ? { count: toAnswer, label: on.t('controls.openPolls', { count: toAnswer }) } : undefined, run: () => on.togglePanel('polls'), keep: 3.5 });
  }
  // Shown to those who may open breakout rooms, and to everyone while some are open.
  const breakouts = s.breakouts;
  if (s.abilities.manageBreakouts || breakouts.session !== null) {
    list.push({ id: 'breakouts', part: 'breakouts', label: label('controls.breakouts'), icon: 'breakouts', pressed: on.panel === 'breakouts', run: () => on.togglePanel('breakouts'), keep: 3.2 });
  }
  // In a breakout room, the way back stays in the bar, next to the microphone, when the host allows it.
  if (breakouts.currentRoomId !== null && breakouts.mayReturn) {
    list.push({ id: 'return-to-main', part: 'return-to-main', label: label('controls.returnToMain'), icon: 'returnToMain', disabled: breakouts.moving !== null, run: () => on.run(() => c.returnToMain()), keep: 9 });
  }
  list.push({ id: 'layout', part: 'layout', label: label('controls.speakerView'), icon: s.layout === 'speaker' ? 'speaker' : 'grid', pressed: s.layout === 'speaker', run: on.toggleLayout, keep: 3 });
  list.push({ id: 'settings', part: 'settings', label: label('controls.settings'), icon: 'settings', pressed: on.panel === 'settings', run: () => on.togglePanel('settings'), keep: 2 });
  if (s.abilities.record) {
    list.push({ id: 'record', part: 'record', label: label('controls.record'), tip: label(s.recording.active ? 'controls.stopRecording' : 'controls.record'), icon: 'record', pressed: s.recording.active, disabled: s.recording.pending, run: () => on.run(() => (s.recording.active ? c.stopRecording() : c.startRecording())), keep: 1 });
  }
  return list;
}

/** How the keyboard shortcut reads on this platform. */
function shortcut(key: string): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? `⌘${key}` : `Ctrl+${key}`;
}
