// What a session tells its client about the server and about itself: the join and reconnect
// responses, the answer to a participant's own metadata change, and the leave log line.
import {
  ClientConfigSetting,
  ClientConfiguration,
  JoinResponse,
  ReconnectResponse,
  RequestResponse,
  RequestResponse_Reason,
  ServerInfo,
  ServerInfo_Edition,
  type ParticipantInfo,
  type Room as RoomInfo,
  type UpdateParticipantMetadata,
} from '@livekit/protocol';
import { applyMetadataChange } from './participant-metadata.js';
import type { SignalResponseMessage } from './signal-codec.js';
import type { SlotStats } from './subscriber.js';

export const SERVER_VERSION = '1.9.0';
export const PING_INTERVAL_S = 5;
export const PING_TIMEOUT_S = 15;

function serverInfo(): ServerInfo {
  return new ServerInfo({ edition: ServerInfo_Edition.Standard, version: SERVER_VERSION, protocol: 16, nodeId: 'meeting-widget-media' });
}

/** A client that loses its signalling resumes the same session before it tries a full rejoin. */
function clientConfiguration(): ClientConfiguration {
  return new ClientConfiguration({ resumeConnection: ClientConfigSetting.ENABLED });
}

export function joinResponse(room: RoomInfo, participant: ParticipantInfo, others: ParticipantInfo[]): SignalResponseMessage {
  return {
    case: 'join',
    value: new JoinResponse({
      room,
      participant,
      otherParticipants: others,
      serverVersion: SERVER_VERSION,
      serverInfo: serverInfo(),
      iceServers: [],
      subscriberPrimary: false,
      pingInterval: PING_INTERVAL_S,
      pingTimeout: PING_TIMEOUT_S,
      clientConfiguration: clientConfiguration(),
    }),
  };
}

export function reconnectResponse(): SignalResponseMessage {
  return { case: 'reconnect', value: new ReconnectResponse({ iceServers: [], clientConfiguration: clientConfiguration(), serverInfo: serverInfo() }) };
}

/**
 * A participant changes its own name, metadata or attributes: only with `canUpdateOwnMetadata`, and
 * within the limits. Returns the reply and whether `info` changed.
 */
export function ownMetadataUpdate(info: ParticipantInfo, update: UpdateParticipantMetadata): { reply: SignalResponseMessage; changed: boolean } {
  const refusal = (reason: RequestResponse_Reason, message: string): { reply: SignalResponseMessage; changed: boolean } => ({
    reply: { case: 'requestResponse', value: new RequestResponse({ requestId: update.requestId, reason, message, request: { case: 'updateMetadata', value: update } }) },
    changed: false,
  });
  if (!info.permission?.canUpdateMetadata) return refusal(RequestResponse_Reason.NOT_ALLOWED, 'token does not grant canUpdateOwnMetadata');
  const problem = applyMetadataChange(info, update);
  if (problem) return refusal(RequestResponse_Reason.LIMIT_EXCEEDED, problem);
  return { reply: { case: 'requestResponse', value: new RequestResponse({ requestId: update.requestId, reason: RequestResponse_Reason.OK }) }, changed: true };
}

/** One line on what a session received, so a video that never arrived shows in the log. */
export function describeReceived(slots: readonly SlotStats[]): string {
  const used = slots.filter((s) => s.packets > 0 || s.trackSid);
  if (used.length === 0) return 'received nothing';
  return used
    .map((s) => {
      const keyframe = s.kind === 'video' ? `, last keyframe ${s.sinceLastKeyframeMs === null ? 'never' : `${String(s.sinceLastKeyframeMs)} ms ago`}` : '';
      return `slot ${s.mid} ${s.kind} ${s.trackSid ?? '(idle)'} from ${s.publisher ?? '-'}: ${String(s.packets)} packets${keyframe}`;
    })
    .join('; ');
}
