// The embedded media server's own view (`GET /debug`, an admin token), for what a client cannot
// see: the video streams the server forwards to a participant.
import { AccessToken } from 'livekit-server-sdk';

interface DebugStats {
  rooms: Array<{ participants: Array<{ identity: string; receives: Array<{ kind: string; trackSid?: string; forwarding: boolean }> }> }>;
}

/** Video receive slots of `identity` that carry a track and forward it; -1 when the participant is not there. */
export async function forwardedVideoSlots(mediaUrl: string, apiKey: string, apiSecret: string, identity: string): Promise<number> {
  const at = new AccessToken(apiKey, apiSecret, { identity: 'debug-reader' });
  at.addGrant({ roomList: true });
  const res = await fetch(`${mediaUrl.replace(/^ws/, 'http')}/debug`, { headers: { authorization: `Bearer ${await at.toJwt()}` } });
  if (!res.ok) throw new Error(`GET /debug: HTTP ${String(res.status)}`);
  const stats = (await res.json()) as DebugStats;
  const participant = stats.rooms.flatMap((r) => r.participants).find((p) => p.identity === identity);
  return participant?.receives.filter((s) => s.kind === 'video' && s.trackSid && s.forwarding).length ?? -1;
}
