/**
 * Strings of the call added after the first catalogue: the meeting's running time in the top bar,
 * the hosts' "lower all hands", and the people panel's search (a large meeting). The catalogue
 * spreads them in, so hosts override them with `registerMessages`.
 */
export const callMessagesEn = {
  'room.elapsed': 'Meeting time {time}',
  'people.lowerAllHands': 'Lower all hands',
  'people.search': 'Search people',
  'people.noMatch': 'No one here matches “{query}”.',
} as const;

export type CallMessageKey = keyof typeof callMessagesEn;
