// Twirp's error shape (`{code, msg}` with the code's HTTP status), so livekit-server-sdk surfaces
// this server's refusals as it would LiveKit's, and the type of one method's handler.
import type { ListRoomsResponse } from '@livekit/protocol';
import type { ClaimGrants } from 'livekit-server-sdk';

export type Json = ReturnType<ListRoomsResponse['toJson']>;
export type TwirpHandler = (body: Json, grants: ClaimGrants) => Json | Promise<Json>;

const STATUSES = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  failed_precondition: 412,
  unavailable: 503,
  bad_route: 404,
} as const;

export class TwirpError extends Error {
  constructor(
    readonly code: keyof typeof STATUSES,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUSES[this.code];
  }
}
