// A person without video is shown by their initials on a coloured disc, the same colour for the same
// identity everywhere (the tile, the people panel), as meeting apps do.
import { css } from 'lit';

/** Eight hues picked for white text at 4.5:1. */
export const AVATAR_HUES = 8;

/** The hue (0..AVATAR_HUES-1) of `identity`: stable, so a person keeps their colour. */
export function hueOf(identity: string): number {
  let hash = 0;
  for (let i = 0; i < identity.length; i++) hash = (hash * 31 + identity.charCodeAt(i)) | 0;
  return Math.abs(hash) % AVATAR_HUES;
}

/** Up to two initials: the first and last words' first letters, whole graphemes (accents, emoji). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  const segmenter = new Intl.Segmenter();
  const first = (word: string | undefined) => (word ? (segmenter.segment(word)[Symbol.iterator]().next().value?.segment ?? '') : '');
  return letters.map((w) => first(w).toUpperCase()).join('') || '?';
}

/** The discs' colours, as `.hue-N` classes (dark enough for white initials at 4.5:1). */
export const avatarHues = css`
  .hue-0 { background: #1a73e8; }
  .hue-1 { background: #b3261e; }
  .hue-2 { background: #137333; }
  .hue-3 { background: #8430ce; }
  .hue-4 { background: #c5221f; }
  .hue-5 { background: #00727a; }
  .hue-6 { background: #a8337c; }
  .hue-7 { background: #a14a00; }
`;
