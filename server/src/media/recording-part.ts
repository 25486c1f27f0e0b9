// One WebM file of a recording: one participant's camera and microphone (or its screen share and
// the screen's audio), written by werift's own MediaRecorder. werift's WebM writer holds at most one
// video and one audio track per file, with the track list fixed when the file starts, so a
// recording is made of such parts (room-recorder.ts).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { TrackSource } from '@livekit/protocol';
import { Event, type MediaStreamTrack } from 'werift';
import { MediaRecorder, type StreamEvent } from 'werift/nonstandard';
import type { PublishedTrack } from './published-track.js';

/** Keyframe requests while a part starts: its video can begin only at one. Bounded in count. */
const KEYFRAME_ASKS_MS = [0, 500, 1500, 3000, 5000];
/**
 * How long a stopped part may take to be completed. werift's recorder waits 5 s for the end of its
 * file, but the file is written through a queue of appends that, on a loaded machine, can be more
 * than 5 s behind after ten seconds of camera and microphone; its duration comes last, after them.
 */
const COMPLETE_MS = 60_000;

export interface PartResult {
  file: string;
  filename: string;
  identity: string;
  sources: string[];
  /** From the recording's start. */
  startOffsetMs: number;
  /** Media time written, from the file's own timestamps. */
  durationMs: number;
  size: number;
  startedAt: number;
  endedAt: number;
}

export class RecordingPart {
  private readonly recorder: MediaRecorder;
  private readonly log: (line: string) => void;
  private readonly startedAt = Date.now();
  private durationMs = 0;
  /** Media blocks werift has handed to the file so far. */
  private blocks = 0;
  /** Resolves once werift has written the file's end (its duration and size in the header). */
  private readonly completed: Promise<void>;
  private readonly keyframeTimers: NodeJS.Timeout[] = [];
  private stopping: Promise<PartResult> | undefined;

  constructor(
    readonly file: string,
    private readonly tracks: readonly PublishedTrack[],
    private readonly recordingStartedAt: number,
    log: (line: string) => void,
  ) {
    const sources = tracks.map((t) => ({ published: t, source: t.recordingSource() }));
    const media = sources.flatMap((s): MediaStreamTrack[] => (s.source ? [s.source.track] : []));
    const video = tracks.find((t) => t.kind === 'video');
    const stream: StreamEvent = new Event();
    let complete: () => void = () => undefined;
    this.completed = new Promise((resolve) => (complete = resolve));
    // werift reports each output once it is in the file, the end last.
    stream.subscribe((output) => {
      if (output.kind === 'block') this.blocks++;
      if (output.eol) {
        this.durationMs = output.eol.duration;
        complete();
      }
    });
    this.log = log;
    this.recorder = new MediaRecorder({
      path: file,
      tracks: media,
      width: video?.info.width || 640,
      height: video?.info.height || 360,
      stream,
      disableNtp: true,
      disableLipSync: true,
    });
    this.recorder.onError.subscribe((error) => {
      log(`recording part ${basename(file)} failed: ${error.message}`);
    });
    for (const { published, source } of sources) {
      if (published.kind !== 'video' || !source) continue;
      for (const delay of KEYFRAME_ASKS_MS) {
        const timer = setTimeout(() => {
          published.requestKeyframe(source.rid);
        }, delay);
        timer.unref();
        this.keyframeTimers.push(timer);
      }
    }
  }

  get identity(): string {
    return this.tracks[0]?.publisherIdentity ?? '';
  }

  /** Whether this part records exactly these tracks. */
  holds(tracks: readonly PublishedTrack[]): boolean {
    return tracks.length === this.tracks.length && tracks.every((t) => this.tracks.includes(t));
  }

  /** Ends the file (its duration and size written into the header by werift) and says what it holds. */
  stop(): Promise<PartResult> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async finish(): Promise<PartResult> {
    for (const timer of this.keyframeTimers) clearTimeout(timer);
    const endedAt = Date.now();
    // A part that cannot be completed is reported empty (and left out), never a rejection that
    // nobody awaits yet: the recording's other parts still count.
    await this.recorder.stop().catch(() => undefined);
    // A file with media in it is finished, however long its writes take (bounded); one without any
    // never gets an end from werift, and is reported empty.
    if (this.blocks > 0 && this.durationMs === 0) {
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        this.completed.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), COMPLETE_MS))),
      ]);
      clearTimeout(timer);
      this.log(`recording part ${basename(this.file)} ${late ? `not completed ${String(COMPLETE_MS)} ms after its stop` : `completed ${String(Date.now() - endedAt)} ms after its stop`}`);
    }
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    return {
      file: this.file,
      filename: basename(this.file),
      identity: this.identity,
      sources: this.tracks.map((t) => TrackSource[t.info.source]),
      startOffsetMs: this.startedAt - this.recordingStartedAt,
      durationMs: this.durationMs,
      size,
      startedAt: this.startedAt,
      endedAt,
    };
  }
}
