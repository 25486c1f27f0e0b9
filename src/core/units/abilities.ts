// What the local role permits: derived from the role the server gave, the meeting's policy and
// what LiveKit lets this participant publish, so the UI hides what would be refused anyway. The
// server stays the authority: every action is checked again there.
import type { Meeting, Role } from '../api/types.js';
import { DEFAULT_POLICY_RULES, isModerator, mayChat, mayCreatePolls, mayManageBreakouts, mayRecord, mayShareScreen } from '../../contract/permissions.js';
import type { CoreContext } from '../controller/context.js';
import { NO_ABILITIES, type Abilities } from '../controller/state.js';

/**
 * The same rules the server grants and checks by (src/contract/permissions.ts); before the meeting
 * is known, its default policy.
 */
export function abilitiesFor(role: Role | undefined, meeting: Meeting | undefined, canPublish: boolean): Abilities {
  if (!role) return NO_ABILITIES;
  const policy = meeting?.policy ?? DEFAULT_POLICY_RULES;
  return {
    publish: canPublish,
    screenShare: canPublish && mayShareScreen(role, policy),
    chat: mayChat(role, policy),
    moderate: isModerator(role),
    endMeeting: role === 'host',
    changeRoles: role === 'host',
    record: mayRecord(role, policy),
    createPolls: mayCreatePolls(role, policy),
    manageBreakouts: mayManageBreakouts(role, policy),
  };
}

function sameAbilities(a: Abilities, b: Abilities): boolean {
  return (Object.keys(a) as Array<keyof Abilities>).every((key) => a[key] === b[key]);
}

export interface AbilitiesUnit {
  /** The abilities for the current role, meeting and permissions; the same object while nothing changed. */
  current(): Abilities;
  /** A new meeting record (from the join, the server or the event stream): policy, lock and abilities follow. */
  setMeeting(meeting: Meeting | undefined): void;
}

export function setupAbilities(ctx: CoreContext): AbilitiesUnit {
  const current = (): Abilities => {
    const state = ctx.state;
    const canPublish = ctx.link.room?.localParticipant.permissions?.canPublish ?? true;
    const next = abilitiesFor(state.role, state.meeting, canPublish);
    return sameAbilities(next, state.abilities) ? state.abilities : next;
  };
  return {
    current,
    setMeeting(meeting) {
      if (!meeting) return;
      ctx.patch({ meeting, locked: meeting.policy.locked });
      ctx.patch({ abilities: current() });
    },
  };
}
