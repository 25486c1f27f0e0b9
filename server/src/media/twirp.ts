// LiveKit's server API as `livekit-server-sdk` calls it: Twirp, JSON over POST, admin JWT in the
// Authorization header. Error bodies follow Twirp (`{code, msg}`) so the SDK surfaces them as LiveKit would.
import {
  CreateRoomRequest,
  DataPacket,
  DataPacket_Kind,
  DeleteRoomRequest,
  DeleteRoomResponse,
  ListParticipantsRequest,
  ListParticipantsResponse,
  ListRoomsRequest,
  ListRoomsResponse,
  MuteRoomTrackRequest,
  MuteRoomTrackResponse,
  MuteTrackRequest,
  RemoveParticipantResponse,
  RoomParticipantIdentity,
  SendDataRequest,
  SendDataResponse,
  UpdateParticipantRequest,
  UpdateRoomMetadataRequest,
  UserPacket,
  DisconnectReason,
} from '@livekit/protocol';
import type { ClaimGrants, TokenVerifier } from 'livekit-server-sdk';
import type { EgressService } from './egress.js';
import { GrantError, verifyToken } from './grants.js';
import { utf8Bytes, MAX_METADATA_BYTES } from './limits.js';
import { applyMetadataChange } from './participant-metadata.js';
import type { RoomRegistry } from './room-registry.js';
import { TwirpError, type Json, type TwirpHandler } from './twirp-error.js';

export { TwirpError };


const PARSE = { ignoreUnknownFields: true } as const;

function requireAdmin(grants: ClaimGrants, room: string): void {
  if (!grants.video?.roomAdmin || (grants.video.room !== undefined && grants.video.room !== room)) {
    throw new TwirpError('permission_denied', `token does not grant roomAdmin for room "${room}"`);
  }
}

