// Browser-side helpers for the media server suites: tokens and server calls go through the
// web-test-runner plugin in `media-commands.ts`.
import { executeServerCommand } from '@web/test-runner-commands';
import { Room, RoomEvent, type RemoteTrack, type RoomOptions } from 'livekit-client';

export interface TokenRequest {
  room: string;
  identity: string;
  grant?: Record<string, unknown>;
  ttl?: number;
  secret?: string;
}

export async function startMediaServer(options: { maxParticipants?: number } = {}): Promise<string> {
  const { url } = await executeServerCommand<{ url: string }, typeof options>('media-start', options);
  return url;
}

export async function stopMediaServer(): Promise<void> {
  await executeServerCommand('media-stop');
}

/**
 * A suite's media server: started before the suite (or before each test with `perTest`), stopped
 * after it, and every room a test put in `rooms` disconnected after that test.
 */
export function useMediaServer(options: { maxParticipants?: number; perTest?: boolean } = {}): { url: string; rooms: Room[] } {
  const { perTest = false, ...start } = options;
  const media = { url: '', rooms: [] as Room[] };
  const open = async (): Promise<void> => {
    media.url = await startMediaServer(start);
  };
  if (perTest) beforeEach(open);
  else before(open);
  afterEach(async () => {
    await Promise.all(media.rooms.splice(0).map((r) => r.disconnect()));
    if (perTest) await stopMediaServer();
  });
  if (!perTest) after(stopMediaServer);
  return media;
}

export async function mediaToken(request: TokenRequest): Promise<string> {
  return executeServerCommand<string, TokenRequest>('media-token', request);
}

export async function mediaAdmin<T = unknown>(call: Record<string, unknown>): Promise<T> {
  return (await executeServerCommand('media-admin', call));
}

export async function webhooks(): Promise<{
  received: Array<{ event: string; identity?: string; room?: string; track?: string }>;
  rejected: number;
}> {
  return executeServerCommand('media-webhooks');
}

export async function joinRoom(url: string, request: TokenRequest, options: RoomOptions = {}): Promise<Room> {
  const room = new Room(options);
  await room.connect(url, await mediaToken(request));
  return room;
}

/** Resolves when `predicate` holds, checking on every room event; rejects after `ms`. */
export function until(room: Room, predicate: () => boolean, what: string, ms = 8000): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!predicate()) return;
      clearTimeout(timer);
      clearInterval(poll);
      room.off(RoomEvent.ParticipantConnected, check).off(RoomEvent.ParticipantDisconnected, check);
      room.off(RoomEvent.TrackSubscribed, check).off(RoomEvent.TrackMuted, check).off(RoomEvent.TrackUnmuted, check);
      resolve();
    };
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    // Media facts (frames decoded) have no room event; poll those cheaply as well.
    const poll = setInterval(check, 50);
    room.on(RoomEvent.ParticipantConnected, check).on(RoomEvent.ParticipantDisconnected, check);
    room.on(RoomEvent.TrackSubscribed, check).on(RoomEvent.TrackMuted, check).on(RoomEvent.TrackUnmuted, check);
  });
}

/** Attaches a remote video track to a <video> and resolves once frames are decoded and advancing. */
export async function playsVideo(track: RemoteTrack): Promise<HTMLVideoElement> {
  const video = track.attach() as HTMLVideoElement;
  video.muted = true;
  document.body.append(video);
  const started = Date.now();
  let firstFrames = -1;
  while (Date.now() - started < 10000) {
    const frames = video.getVideoPlaybackQuality().totalVideoFrames;
    if (video.videoWidth > 0 && firstFrames < 0 && frames > 0) firstFrames = frames;
    if (firstFrames >= 0 && frames > firstFrames + 5) return video;
    await new Promise((r) => requestAnimationFrame(r));
  }
  throw new Error(`video did not play: width ${String(video.videoWidth)}, frames ${String(video.getVideoPlaybackQuality().totalVideoFrames)}`);
}
