import type { Response } from 'express';
import type { Sql } from '../db/database.js';
import { meetingParams } from '../../../src/contract/requests.js';
import { accessOf, type MeetingAccess } from '../services/access.js';
import { parseInput } from './validate.js';

export { assertHost, assertMayView, assertModerator, assertNotEnded, requireMeeting, type MeetingAccess } from '../services/access.js';
export { meetingParams };

/** Loads the meeting named in the path and what the caller is in it. */
export async function loadAccess(sql: Sql, params: unknown, res: Response, options: { forUpdate?: boolean } = {}): Promise<MeetingAccess> {
  const { id } = parseInput(meetingParams, params, 'params');
  return accessOf(sql, id, res.locals.caller, options);
}
