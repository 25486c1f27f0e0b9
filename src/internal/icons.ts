// The widget's glyphs: Material Design Icons (@mdi/js), one path string per icon, imported by name
// so the bundler keeps only the ones used here. No icon font and no emoji, so a machine without an
// emoji font shows the same picture as any other.
import {
  mdiAccountMultipleOutline,
  mdiArrowULeftTop,
  mdiDoorOpen,
  mdiCheck,
  mdiChevronDown,
  mdiChevronLeft,
  mdiChevronRight,
  mdiChevronUp,
  mdiClose,
  mdiCogOutline,
  mdiDotsVertical,
  mdiEmoticonExcited,
  mdiEmoticonHappyOutline,
  mdiEmoticonLol,
  mdiHandBackRight,
  mdiHandBackRightOutline,
  mdiHandClap,
  mdiHeart,
  mdiLock,
  mdiMessageTextOutline,
  mdiMicrophone,
  mdiMicrophoneOff,
  mdiMonitorShare,
  mdiPartyPopper,
  mdiPhoneHangup,
  mdiPin,
  mdiPinOffOutline,
  mdiPlus,
  mdiPoll,
  mdiRecordRec,
  mdiSend,
  mdiShuffleVariant,
  mdiSignalCellular1,
  mdiSignalCellular2,
  mdiSignalCellular3,
  mdiSignalCellularOutline,
  mdiThumbUp,
  mdiVideo,
  mdiVideoOff,
  mdiViewGridOutline,
  mdiViewQuiltOutline,
  mdiWifiOff,
} from '@mdi/js';
import { svg, type SVGTemplateResult } from 'lit';

export const icons = {
  mic: mdiMicrophone,
  micOff: mdiMicrophoneOff,
  camera: mdiVideo,
  cameraOff: mdiVideoOff,
  share: mdiMonitorShare,
  hand: mdiHandBackRight,
  handOutline: mdiHandBackRightOutline,
  chat: mdiMessageTextOutline,
  people: mdiAccountMultipleOutline,
  more: mdiDotsVertical,
  record: mdiRecordRec,
  settings: mdiCogOutline,
  grid: mdiViewGridOutline,
  speaker: mdiViewQuiltOutline,
  react: mdiEmoticonHappyOutline,
  leave: mdiPhoneHangup,
  chevronUp: mdiChevronUp,
  chevronDown: mdiChevronDown,
  previous: mdiChevronLeft,
  next: mdiChevronRight,
  close: mdiClose,
  check: mdiCheck,
  pin: mdiPin,
  unpin: mdiPinOffOutline,
  lock: mdiLock,
  send: mdiSend,
  poll: mdiPoll,
  breakouts: mdiDoorOpen,
  returnToMain: mdiArrowULeftTop,
  shuffle: mdiShuffleVariant,
  add: mdiPlus,
  qualityExcellent: mdiSignalCellular3,
  qualityGood: mdiSignalCellular2,
  qualityPoor: mdiSignalCellular1,
  qualityUnknown: mdiSignalCellularOutline,
  qualityLost: mdiWifiOff,
} as const;

export type IconName = keyof typeof icons;

/** An icon as inline SVG; decorative (the button or badge around it carries the name). */
export function icon(name: IconName): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${icons[name]}></path></svg>`;
}

/**
 * The reactions the bar offers, drawn as icons: the wire still carries the emoji (other clients and
 * the core speak emoji), the picture does not depend on an emoji font.
 */
export const REACTIONS: ReadonlyArray<{ emoji: string; path: string; colour: string; key: ReactionKey }> = [
  { emoji: '👍', path: mdiThumbUp, colour: 'thumbs', key: 'thumbsUp' },
  { emoji: '👏', path: mdiHandClap, colour: 'clap', key: 'clap' },
  { emoji: '😂', path: mdiEmoticonLol, colour: 'laugh', key: 'laugh' },
  { emoji: '❤️', path: mdiHeart, colour: 'heart', key: 'heart' },
  { emoji: '🎉', path: mdiPartyPopper, colour: 'party', key: 'party' },
  { emoji: '😮', path: mdiEmoticonExcited, colour: 'wow', key: 'wow' },
];

export type ReactionKey = 'thumbsUp' | 'clap' | 'laugh' | 'heart' | 'party' | 'wow';

/** The icon of a reaction that arrived, or undefined for an emoji we do not draw (shown as text). */
export function reactionIcon(emoji: string): SVGTemplateResult | undefined {
  const known = REACTIONS.find((r) => r.emoji === emoji || r.emoji.replace('\uFE0F', '') === emoji);
  return known ? svg`<svg class="icon reaction-${known.colour}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${known.path}></path></svg>` : undefined;
}
