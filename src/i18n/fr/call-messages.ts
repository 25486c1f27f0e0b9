// The French strings of `../call-messages.ts`.
import type { CallMessageKey } from '../call-messages.js';

export const callMessagesFr: Record<CallMessageKey, string> = {
  'room.elapsed': 'Durée de la réunion {time}',
  'people.lowerAllHands': 'Baisser toutes les mains',
  'people.search': 'Rechercher un participant',
  'people.noMatch': 'Personne ici ne correspond à « {query} ».',
};