function roomHandlers(registry: RoomRegistry): Record<string, TwirpHandler> {
  const liveRoom = (name: string) => {
    const room = registry.get(name);
    if (!room) throw new TwirpError('not_found', `room "${name}" does not exist`);
    return room;
  };
  const liveParticipant = (roomName: string, identity: string) => {
    const session = liveRoom(roomName).participant(identity);
    if (!session) throw new TwirpError('not_found', `participant "${identity}" is not in room "${roomName}"`);
    return session;
  };
  return {
    CreateRoom: (body, grants) => {
      const request = CreateRoomRequest.fromJson(body, PARSE);
      if (!grants.video?.roomCreate) throw new TwirpError('permission_denied', 'token does not grant roomCreate');
      if (!request.name) throw new TwirpError('invalid_argument', 'room name is required');
      return registry
        .ensure(request.name, {
          maxParticipants: request.maxParticipants,
          metadata: request.metadata,
          emptyTimeout: request.emptyTimeout || undefined,
          departureTimeout: request.departureTimeout || undefined,
        })
        .roomInfo()
        .toJson();
    },
    ListRooms: (body, grants) => {
      const request = ListRoomsRequest.fromJson(body, PARSE);
      if (!grants.video?.roomList) throw new TwirpError('permission_denied', 'token does not grant roomList');
      const rooms = registry.all().filter((r) => request.names.length === 0 || request.names.includes(r.name));
      return new ListRoomsResponse({ rooms: rooms.map((r) => r.roomInfo()) }).toJson();
    },
    DeleteRoom: (body, grants) => {
      const request = DeleteRoomRequest.fromJson(body, PARSE);
      if (!grants.video?.roomCreate) throw new TwirpError('permission_denied', 'token does not grant roomCreate');
      registry.delete(request.room, DisconnectReason.ROOM_DELETED);
      return new DeleteRoomResponse().toJson();
    },
    ListParticipants: (body, grants) => {
      const request = ListParticipantsRequest.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      const room = registry.get(request.room);
      return new ListParticipantsResponse({ participants: room?.participants().map((s) => s.info) ?? [] }).toJson();
    },
    GetParticipant: (body, grants) => {
      const request = RoomParticipantIdentity.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      return liveParticipant(request.room, request.identity).info.toJson();
    },
    RemoveParticipant: (body, grants) => {
      const request = RoomParticipantIdentity.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      liveParticipant(request.room, request.identity).close(DisconnectReason.PARTICIPANT_REMOVED, true);
      return new RemoveParticipantResponse().toJson();
    },
    MutePublishedTrack: (body, grants) => {
      const request = MuteRoomTrackRequest.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      const session = liveParticipant(request.room, request.identity);
      const track = session.tracks().find((t) => t.sid === request.trackSid);
      if (!track) throw new TwirpError('not_found', `track "${request.trackSid}" is not published by "${request.identity}"`);
      // Like LiveKit, the server mutes at once and tells the publisher, whose client stops sending.
      session.setTrackMuted(track.sid, request.muted);
      session.send({ case: 'mute', value: new MuteTrackRequest({ sid: track.sid, muted: request.muted }) });
      return new MuteRoomTrackResponse({ track: track.info }).toJson();
    },
    UpdateParticipant: (body, grants) => {
      const request = UpdateParticipantRequest.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      const session = liveParticipant(request.room, request.identity);
      const problem = applyMetadataChange(session.info, request);
      if (problem) throw new TwirpError('invalid_argument', problem);
      if (request.permission) session.updatePermission(request.permission);
      session.bump();
      return session.info.toJson();
    },
    UpdateRoomMetadata: (body, grants) => {
      const request = UpdateRoomMetadataRequest.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      const room = liveRoom(request.room);
      if (utf8Bytes(request.metadata) > MAX_METADATA_BYTES) throw new TwirpError('invalid_argument', `metadata exceeds ${String(MAX_METADATA_BYTES)} bytes`);
      room.setMetadata(request.metadata);
      return room.roomInfo().toJson();
    },
    SendData: (body, grants) => {
      const request = SendDataRequest.fromJson(body, PARSE);
      requireAdmin(grants, request.room);
      const room = liveRoom(request.room);
      const destinations = request.destinationIdentities;
      const packet = new DataPacket({
        kind: request.kind,
        destinationIdentities: destinations,
        value: {
          case: 'user',
          value: new UserPacket({ payload: request.data, topic: request.topic, destinationIdentities: destinations, nonce: request.nonce }),
        },
      });
      room.deliver(packet, request.kind === DataPacket_Kind.LOSSY ? DataPacket_Kind.LOSSY : DataPacket_Kind.RELIABLE, destinations);
      return new SendDataResponse().toJson();
    },
  };
}

export interface TwirpResult {
  status: number;
  body: unknown;
}

/** Handles one Twirp call; `path` is the part after `/twirp/`. */
export async function handleTwirp(
  registry: RoomRegistry,
  egress: EgressService,
  verifier: TokenVerifier,
  path: string,
  authorization: string | undefined,
  rawBody: string,
): Promise<TwirpResult> {
  try {
    const [service, method = ''] = path.split('/');
    const handlers = service === 'livekit.RoomService' ? roomHandlers(registry) : service === 'livekit.Egress' ? egress.handlers() : {};
    const handler = handlers[method];
    if (!handler) throw new TwirpError('bad_route', `no handler for ${path}`);
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    let grants: ClaimGrants;
    try {
      grants = await verifyToken(verifier, token);
    } catch (error) {
      throw new TwirpError('unauthenticated', error instanceof GrantError ? error.message : 'invalid token');
    }
    let body: Json;
    try {
      body = rawBody ? (JSON.parse(rawBody) as Json) : {};
    } catch {
      throw new TwirpError('invalid_argument', 'body is not JSON');
    }
    return { status: 200, body: await handler(body, grants) };
  } catch (error) {
    if (error instanceof TwirpError) return { status: error.status, body: { code: error.code, msg: error.message } };
    // protobuf's fromJson rejects malformed fields with a plain Error: that is the caller's mistake.
    return { status: 400, body: { code: 'invalid_argument', msg: (error as Error).message } };
  }
}
