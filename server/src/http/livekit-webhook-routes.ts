// LiveKit tells us who actually connected and who left: a slot is freed when its holder leaves the
// room, even if they never call /leave (a closed tab, a crash).
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { EgressStatus, WebhookReceiver } from 'livekit-server-sdk';
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import { publishMeetingEvent } from '../events/meeting-events.js';
import type { LiveKitCredentials } from '../livekit/access-token.js';
import type { RoomService } from '../livekit/room-service.js';
import { releaseSlot } from '../store/participants.js';

export interface WebhookDeps {
  db: Database;
  livekit: LiveKitCredentials;
  roomService: RoomService;
  logger: Logger;
}

export function liveKitWebhookRoutes(deps: WebhookDeps, router: Router = Router()): Router {
  const receiver = new WebhookReceiver(deps.livekit.apiKey, deps.livekit.apiSecret);
  // The signature covers the exact bytes, so the body is read as text, not parsed first.
  router.post('/livekit/webhook', express.text({ type: 'application/webhook+json', limit: '256kb' }), async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    let event: Awaited<ReturnType<WebhookReceiver['receive']>>;
    try {
      event = await receiver.receive(body, req.get('authorization'));
    } catch {
      throw new ApiError('INVALID_TOKEN', 'The webhook signature does not verify.');
    }
    if (event.event === 'egress_started' || event.event === 'egress_updated' || event.event === 'egress_ended') {
      await syncRecording(deps.db, event.egressInfo);
      res.json({ ok: true });
      return;
    }
    const roomName = event.room?.name ?? '';
    const identity = event.participant?.identity ?? '';
    const { rows } = await deps.db.query<{ id: string }>('SELECT id FROM meetings WHERE room_name = $1', [roomName]);
    const meetingId = rows[0]?.id;
    if (meetingId === undefined) {
      res.json({ ok: true, ignored: 'unknown room' });
      return;
    }
    switch (event.event) {
      case 'participant_joined':
        await deps.db.query(
          `UPDATE meeting_participants SET state = 'present' WHERE meeting_id = $1 AND identity = $2 AND left_at IS NULL AND state = 'granted'`,
          [meetingId, identity],
        );
        break;
      case 'participant_left': {
        // The same identity may already be back (a reload replaces the old connection): keep its slot then.
        const stillThere = await deps.roomService.isConnected(roomName, identity).catch(() => false);
        if (!stillThere) await freeSlot(deps.db, meetingId, identity);
        break;
      }
      case 'room_finished':
        await deps.db.transaction(async (tx) => {
          const freed = await tx.query(`UPDATE meeting_participants SET state = 'left', left_at = now() WHERE meeting_id = $1 AND state = 'present' AND left_at IS NULL`, [meetingId]);
          if (freed.rowCount > 0) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
        });
        break;
      default:
        break;
    }
    deps.logger.debug({ event: event.event, meetingId, identity }, 'LiveKit webhook');
    res.json({ ok: true });
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
  await db.query(
    `UPDATE meeting_recordings
     SET status = $2, location = coalesce($3, location), ended_at = CASE WHEN $2 IN ('stopped', 'failed') THEN coalesce(ended_at, now()) ELSE ended_at END
     WHERE egress_id = $1 AND status <> 'failed' AND NOT (status = 'stopped' AND $2 = 'active')`,
    [info.egressId, status, location || null],
  );
}

async function freeSlot(db: Database, meetingId: string, identity: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (await releaseSlot(tx, meetingId, identity)) await publishMeetingEvent(tx, { type: 'meeting-changed', meetingId });
  });
}
