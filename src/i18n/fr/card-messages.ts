// The French strings of `<meeting-card>` (`../card-messages.ts` has the English).
import type { CardMessageKey } from '../card-messages.js';

export const cardMessagesFr: Record<CardMessageKey, string> = {
  'card.label': 'Réunion : {title}',
  'card.loading': 'Chargement de la réunion…',
  'card.scheduled': 'Prévue',
  'card.live': 'En direct',
  'card.ended': 'Terminée',
  'card.elapsed': 'depuis {time}',
  'card.duration': 'a duré {time}',
  'card.hoursMinutes': '{hours} h {minutes} min',
  'card.minutes': '{minutes} min',
  'card.underAMinute': 'moins d’une minute',
  'card.nobody': 'Personne pour l’instant',
  'card.people': '{count} dans l’appel',
  'card.peopleOne': '1 dans l’appel',
  'card.inCall': 'Dans l’appel : {names}',
  'card.andOthers': '{names} et {count} autres',
  'card.join': 'Rejoindre',
  'card.joinLabel': 'Rejoindre {title}',
  'card.notAllowed': 'Vous ne pouvez pas voir cette réunion',
  'card.notFound': 'Cette réunion n’existe pas',
  'card.unavailable': 'Cette réunion ne peut pas être affichée',
};
