import { createHash } from 'node:crypto';
import type { Caller } from './identity.js';

/**
 * The LiveKit identity of a caller: the same for a user on every device and every join, so a
 * rejoin replaces the old session instead of adding a ghost; guests are told apart by prefix.
 */
export function participantIdentity(caller: Caller): string {
  const [prefix, id] = caller.kind === 'user' ? ['u_', caller.userId] : ['g_', caller.guestId];
  return id.length <= 120 ? `${prefix}${id}` : `${prefix}${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

export function identityOfUser(userId: string): string {
  return participantIdentity({ kind: 'user', userId, email: null, name: null });
}
