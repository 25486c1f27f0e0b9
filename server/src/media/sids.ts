import { randomBytes } from 'node:crypto';

/** LiveKit-style ids: a type prefix (`RM_`, `PA_`, `TR_`, `EG_`) and 12 random base62-ish characters. */
export function newSid(prefix: 'RM_' | 'PA_' | 'TR_' | 'EG_'): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += alphabet.charAt(byte % alphabet.length);
  return prefix + id;
}
