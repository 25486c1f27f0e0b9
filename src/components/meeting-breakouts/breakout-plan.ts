// The host's plan before opening breakout rooms: how many rooms, who goes where, a timer. Plain
// data and functions, so the panel only draws it.
import type { BreakoutInput } from '../../core/api/types.js';
import { BREAKOUT_DURATION_MAX_S, BREAKOUT_DURATION_MIN_S, BREAKOUT_ROOMS_MAX } from '../../core/units/breakouts.js';

export interface BreakoutPlan {
  rooms: number;
  /** Room index (0-based) per identity; absent: stays in the main room. */
  assignment: ReadonlyMap<string, number>;
  timer: boolean;
  minutes: number;
  /** Whether attendees may go back to the main room before the close (Meet and Zoom: yes). */
  allowReturn: boolean;
}

export const MIN_MINUTES = BREAKOUT_DURATION_MIN_S / 60;
export const MAX_MINUTES = BREAKOUT_DURATION_MAX_S / 60;
export const MAX_ROOMS = BREAKOUT_ROOMS_MAX;

export function emptyPlan(): BreakoutPlan {
  return { rooms: 2, assignment: new Map(), timer: false, minutes: 10, allowReturn: true };
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(value)));

/** A new room count: people in a room that no longer exists stay in the main room. */
export function withRooms(plan: BreakoutPlan, rooms: number): BreakoutPlan {
  const count = clamp(Number.isFinite(rooms) ? rooms : 1, 1, MAX_ROOMS);
  return { ...plan, rooms: count, assignment: new Map([...plan.assignment].filter(([, room]) => room < count)) };
}

export function assign(plan: BreakoutPlan, identity: string, room: number | null): BreakoutPlan {
  const assignment = new Map(plan.assignment);
  if (room === null) assignment.delete(identity);
  else assignment.set(identity, room);
  return { ...plan, assignment };
}

/** Everyone dealt into the rooms at random, as even as they go. */
export function randomly(plan: BreakoutPlan, identities: readonly string[], random: () => number = Math.random): BreakoutPlan {
  const shuffled = [...identities];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  return { ...plan, assignment: new Map(shuffled.map((identity, index) => [identity, index % plan.rooms])) };
}

/** What the server is asked for; `name(n)` names room n (1-based) in the user's language. */
export function planInput(plan: BreakoutPlan, name: (n: number) => string): BreakoutInput {
  const rooms = Array.from({ length: plan.rooms }, (_, index) => ({ name: name(index + 1), identities: [] as string[] }));
  for (const [identity, room] of plan.assignment) rooms[room]?.identities.push(identity);
  return { rooms, allowReturn: plan.allowReturn, ...(plan.timer ? { durationS: clamp(plan.minutes, MIN_MINUTES, MAX_MINUTES) * 60 } : {}) };
}
