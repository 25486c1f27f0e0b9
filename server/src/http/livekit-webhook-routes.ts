// LiveKit tells us who actually connected and who left: a slot is freed when its holder leaves the
// room, even if they never call /leave (a closed tab, a crash).
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { EgressStatus, WebhookReceiver } from 'livekit-server-sdk';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import type { LiveKitCredentials } from '../livekit/access-token.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';
import type { RoomService } from '../livekit/room-service.js';
import { ROLES, isModerator, type Role } from '../domain/policy.js';
import { roomHoldingBack } from '../store/breakouts.js';
import { meetingOfRoom } from '../store/meetings.js';
import { markPresent, recordSessionJoin, recordSessionLeave, releaseConnected, releaseSlot } from '../store/participants.js';
import { syncEgressRecording } from '../store/recordings.js';
import { on, reply } from './contract-routes.js';

export interface WebhookDeps {
  db: Database;
  livekit: LiveKitCredentials;
  roomService: RoomService;
  /** Told when a room finished, so the next token creates it again. */
  rooms: Pick<RoomEnsurer, 'forget'>;
  logger: Logger;
}

/** The `role` attribute the token server put in the participant's token (clients cannot change it). */
function isModeratorRole(role: string | undefined): boolean {
  return (ROLES as readonly string[]).includes(role ?? '') && isModerator(role as Role);
}

export function liveKitWebhookRoutes(deps: WebhookDeps, router: Router = Router()): Router {
  const receiver = new WebhookReceiver(deps.livekit.apiKey, deps.livekit.apiSecret);
  // The signature covers the exact bytes, so the body is read as text, not parsed first.
  on(router, 'POST /livekit/webhook', express.text({ type: 'application/webhook+json', limit: '256kb' }), async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    let event: Awaited<ReturnType<WebhookReceiver['receive']>>;
    try {
      event = await receiver.receive(body, req.get('authorization'));
    } catch {
      throw new ApiError('INVALID_TOKEN', 'The webhook signature does not verify.');
    }
    if (event.event === 'egress_started' || event.event === 'egress_updated' || event.event === 'egress_ended') {
      await syncRecording(deps.db, event.egressInfo);
      reply(res, 'POST /livekit/webhook', 200, { ok: true });
      return;
    }
    const roomName = event.room?.name ?? '';
    const identity = event.participant?.identity ?? '';
    const room = await meetingOfRoom(deps.db, roomName);
    if (room === null) {
      if (event.event === 'participant_joined' && roomName !== '') {
        // A room of a deleted meeting: nobody belongs in it.
        await deps.roomService.removeParticipant(roomName, identity).catch(() => false);
      }
      reply(res, 'POST /livekit/webhook', 200, { ok: true, ignored: 'unknown room' });
      return;
    }
    const { meetingId } = room;
    switch (event.event) {
      case 'participant_joined': {
        // Reconciled by the session it reports (its sid and start), not by arrival order.
        const sid = event.participant?.sid ?? '';
        const startedMs = Number(event.participant?.joinedAtMs ?? 0n);
        const seat =
          sid === ''
            ? (await markPresent(deps.db, meetingId, identity))
              ? 'seated'
              : 'no-seat'
            : await recordSessionJoin(deps.db, meetingId, identity, sid, new Date(startedMs > 0 ? startedMs : Date.now()));
        if (seat === 'seated') await publishMeetingEvent(deps.db, { type: 'meeting-changed', meetingId });
        // Someone in the room without a seat (removed, the meeting ended, or a token replayed
        // after its seat was freed) is taken out of it: only this server decides who is in.
        if (seat === 'no-seat') {
          deps.logger.warn({ meetingId, identity }, 'a participant without a seat joined the room; removing them');
          await deps.roomService.removeParticipant(roomName, identity).catch((err: unknown) => {
            deps.logger.warn({ err, meetingId, identity }, 'could not remove a participant without a seat');
          });
        } else if (!room.breakout && !isModeratorRole(event.participant?.attributes.role) && (await roomHoldingBack(deps.db, meetingId, identity)) !== null) {
          // Held in a breakout room (the host lets nobody back before the close), yet in the main
          // room on a token granted before the rooms opened: the join refuses a new one, and this
          // takes the old one's session out.
          deps.logger.warn({ meetingId, identity }, 'a participant held in a breakout room joined the main room; removing them');
          await deps.roomService.removeParticipant(roomName, identity).catch((err: unknown) => {
            deps.logger.warn({ err, meetingId, identity }, 'could not remove a participant held in a breakout room');
          });
        }
        break;
      }
      case 'participant_left': {
        const sid = event.participant?.sid ?? '';
        if (sid !== '') {
          // Only the session holding the seat frees it: a replaced session's late leave changes nothing.
          if (await recordSessionLeave(deps.db, meetingId, identity, sid)) await publishMeetingEvent(deps.db, { type: 'meeting-changed', meetingId });
          break;
        }
        // A report without a session id: the same identity may already be back (a reload replaces
        // the old connection), so its slot stays when LiveKit still has it.
        const stillThere = await deps.roomService.isConnected(roomName, identity).catch(() => false);
        if (!stillThere) await freeSlot(deps.db, meetingId, identity);
        break;
      }
      case 'room_finished':
        deps.rooms.forget(roomName);
        // A breakout room's end frees nobody's seat: the people in the main room hold theirs, and
        // whoever was still in it is reported leaving, session by session.
        if (room.breakout) break;
        await deps.db.transaction(async (tx) => {
          if ((await releaseConnected(tx, meetingId)) > 0) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
        });
        break;
      default:
        break;
    }
    deps.logger.debug({ event: event.event, meetingId, identity }, 'LiveKit webhook');
    reply(res, 'POST /livekit/webhook', 200, { ok: true });
  });
  return router;
}

type EgressInfo = NonNullable<Awaited<ReturnType<WebhookReceiver['receive']>>['egressInfo']>;

/** Keeps a recording's row in step with what the egress service reports. */
async function syncRecording(db: Database, info: EgressInfo | undefined): Promise<void> {
  if (!info?.egressId) return;
  const running = [EgressStatus.EGRESS_STARTING, EgressStatus.EGRESS_ACTIVE, EgressStatus.EGRESS_ENDING];
  const finished = [EgressStatus.EGRESS_COMPLETE, EgressStatus.EGRESS_LIMIT_REACHED];
  const status = running.includes(info.status) ? 'active' : finished.includes(info.status) ? 'stopped' : 'failed';
  const location = info.fileResults[0]?.location ?? info.fileResults[0]?.filename ?? null;
  await syncEgressRecording(db, info.egressId, status, location || null);
}

async function freeSlot(db: Database, meetingId: string, identity: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (await releaseSlot(tx, meetingId, identity)) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
  });
}
