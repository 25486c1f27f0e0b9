/**
 * The French strings `<meeting-card>` speaks (its own and the error texts), as a chunk of their
 * own: a chat page that shows cards and no call fetches these, not the whole catalogue in fr.ts.
 */
import { cardMessagesFr } from './fr/card-messages.js';
import { errorMessagesFr } from './fr/error-messages.js';

export const frCard = { ...errorMessagesFr, ...cardMessagesFr };
