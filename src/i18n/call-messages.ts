/**
 * Strings of the call added after the first catalogue: the meeting's running time in the top bar
 * and the hosts' "lower all hands". The catalogue spreads them in, so hosts override them with
 * `registerMessages`.
 */
export const callMessagesEn = {
  'room.elapsed': 'Meeting time {time}',
  'people.lowerAllHands': 'Lower all hands',
} as const;

export type CallMessageKey = keyof typeof callMessagesEn;
