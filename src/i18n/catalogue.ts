/**
 * Every user-visible string of the widget, by key. Catalogues for other languages must provide the
 * same keys (the type checker holds them to it); a host can override any subset at run time.
 */
export const en = {
  'lobby.heading': 'Ready to join?',
  'lobby.meeting': 'Meeting {id}',
  'lobby.nameLabel': 'Your name',
  'lobby.namePlaceholder': 'Enter your name',
  'lobby.nameRequired': 'Please enter your name to join.',
  'lobby.nameTooLong': 'Names can be at most {max} characters.',
  'lobby.join': 'Join meeting',
  'lobby.missingMeeting': 'This page did not say which meeting to join.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const fr: Catalogue = {
  'lobby.heading': 'Prêt à rejoindre ?',
  'lobby.meeting': 'Réunion {id}',
  'lobby.nameLabel': 'Votre nom',
  'lobby.namePlaceholder': 'Saisissez votre nom',
  'lobby.nameRequired': 'Saisissez votre nom pour rejoindre.',
  'lobby.nameTooLong': 'Un nom compte au plus {max} caractères.',
  'lobby.join': 'Rejoindre la réunion',
  'lobby.missingMeeting': 'Cette page n’indique pas quelle réunion rejoindre.',
};
