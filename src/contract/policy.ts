// A meeting's security policy, with the contract's defaults.
import { z } from 'zod';
import { AUDIENCES } from './permissions.js';

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com');
const domains = z
  .array(domain)
  .max(100)
  .transform((list) => [...new Set(list)]);
const audience = z.enum(AUDIENCES);
const recording = z.enum(['hosts', 'nobody']);
const maxParticipants = z.int().min(1).max(1000);

export const policySchema = z.strictObject({
  waitingRoom: z.boolean().default(false),
  maxParticipants: maxParticipants.default(100),
  allowedEmailDomains: domains.default([]),
  allowAnonymous: z.boolean().default(false),
  locked: z.boolean().default(false),
  admitInvitees: z.boolean().default(true),
  screenShare: audience.default('everyone'),
  chat: audience.default('everyone'),
  recording: recording.default('hosts'),
  muteOnEntry: z.boolean().default(false),
  joinBeforeHost: z.boolean().default(false),
  /** Who may start polls; everyone present may vote. */
  polls: audience.default('everyone'),
  /** Whether hosts and co-hosts may open breakout rooms. */
  breakoutRooms: z.boolean().default(true),
});

export type Policy = z.output<typeof policySchema>;

/** A change to a policy: any subset of its fields, nothing else. */
export const policyPatchSchema = z.strictObject({
  waitingRoom: z.boolean().optional(),
  maxParticipants: maxParticipants.optional(),
  allowedEmailDomains: domains.optional(),
  allowAnonymous: z.boolean().optional(),
  locked: z.boolean().optional(),
  admitInvitees: z.boolean().optional(),
  screenShare: audience.optional(),
  chat: audience.optional(),
  recording: recording.optional(),
  muteOnEntry: z.boolean().optional(),
  joinBeforeHost: z.boolean().optional(),
  polls: audience.optional(),
  breakoutRooms: z.boolean().optional(),
});

export type PolicyPatch = z.output<typeof policyPatchSchema>;
