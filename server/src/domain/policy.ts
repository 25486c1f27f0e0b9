// A meeting's policy and roles, from the wire contract (src/contract), plus the server-side helpers
// that decide on them.
import type { Role } from '../../../src/contract/permissions.js';
import { policySchema, type Policy } from '../../../src/contract/policy.js';

export { ROLES, isModerator, featureAllowed, type Role, type Audience } from '../../../src/contract/permissions.js';
export { policySchema, policyPatchSchema, type Policy, type PolicyPatch } from '../../../src/contract/policy.js';

/** A caller's role in a meeting: the host by user id, a co-host by participant identity, anyone else an attendee. */
export function roleOf(hostId: string, coHosts: ReadonlySet<string>, caller: { identity: string | null; userId: string | null }): Role {
  if (caller.userId !== null && caller.userId === hostId) return 'host';
  return caller.identity !== null && coHosts.has(caller.identity) ? 'co-host' : 'attendee';
}

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Does `email` belong to one of `domains` (or a subdomain of one)? An empty list allows any. */
export function emailDomainAllowed(email: string | null, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  if (email === null) return false;
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const host = email.slice(at + 1).toLowerCase();
  return domains.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
