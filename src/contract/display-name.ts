/** Longest display name kept, in characters (code points). */
export const DISPLAY_NAME_MAX = 80;

// Bidirectional embeddings, overrides and isolates (a name that reverses the text after it), the
// implicit direction marks, and the zero-width characters that make two names look alike or a
// name look empty. Ordinary letters, marks and emoji sequences (ZWJ inside emoji) are left alone,
// except the zero-width joiner, which hides nothing worth keeping in a name.
const HIDDEN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/**
 * A name as others will see it: Unicode NFC, without hidden direction or zero-width characters
 * and control characters, runs of white space as one space, trimmed. May be empty: the caller
 * decides what an empty name means.
 */
export function normaliseDisplayName(raw: string): string {
  return raw.normalize('NFC').replace(HIDDEN, '').replace(/\p{Cc}/gu, ' ').replace(/\s+/gu, ' ').trim();
}

/** normaliseDisplayName, then cut to DISPLAY_NAME_MAX characters: for names nobody can be asked to shorten (a token's). */
export function cleanDisplayName(raw: string): string {
  const visible = normaliseDisplayName(raw);
  // With the u flag a dot is one code point, the unit the database's length check counts.
  return (new RegExp(`^[\\s\\S]{0,${String(DISPLAY_NAME_MAX)}}`, 'u').exec(visible)?.[0] ?? '').trim();
}
