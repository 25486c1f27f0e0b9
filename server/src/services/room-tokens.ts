// The LiveKit token an admitted participant connects with, for a room that exists.
import type { Policy, Role } from '../domain/policy.js';
import { ApiError } from '../errors.js';
import { mintLiveKitToken, type LiveKitCredentials } from '../livekit/access-token.js';
import type { RoomEnsurer } from '../livekit/room-ensurer.js';

export interface RoomTokenDeps {
  livekit: LiveKitCredentials & { url: string };
  rooms: Pick<RoomEnsurer, 'ensure'>;
  /** Lifetime of a token, and how long the seat it was granted for is held for a connect. */
  seatHoldSeconds: number;
}

export class RoomTokens {
  constructor(private readonly deps: RoomTokenDeps) {}

  get seatHoldSeconds(): number {
    return this.deps.seatHoldSeconds;
  }

  get livekitUrl(): string {
    return this.deps.livekit.url;
  }

  /** Makes sure the room exists: with LiveKit's auto-creation off, a token alone connects nowhere. */
  async prepare(roomName: string): Promise<void> {
    try {
      await this.deps.rooms.ensure(roomName);
    } catch {
      throw new ApiError('MEDIA_SERVER_UNAVAILABLE', 'The media server could not open this meeting’s room now; try again.');
    }
  }

  async issue(input: { identity: string; name: string; role: Role; policy: Policy; roomName: string }): Promise<string> {
    await this.prepare(input.roomName);
    return mintLiveKitToken(this.deps.livekit, { ...input, ttlSeconds: this.deps.seatHoldSeconds });
  }
}
