// Recordings per policy.recording: hosts (and co-hosts) start and stop them, participants see them.
import { realpath } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { mayRecord } from '../domain/permissions.js';
import { isModerator } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import type { RecordingService } from '../livekit/recording-service.js';
import { isPresentParticipant } from '../store/meetings.js';
import { currentRecording, insertRecording, listRecordings, markRecording, recordingFile, type RecordingView } from '../store/recordings.js';
import { input, on, reply } from './contract-routes.js';
import { assertNotEnded, loadAccess, type MeetingAccess } from './meeting-access.js';

export interface RecordingDeps {
  db: Database;
  recordings: RecordingService;
  logger: Logger;
  /** RECORDINGS_DIR: files are served from inside it only. */
  recordingsDir?: string | undefined;
}

function assertMayRecord(access: MeetingAccess): void {
  if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to do this.');
  if (access.meeting.policy.recording === 'nobody') throw new ApiError('FEATURE_DISABLED', 'Recording is turned off for this meeting.');
  if (!mayRecord(access.role, access.meeting.policy)) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only the host or a co-host can record this meeting.');
}

export function recordingRoutes(deps: RecordingDeps, router: Router = Router()): Router {
  const { db, recordings, logger } = deps;

  on(router, 'POST /meetings/:id/recordings/start', async (req, res) => {
    // Claimed under the meeting's row lock, so two hosts pressing at once start one recording.
    const claim = await db.transaction(async (tx) => {
      const access = await loadAccess(tx, req.params, res, { forUpdate: true });
      assertMayRecord(access);
      assertNotEnded(access.meeting);
      if (access.meeting.status !== 'active') throw new ApiError('MEETING_NOT_ACTIVE', 'Recording starts once the meeting has started.');
      const running = await currentRecording(tx, access.meeting.id);
      if (running) return { kind: 'running' as const, running };
      const location = `recordings/${access.meeting.roomName}-${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
      const id = await insertRecording(tx, { meetingId: access.meeting.id, startedBy: access.identity ?? 'host', location });
      return { kind: 'new' as const, id, roomName: access.meeting.roomName, location };
    });
    if (claim.kind === 'running') {
      // Starting twice is harmless: the second call reports the recording already running.
      reply(res, 'POST /meetings/:id/recordings/start', 200, withoutEgressId(claim.running));
      return;
    }
    let egressId: string;
    try {
      egressId = await recordings.start(claim.roomName, claim.location);
    } catch (err) {
      // Kept as a failed recording, so the attempt is visible in the list.
      await markRecording(db, claim.id, { status: 'failed' });
      logger.warn({ err }, 'recording could not start');
      throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'Recording could not start: the media server has no recording service available.');
    }
    reply(res, 'POST /meetings/:id/recordings/start', 200, await markRecording(db, claim.id, { status: 'active', egressId }));
  });

  on(router, 'POST /meetings/:id/recordings/stop', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    assertMayRecord(access);
    const running = await currentRecording(db, access.meeting.id);
    if (!running) throw new ApiError('RECORDING_NOT_ACTIVE', 'Nothing is being recorded.');
    if (running.egressId) {
      try {
        await recordings.stop(running.egressId);
      } catch (err) {
        logger.warn({ err }, 'recording could not be stopped');
        throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'The recording could not be stopped now; try again.');
      }
    }
    reply(res, 'POST /meetings/:id/recordings/stop', 200, await markRecording(db, running.id, { status: 'stopped' }));
  });

  /** Who may see a meeting's recordings (the list and the files): its hosts and the people in it. */
  async function assertMaySeeRecordings(access: MeetingAccess): Promise<void> {
    if (access.caller === null) throw new ApiError('AUTH_REQUIRED', 'Sign in to do this.');
    const present = access.identity !== null && (await isPresentParticipant(db, access.meeting.id, access.identity));
    if (!isModerator(access.role) && !present) throw new ApiError('INSUFFICIENT_PERMISSION', 'Only people in the meeting can see its recordings.');
  }

  on(router, 'GET /meetings/:id/recordings', async (req, res) => {
    const access = await loadAccess(db, req.params, res);
    await assertMaySeeRecordings(access);
    reply(res, 'GET /meetings/:id/recordings', 200, await listRecordings(db, access.meeting.id));
  });

  on(router, 'GET /meetings/:id/recordings/:recordingId/file', async (req, res) => {
    const { recordingId } = input('GET /meetings/:id/recordings/:recordingId/file', 'params', req.params);
    const access = await loadAccess(db, req.params, res);
    await assertMaySeeRecordings(access);
    const file = await recordingFile(db, access.meeting.id, recordingId);
    if (!file) throw new ApiError('RECORDING_NOT_FOUND', 'This meeting has no such recording.');
    if (!file.ready || file.location === null) throw new ApiError('RECORDING_NOT_READY', 'The recording is not complete yet.');
    // LiveKit Egress uploading to S3 (or any storage with a URL): the file is there, not here.
    if (/^https?:\/\//i.test(file.location)) {
      res.redirect(302, file.location);
      return;
    }
    const path = await servablePath(deps.recordingsDir, file.location);
    if (path === null) {
      // A location outside the recordings folder is never served, whoever wrote it into the row.
      logger.warn({ meetingId: access.meeting.id, recordingId }, 'a recording location outside RECORDINGS_DIR was refused');
      throw new ApiError('RECORDING_NOT_FOUND', 'The recording\'s file is not available.');
    }
    await sendRecording(res, path);
  });

  return router;
}

/** The contract's Recording object: the egress id stays on the server. */
function withoutEgressId(recording: RecordingView & { egressId: string | null }): RecordingView {
  return {
    id: recording.id,
    meetingId: recording.meetingId,
    status: recording.status,
    startedBy: recording.startedBy,
    startedAt: recording.startedAt,
    endedAt: recording.endedAt,
    location: recording.location,
  };
}

/**
 * The real path of `location` when it is a file inside `dir` (symbolic links resolved, so a link
 * planted in the folder cannot point out of it); null otherwise. Never a path from the request: the
 * location comes from the database.
 */
async function servablePath(dir: string | undefined, location: string): Promise<string | null> {
  if (dir === undefined) return null;
  try {
    const root = await realpath(resolve(dir));
    const path = await realpath(resolve(root, location));
    return path.startsWith(root + sep) ? path : null;
  } catch {
    return null;
  }
}

/** The file as an attachment, its type from its extension; express's sendFile answers Range requests. */
function sendRecording(res: Response, path: string): Promise<void> {
  res.attachment(basename(path));
  res.setHeader('Cache-Control', 'private, no-store');
  return new Promise((done, fail) => {
    res.sendFile(path, { dotfiles: 'allow' }, (error) => {
      if (!error) done();
      else if (res.headersSent) done();
      else fail(new ApiError('RECORDING_NOT_FOUND', 'The recording\'s file is not available.'));
    });
  });
}
