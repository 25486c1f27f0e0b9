// Records a room while an egress runs: every published audio and video track, in WebM parts of one
// participant's camera + microphone or screen share + its audio (recording-part.ts says why). A
// track published after the start gets recorded; a track that leaves ends its part. When a
// participant's set of tracks changes, its part ends and a new one starts with the new set, after a
// short settle so a camera and a microphone published together land in one file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrackSource } from '@livekit/protocol';
import type { PublishedTrack } from './published-track.js';
import { RecordingPart, type PartResult } from './recording-part.js';
import type { MediaWatcher, Room } from './room.js';

/** How long a change in someone's tracks waits for more before their part is started again. */
const SETTLE_MS = 400;

export interface RecordingResult {
  /** Longest first. */
  parts: PartResult[];
  manifest: string;
}

/** A participant's camera and microphone are one group, its screen share and the screen's audio another. */
function groupOf(track: PublishedTrack): string {
  const screen = track.info.source === TrackSource.SCREEN_SHARE || track.info.source === TrackSource.SCREEN_SHARE_AUDIO;
  return `${track.publisherSid}:${screen ? 'screen' : 'camera'}`;
}

export class RoomRecorder implements MediaWatcher {
  private readonly startedAt = Date.now();
  private readonly parts = new Map<string, RecordingPart>();
  private readonly finished: Array<Promise<PartResult>> = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private partCount = 0;
  private stopped = false;

  constructor(
    private readonly room: Room,
    private readonly dir: string,
    /** The file name without extension; parts after the first get -2, -3… */
    private readonly base: string,
    private readonly log: (line: string) => void,
    /** The room closed while recording. */
    private readonly onRoomClosed: () => void,
  ) {
    room.watchers.add(this);
    room.setRecording(true);
    const groups = new Set(room.allTracks().filter((t) => t.hasMedia).map(groupOf));
    for (const group of groups) this.restart(group);
  }

  trackReady(track: PublishedTrack): void {
    this.changed(groupOf(track));
  }

  trackGone(track: PublishedTrack): void {
    const group = groupOf(track);
    // The file ends with the track, not a settle later.
    const part = this.parts.get(group);
    if (part) {
      this.parts.delete(group);
      this.finished.push(part.stop());
    }
    this.changed(group);
  }

  roomClosed(): void {
    this.onRoomClosed();
  }

  /** Ends every part and writes the manifest. */
  async stop(): Promise<RecordingResult> {
    this.stopped = true;
    this.room.watchers.delete(this);
    if (![...this.room.watchers].some((w) => w instanceof RoomRecorder)) this.room.setRecording(false);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const part of this.parts.values()) this.finished.push(part.stop());
    this.parts.clear();
    const all = await Promise.all(this.finished);
    // A part that never got a frame (a track that left at once) is no recording.
    const parts = all.filter((p) => p.durationMs > 0 && p.size > 0).sort((a, b) => b.durationMs - a.durationMs);
    const manifest = join(this.dir, `${this.base}.json`);
    const body = {
      room: this.room.name,
      startedAt: new Date(this.startedAt).toISOString(),
      note: 'one WebM per participant camera+microphone (or screen share), each with its offset from the start of the recording',
      parts: parts.map((p) => ({ file: p.filename, identity: p.identity, sources: p.sources, startOffsetMs: p.startOffsetMs, durationMs: p.durationMs, size: p.size })),
    };
    await writeFile(manifest, JSON.stringify(body, null, 2));
    return { parts, manifest };
  }

  private changed(group: string): void {
    if (this.stopped || this.pending.has(group)) return;
    const timer = setTimeout(() => {
      this.pending.delete(group);
      this.restart(group);
    }, SETTLE_MS);
    timer.unref();
    this.pending.set(group, timer);
  }

  /** Records the group's current tracks in a part of their own, ending the one that held the old set. */
  private restart(group: string): void {
    if (this.stopped) return;
    const tracks = this.room
      .allTracks()
      .filter((t) => groupOf(t) === group && t.hasMedia && t.recordingSource() !== undefined)
      // At most one video and one audio per WebM part (werift's writer).
      .filter((t, i, all) => all.findIndex((o) => o.kind === t.kind) === i);
    const current = this.parts.get(group);
    if (current?.holds(tracks)) return;
    if (current) {
      this.parts.delete(group);
      this.finished.push(current.stop());
    }
    if (tracks.length === 0) return;
    this.partCount++;
    const name = this.partCount === 1 ? `${this.base}.webm` : `${this.base}-${String(this.partCount)}.webm`;
    this.parts.set(group, new RecordingPart(join(this.dir, name), tracks, this.startedAt, this.log));
    this.log(`recording ${this.room.name}: ${name} <- ${tracks.map((t) => `${t.publisherIdentity} ${t.kind}`).join(', ')}`);
  }
}
