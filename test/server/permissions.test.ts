// The role → permissions rule is defined once (src/contract/permissions.ts): the server's token
// grants, its route checks and the widget's abilities must agree for every role and policy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_RULES, ROLES, permissionsFor } from '../../src/contract/permissions.js';
import { policySchema, type Policy } from '../../src/contract/policy.js';
import { abilitiesFor } from '../../src/core/units/abilities.js';
import { grantFor, TRACK_SOURCES } from '../../server/src/domain/grants.js';
import type { Meeting } from '../../src/core/api/types.js';

const AUDIENCES = ['everyone', 'hosts', 'nobody'] as const;

function meetingWith(policy: Policy): Meeting {
  return { id: '00000000-0000-4000-8000-000000000000', title: 't', status: 'active', hostId: 'h', roomName: 'r', createdAt: '', startedAt: null, endedAt: null, policy, participantCount: 0 };
}

describe('one permission rule for the server and the widget', () => {
  it('the widget may do exactly what the token grants, for every role and policy', () => {
    let cases = 0;
    for (const role of ROLES) {
      for (const screenShare of AUDIENCES) {
        for (const chat of AUDIENCES) {
          for (const recording of ['hosts', 'nobody'] as const) {
            const policy = policySchema.parse({ screenShare, chat, recording });
            const grant = grantFor(role, policy, 'room');
            const abilities = abilitiesFor(role, meetingWith(policy), true);
            const label = `${role} screenShare=${screenShare} chat=${chat} recording=${recording}`;
            assert.equal(abilities.screenShare, grant.canPublishSources?.includes(TRACK_SOURCES.screen_share), label);
            assert.equal(abilities.chat, grant.canPublishData, label);
            assert.equal(abilities.record, recording === 'hosts' && role !== 'attendee', label);
            assert.deepEqual(grant.canPublishSources, permissionsFor(role, policy).canPublishSources.map((source) => TRACK_SOURCES[source]), label);
            assert.equal(grant.roomAdmin, false, label);
            assert.equal(grant.canUpdateOwnMetadata, false, label);
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 3 * 3 * 3 * 2);
  });

  it('lets the widget offer a poll exactly when the polls route would take it', () => {
    for (const role of ROLES) {
      for (const polls of AUDIENCES) {
        const abilities = abilitiesFor(role, meetingWith(policySchema.parse({ polls })), true);
        assert.equal(abilities.createPolls, polls === 'everyone' || (polls === 'hosts' && role !== 'attendee'), `${role} polls=${polls}`);
      }
    }
  });

  it('lets the widget offer breakout rooms exactly to those the breakout routes take', () => {
    for (const role of ROLES) {
      for (const breakoutRooms of [true, false]) {
        const abilities = abilitiesFor(role, meetingWith(policySchema.parse({ breakoutRooms })), true);
        assert.equal(abilities.manageBreakouts, breakoutRooms && role !== 'attendee', `${role} breakoutRooms=${String(breakoutRooms)}`);
      }
    }
  });

  it('takes the default policy when the meeting is not known yet', () => {
    const defaults = policySchema.parse({});
    assert.deepEqual(DEFAULT_POLICY_RULES, { screenShare: defaults.screenShare, chat: defaults.chat, recording: defaults.recording, polls: defaults.polls, breakoutRooms: defaults.breakoutRooms });
    assert.deepEqual(abilitiesFor('attendee', undefined, true), abilitiesFor('attendee', meetingWith(defaults), true));
  });
});
