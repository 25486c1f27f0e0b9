import { z } from 'zod';

export const ROLES = ['host', 'co-host', 'attendee'] as const;
export type Role = (typeof ROLES)[number];

export const isModerator = (role: Role): boolean => role === 'host' || role === 'co-host';

/** A caller's role in a meeting: the host by user id, a co-host by participant identity, anyone else an attendee. */
export function roleOf(hostId: string, coHosts: ReadonlySet<string>, caller: { identity: string | null; userId: string | null }): Role {
  if (caller.userId !== null && caller.userId === hostId) return 'host';
  return caller.identity !== null && coHosts.has(caller.identity) ? 'co-host' : 'attendee';
}

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com');

/** A meeting's security policy, with the contract's defaults. */
export const policySchema = z.strictObject({
  waitingRoom: z.boolean().default(false),
  maxParticipants: z.int().min(1).max(1000).default(100),
  allowedEmailDomains: z
    .array(domain)
    .max(100)
    .default([])
    .transform((domains) => [...new Set(domains)]),
  allowAnonymous: z.boolean().default(false),
  locked: z.boolean().default(false),
  admitInvitees: z.boolean().default(true),
  screenShare: z.enum(['everyone', 'hosts', 'nobody']).default('everyone'),
  chat: z.enum(['everyone', 'hosts', 'nobody']).default('everyone'),
  recording: z.enum(['hosts', 'nobody']).default('hosts'),
  muteOnEntry: z.boolean().default(false),
  joinBeforeHost: z.boolean().default(false),
  polls: z.enum(['everyone', 'hosts', 'nobody']).default('everyone'),
});

export type Policy = z.infer<typeof policySchema>;

/** A change to a policy: any subset of its fields, nothing else. */
export const policyPatchSchema = z.strictObject({
  waitingRoom: z.boolean().optional(),
  maxParticipants: z.int().min(1).max(1000).optional(),
  allowedEmailDomains: z
    .array(domain)
    .max(100)
    .transform((domains) => [...new Set(domains)])
    .optional(),
  allowAnonymous: z.boolean().optional(),
  locked: z.boolean().optional(),
  admitInvitees: z.boolean().optional(),
  screenShare: z.enum(['everyone', 'hosts', 'nobody']).optional(),
  chat: z.enum(['everyone', 'hosts', 'nobody']).optional(),
  recording: z.enum(['hosts', 'nobody']).optional(),
  muteOnEntry: z.boolean().optional(),
  joinBeforeHost: z.boolean().optional(),
  polls: z.enum(['everyone', 'hosts', 'nobody']).optional(),
});

export type PolicyPatch = z.infer<typeof policyPatchSchema>;

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

/** Whether `role` may use a feature that the policy opens to everyone, to hosts, or to nobody. */
export function featureAllowed(setting: 'everyone' | 'hosts' | 'nobody', role: Role): boolean {
  return setting === 'everyone' || (setting === 'hosts' && isModerator(role));
}
