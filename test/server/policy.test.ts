import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrackSource } from 'livekit-server-sdk';
import { decideAdmission, type AdmissionInput } from '../../server/src/domain/admission.js';
import { grantFor } from '../../server/src/domain/grants.js';
import { DEFAULT_POLICY, emailDomainAllowed, policyPatchSchema, policySchema, type Policy } from '../../server/src/domain/policy.js';

function input(overrides: Partial<Omit<AdmissionInput, 'policy'>> & { policy?: Partial<Policy> } = {}): AdmissionInput {
  const { policy, ...rest } = overrides;
  return {
    status: 'active',
    role: 'attendee',
    signedIn: true,
    email: 'ada@example.com',
    invited: false,
    removed: false,
    occupied: 0,
    ...rest,
    policy: { ...DEFAULT_POLICY, ...policy },
  };
}

describe('policy schema', () => {
  it('fills the contract defaults', () => {
    assert.deepEqual(policySchema.parse({}), {
      waitingRoom: false,
      maxParticipants: 100,
      allowedEmailDomains: [],
      allowAnonymous: false,
      locked: false,
      admitInvitees: true,
      screenShare: 'everyone',
      chat: 'everyone',
      recording: 'hosts',
      muteOnEntry: false,
      joinBeforeHost: false,
      polls: 'everyone',
      breakoutRooms: true,
    });
  });

  it('normalises domains and refuses bad values and unknown fields', () => {
    assert.deepEqual(policySchema.parse({ allowedEmailDomains: ['Example.COM', 'example.com', 'corp.example.org'] }).allowedEmailDomains, [
      'example.com',
      'corp.example.org',
    ]);
    for (const bad of [{ maxParticipants: 0 }, { maxParticipants: 1001 }, { maxParticipants: 2.5 }, { chat: 'sometimes' }, { allowedEmailDomains: ['@x'] }, { lockd: true }]) {
      assert.equal(policySchema.safeParse(bad).success, false, JSON.stringify(bad));
      assert.equal(policyPatchSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.deepEqual(policyPatchSchema.parse({ locked: true }), { locked: true });
  });

  it('matches e-mail domains and their subdomains only', () => {
    assert.equal(emailDomainAllowed('a@example.com', []), true);
    assert.equal(emailDomainAllowed(null, []), true);
    assert.equal(emailDomainAllowed('a@example.com', ['example.com']), true);
    assert.equal(emailDomainAllowed('a@eu.example.com', ['example.com']), true);
    assert.equal(emailDomainAllowed('a@badexample.com', ['example.com']), false);
    assert.equal(emailDomainAllowed('a@example.com.evil.io', ['example.com']), false);
    assert.equal(emailDomainAllowed(null, ['example.com']), false);
  });
});

describe('decideAdmission', () => {
  const table: Array<[string, AdmissionInput, ReturnType<typeof decideAdmission>]> = [
    ['an attendee joins an open active meeting', input(), { kind: 'admit', startsMeeting: false }],
    ['nobody joins an ended meeting, not even the host', input({ status: 'ended', role: 'host' }), { kind: 'refuse', code: 'MEETING_ENDED' }],
    ['an attendee cannot start a meeting', input({ status: 'scheduled' }), { kind: 'refuse', code: 'MEETING_NOT_ACTIVE' }],
    ['the host starts it by joining', input({ status: 'scheduled', role: 'host' }), { kind: 'admit', startsMeeting: true }],
    ['a co-host starts it by joining', input({ status: 'scheduled', role: 'co-host' }), { kind: 'admit', startsMeeting: true }],
    ['joinBeforeHost lets an attendee in first', input({ status: 'scheduled', policy: { joinBeforeHost: true } }), { kind: 'admit', startsMeeting: true }],
    ['locked keeps attendees out', input({ policy: { locked: true } }), { kind: 'refuse', code: 'MEETING_LOCKED' }],
    ['locked does not keep the host out', input({ role: 'host', policy: { locked: true } }), { kind: 'admit', startsMeeting: false }],
    ['lock is checked before the domain', input({ email: 'x@other.org', policy: { locked: true, allowedEmailDomains: ['example.com'] } }), { kind: 'refuse', code: 'MEETING_LOCKED' }],
    ['a foreign domain is refused', input({ email: 'x@other.org', policy: { allowedEmailDomains: ['example.com'] } }), { kind: 'refuse', code: 'DOMAIN_NOT_ALLOWED' }],
    ['a co-host passes the domain rule', input({ role: 'co-host', email: 'x@other.org', policy: { allowedEmailDomains: ['example.com'] } }), { kind: 'admit', startsMeeting: false }],
    ['domain is checked before anonymity', input({ signedIn: false, email: null, policy: { allowedEmailDomains: ['example.com'] } }), { kind: 'refuse', code: 'DOMAIN_NOT_ALLOWED' }],
    ['anonymous callers need allowAnonymous', input({ signedIn: false, email: null }), { kind: 'refuse', code: 'AUTH_REQUIRED' }],
    ['anonymous callers may join when allowed', input({ signedIn: false, email: null, policy: { allowAnonymous: true } }), { kind: 'admit', startsMeeting: false }],
    ['anonymity is checked before capacity', input({ signedIn: false, email: null, occupied: 5, policy: { maxParticipants: 5 } }), { kind: 'refuse', code: 'AUTH_REQUIRED' }],
    ['a removed caller is refused, before any other rule', input({ removed: true, policy: { locked: true, waitingRoom: true } }), { kind: 'refuse', code: 'ADMISSION_DENIED' }],
    ['a removed co-host is refused too', input({ removed: true, role: 'co-host' }), { kind: 'refuse', code: 'ADMISSION_DENIED' }],
    ['an ended meeting answers that first, even to a removed caller', input({ removed: true, status: 'ended' }), { kind: 'refuse', code: 'MEETING_ENDED' }],
    ['a full meeting refuses', input({ occupied: 5, policy: { maxParticipants: 5 } }), { kind: 'refuse', code: 'MAX_PARTICIPANTS_REACHED' }],
    ['a full meeting refuses the host too', input({ role: 'host', occupied: 5, policy: { maxParticipants: 5 } }), { kind: 'refuse', code: 'MAX_PARTICIPANTS_REACHED' }],
    ['one slot left admits', input({ occupied: 4, policy: { maxParticipants: 5 } }), { kind: 'admit', startsMeeting: false }],
    ['capacity is checked before the waiting room', input({ occupied: 5, policy: { maxParticipants: 5, waitingRoom: true } }), { kind: 'refuse', code: 'MAX_PARTICIPANTS_REACHED' }],
    ['the waiting room holds attendees', input({ policy: { waitingRoom: true } }), { kind: 'wait' }],
    ['the waiting room holds anonymous guests', input({ signedIn: false, email: null, policy: { waitingRoom: true, allowAnonymous: true } }), { kind: 'wait' }],
    ['hosts skip the waiting room', input({ role: 'host', policy: { waitingRoom: true } }), { kind: 'admit', startsMeeting: false }],
    ['invitees skip it when admitInvitees', input({ invited: true, policy: { waitingRoom: true } }), { kind: 'admit', startsMeeting: false }],
    ['invitees wait when admitInvitees is off', input({ invited: true, policy: { waitingRoom: true, admitInvitees: false } }), { kind: 'wait' }],
  ];
  for (const [name, given, expected] of table) {
    it(name, () => {
      assert.deepEqual(decideAdmission(given), expected);
    });
  }
});

describe('grantFor', () => {
  const room = 'mtg-1';
  const withoutScreen = [TrackSource.CAMERA, TrackSource.MICROPHONE];
  const withScreen = [...withoutScreen, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO];
  const table: Array<[string, Parameters<typeof grantFor>[0], Partial<Policy>, { admin: boolean; sources: TrackSource[]; data: boolean }]> = [
    ['host, default policy', 'host', {}, { admin: false, sources: withScreen, data: true }],
    ['co-host, default policy', 'co-host', {}, { admin: false, sources: withScreen, data: true }],
    ['attendee, default policy', 'attendee', {}, { admin: false, sources: withScreen, data: true }],
    ['attendee, screen share for hosts', 'attendee', { screenShare: 'hosts' }, { admin: false, sources: withoutScreen, data: true }],
    ['co-host, screen share for hosts', 'co-host', { screenShare: 'hosts' }, { admin: false, sources: withScreen, data: true }],
    ['host, screen share for nobody', 'host', { screenShare: 'nobody' }, { admin: false, sources: withoutScreen, data: true }],
    ['attendee, chat for hosts', 'attendee', { chat: 'hosts' }, { admin: false, sources: withScreen, data: false }],
    ['host, chat for hosts', 'host', { chat: 'hosts' }, { admin: false, sources: withScreen, data: true }],
    ['host, chat for nobody', 'host', { chat: 'nobody' }, { admin: false, sources: withScreen, data: false }],
  ];
  for (const [name, role, policy, expected] of table) {
    it(name, () => {
      const grant = grantFor(role, { ...DEFAULT_POLICY, ...policy }, room);
      assert.equal(grant.room, room);
      assert.equal(grant.roomJoin, true);
      assert.equal(grant.roomCreate, false);
      assert.equal(grant.roomList, false);
      assert.equal(grant.roomRecord, false);
      assert.equal(grant.roomAdmin, expected.admin);
      assert.deepEqual(grant.canPublishSources, expected.sources);
      assert.equal(grant.canPublishData, expected.data);
      assert.equal(grant.canSubscribe, true);
    });
  }
});
