// What the local role permits: derived from the role the server gave, the meeting's policy and
// what LiveKit lets this participant publish, so the UI hides what would be refused anyway. The
// server stays the authority: every action is checked again there.
import type { Audience, Meeting, Role } from '../api/types.js';
import type { CoreContext } from '../controller/context.js';
import { NO_ABILITIES, type Abilities } from '../controller/state.js';

export function abilitiesFor(role: Role | undefined, meeting: Meeting | undefined, canPublish: boolean): Abilities {
  if (!role) return NO_ABILITIES;
  const moderator = role === 'host' || role === 'co-host';
  const allowed = (audience: Audience | undefined) => audience === 'everyone' || (audience === 'hosts' && moderator);
  return {
    publish: canPublish,
    screenShare: canPublish && allowed(meeting?.policy.screenShare ?? 'everyone'),
    chat: allowed(meeting?.policy.chat ?? 'everyone'),
    moderate: moderator,
    endMeeting: role === 'host',
    changeRoles: role === 'host',
    record: moderator && (meeting?.policy.recording ?? 'hosts') === 'hosts',
    createPolls: allowed(meeting?.policy.polls ?? 'everyone'),
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
