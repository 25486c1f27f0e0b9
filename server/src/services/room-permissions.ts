// Keeps what connected people may do in the room in step with the meeting's policy and roles.
import type { Logger } from 'pino';
import type { Sql } from '../db/database.js';
import { permissionsFor } from '../domain/permissions.js';
import type { Policy } from '../domain/policy.js';
import type { RoomService } from '../livekit/room-service.js';
import { listPresent } from '../store/participants.js';

/** How many participants are updated at once: a big meeting must not open a thousand calls together. */
const PARALLEL_UPDATES = 16;

/**
 * Pushes the permissions each present participant's role gets under `policy` to the room, so a
 * policy change (screen share or chat turned off) holds for people already connected, not only
 * for the next token. Best effort per participant: one that cannot be reached now is logged and
 * gets the new rule with their next token, which is short-lived.
 */
export async function pushPermissions(sql: Sql, roomService: RoomService, logger: Logger, meeting: { id: string; roomName: string; policy: Policy }): Promise<void> {
  const present = await listPresent(sql, meeting.id);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < present.length; index = next++) {
      const participant = present[index];
      if (participant === undefined) continue;
      try {
        await roomService.updateParticipant(meeting.roomName, participant.identity, {
          attributes: { role: participant.role },
          permissions: permissionsFor(participant.role, meeting.policy),
        });
      } catch (err) {
        logger.warn({ err, meetingId: meeting.id, identity: participant.identity }, 'new permissions could not reach a participant now');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_UPDATES, present.length) }, worker));
}
