// LiveKit's Egress API (`livekit.Egress` over Twirp) as the token server calls it, answered by
// recording the room here instead of in a separate egress service: StartRoomCompositeEgress,
// StopEgress, ListEgress. Files go into the recordings folder as WebM parts (room-recorder.ts); the
// egress_started and egress_ended webhooks carry LiveKit's EgressInfo, with the file results
// (filename, location, size, duration) longest first. Without a recordings folder Egress answers
// `unavailable`, as LiveKit does when no egress service runs.
import { mkdir } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import {
  EgressInfo,
  EgressStatus,
  FileInfo,
  ListEgressRequest,
  ListEgressResponse,
  RoomCompositeEgressRequest,
  StopEgressRequest,
} from '@livekit/protocol';
import type { ClaimGrants } from 'livekit-server-sdk';
import { RoomRecorder } from './room-recorder.js';
import type { RoomRegistry } from './room-registry.js';
import { newSid } from './sids.js';
import { TwirpError, type TwirpHandler } from './twirp-error.js';
import type { WebhookSender } from './webhooks.js';

const PARSE = { ignoreUnknownFields: true } as const;
const MS_TO_NS = 1_000_000n;

interface Egress {
  info: EgressInfo;
  recorder: RoomRecorder | undefined;
  ending: Promise<void> | undefined;
}

export interface EgressOptions {
  registry: RoomRegistry;
  /** Where recordings are written; undefined: Egress is not offered. */
  recordingsDir: string | undefined;
  webhooks: WebhookSender;
  log: (line: string) => void;
}

function requireRecord(grants: ClaimGrants): void {
  if (!grants.video?.roomRecord) throw new TwirpError('permission_denied', 'token does not grant roomRecord');
}

/** The file name the request asks for, reduced to a safe base name (no folders, no extension). */
function fileBase(request: RoomCompositeEgressRequest, egressId: string): string {
  const asked = request.fileOutputs[0]?.filepath ?? legacyFilepath(request);
  const base = basename(asked, extname(asked))
    .replace(/\{[^}]*\}/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[.]+/, '');
  return `${base || 'recording'}-${egressId}`;
}

/** The request's older single `output` field, still what some SDK versions send. */
function legacyFilepath(request: RoomCompositeEgressRequest): string {
  /* eslint-disable @typescript-eslint/no-deprecated -- the older SDKs' single output */
  const output = request.output;
  return output.case === 'file' ? output.value.filepath : '';
  /* eslint-enable @typescript-eslint/no-deprecated */
}

export class EgressService {
  private readonly egresses = new Map<string, Egress>();

  constructor(private readonly options: EgressOptions) {}

  handlers(): Record<string, TwirpHandler> {
    return {
      StartRoomCompositeEgress: async (body, grants) => {
        requireRecord(grants);
        return (await this.start(RoomCompositeEgressRequest.fromJson(body, PARSE))).toJson();
      },
      StopEgress: (body, grants) => {
        requireRecord(grants);
        return this.stop(StopEgressRequest.fromJson(body, PARSE).egressId).toJson();
      },
      ListEgress: (body, grants) => {
        requireRecord(grants);
        const request = ListEgressRequest.fromJson(body, PARSE);
        const running = [EgressStatus.EGRESS_STARTING, EgressStatus.EGRESS_ACTIVE, EgressStatus.EGRESS_ENDING];
        const items = [...this.egresses.values()]
          .map((e) => e.info)
          .filter((i) => (!request.roomName || i.roomName === request.roomName) && (!request.egressId || i.egressId === request.egressId))
          .filter((i) => !request.active || running.includes(i.status));
        return new ListEgressResponse({ items }).toJson();
      },
    };
  }

  /** Ends every running recording (the server shuts down): their files are completed and reported. */
  async closeAll(): Promise<void> {
    for (const egress of this.egresses.values()) if (!egress.ending && egress.recorder) this.end(egress);
    await Promise.all([...this.egresses.values()].flatMap((e) => (e.ending ? [e.ending] : [])));
  }

  private async start(request: RoomCompositeEgressRequest): Promise<EgressInfo> {
    const dir = this.options.recordingsDir;
    if (dir === undefined) throw new TwirpError('unavailable', 'egress not connected (this media server has no RECORDINGS_DIR)');
    const room = this.options.registry.get(request.roomName);
    if (!room) throw new TwirpError('not_found', `room "${request.roomName}" does not exist`);
    const egressId = newSid('EG_');
    const now = BigInt(Date.now()) * MS_TO_NS;
    const info = new EgressInfo({
      egressId,
      roomId: room.info.sid,
      roomName: room.name,
      status: EgressStatus.EGRESS_ACTIVE,
      startedAt: now,
      updatedAt: now,
      request: { case: 'roomComposite', value: request },
    });
    await mkdir(dir, { recursive: true });
    const egress: Egress = { info, recorder: undefined, ending: undefined };
    this.egresses.set(egressId, egress);
    egress.recorder = new RoomRecorder(room, resolve(dir), fileBase(request, egressId), this.options.log, () => {
      // LiveKit ends a room composite egress when its room closes.
      if (!egress.ending) this.end(egress);
    });
    this.options.log(`egress ${egressId} records room ${room.name}`);
    this.options.webhooks.send('egress_started', { egressInfo: info });
    return info;
  }

  private stop(egressId: string): EgressInfo {
    const egress = this.egresses.get(egressId);
    if (!egress) throw new TwirpError('not_found', `egress "${egressId}" does not exist`);
    if (egress.ending) throw new TwirpError('failed_precondition', `egress "${egressId}" is ${EgressStatus[egress.info.status]} and cannot be stopped`);
    this.end(egress);
    return egress.info;
  }

  /** Stops recording at once (ENDING), then completes the files and reports them (COMPLETE or FAILED). */
  private end(egress: Egress): void {
    const info = egress.info;
    info.status = EgressStatus.EGRESS_ENDING;
    info.updatedAt = BigInt(Date.now()) * MS_TO_NS;
    const recorder = egress.recorder;
    egress.ending = (async () => {
      try {
        const result = recorder ? await recorder.stop() : { parts: [], manifest: '' };
        info.fileResults = result.parts.map(
          (p) =>
            new FileInfo({
              filename: p.filename,
              location: p.file,
              size: BigInt(p.size),
              duration: BigInt(Math.round(p.durationMs)) * MS_TO_NS,
              startedAt: BigInt(p.startedAt) * MS_TO_NS,
              endedAt: BigInt(p.endedAt) * MS_TO_NS,
            }),
        );
        info.manifestLocation = result.manifest;
        info.status = info.fileResults.length > 0 ? EgressStatus.EGRESS_COMPLETE : EgressStatus.EGRESS_FAILED;
        if (info.fileResults.length === 0) info.error = 'nothing was published while recording';
      } catch (error) {
        info.status = EgressStatus.EGRESS_FAILED;
        info.error = (error as Error).message;
      }
      // The room is no longer followed; the egress stays listable (ListEgress) as in LiveKit.
      egress.recorder = undefined;
      info.endedAt = BigInt(Date.now()) * MS_TO_NS;
      info.updatedAt = info.endedAt;
      const first = info.fileResults[0];
      this.options.log(
        `egress ${info.egressId} ${EgressStatus[info.status]}: ${String(info.fileResults.length)} file(s)${first ? `, longest ${first.filename} ${String(first.size)} bytes` : ''}`,
      );
      this.options.webhooks.send('egress_ended', { egressInfo: info });
    })();
  }
}
