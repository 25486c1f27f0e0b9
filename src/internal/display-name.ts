import type { MessageKey } from '../i18n/catalogue.js';

/** Longest display name the widget accepts; the server holds the same limit. */
export const MAX_DISPLAY_NAME_LENGTH = 80;

/** Why a (trimmed) display name cannot be used, or null when it can. */
export function displayNameProblem(name: string): MessageKey | null {
  if (name === '') return 'lobby.nameRequired';
  if (name.length > MAX_DISPLAY_NAME_LENGTH) return 'lobby.nameTooLong';
  return null;
}
