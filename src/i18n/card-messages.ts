/**
 * The strings of `<meeting-card>`: a meeting as a chat message or a calendar entry shows it. The
 * catalogue spreads these maps in, so hosts override them with `registerMessages`.
 */
export const cardMessagesEn = {
  'card.label': 'Meeting: {title}',
  'card.loading': 'Loading the meeting…',
  'card.scheduled': 'Scheduled',
  'card.live': 'Live',
  'card.ended': 'Ended',
  'card.elapsed': 'for {time}',
  'card.duration': 'lasted {time}',
  'card.hoursMinutes': '{hours} h {minutes} min',
  'card.minutes': '{minutes} min',
  'card.underAMinute': 'less than a minute',
  'card.nobody': 'Nobody is in yet',
  'card.people': '{count} in the call',
  'card.peopleOne': '1 in the call',
  'card.inCall': 'In the call: {names}',
  'card.andOthers': '{names} and {count} more',
  'card.join': 'Join',
  'card.joinLabel': 'Join {title}',
  'card.notAllowed': 'You cannot see this meeting',
  'card.notFound': 'This meeting does not exist',
  'card.unavailable': 'This meeting cannot be shown',
} as const;

export type CardMessageKey = keyof typeof cardMessagesEn;
