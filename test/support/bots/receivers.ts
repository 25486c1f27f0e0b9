// What an rtc-node participant receives of a remote track, counted as it arrives: decoded audio (its
// loudness and pitch, so a tone is told from silence or noise) and decoded video frames (their size).
import { AudioStream, VideoStream, type RemoteTrack } from '@livekit/rtc-node';

export interface AudioReceipt {
  frames: number;
  /** Frames with a peak above a quiet room's, i.e. the tone. */
  loudFrames: number;
  /** The pitch of the loud audio so far: the median of each loud frame's, from its zero crossings; 0 before any. */
  pitchHz(): number;
  stop(): void;
}

export interface VideoReceipt {
  frames: number;
  width: number;
  height: number;
  stop(): void;
}

const LOUD_PEAK = 2000;

export function receiveAudio(track: RemoteTrack, sampleRate = 48_000): AudioReceipt {
  const reader = new AudioStream(track, { sampleRate, numChannels: 1 }).getReader();
  const pitches: number[] = [];
  const receipt: AudioReceipt = {
    frames: 0,
    loudFrames: 0,
    pitchHz: () => (pitches.length === 0 ? 0 : ([...pitches].sort((a, b) => a - b)[Math.floor(pitches.length / 2)] ?? 0)),
    stop: () => {
      void reader.cancel().catch(() => undefined);
    },
  };
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      receipt.frames++;
      let peak = 0;
      for (const sample of value.data) peak = Math.max(peak, Math.abs(sample));
      if (peak < LOUD_PEAK) continue;
      receipt.loudFrames++;
      // A crossing counts once the signal is well past zero on the other side, so codec noise
      // around zero (and a frame half silent as the tone starts) adds none.
      let crossings = 0;
      let positive: boolean | undefined;
      for (const sample of value.data) {
        if (Math.abs(sample) < LOUD_PEAK / 4) continue;
        const now = sample > 0;
        if (positive !== undefined && now !== positive) crossings++;
        positive = now;
      }
      pitches.push(crossings / 2 / (value.data.length / sampleRate));
    }
  })().catch(() => undefined);
  return receipt;
}

export function receiveVideo(track: RemoteTrack): VideoReceipt {
  const reader = new VideoStream(track).getReader();
  const receipt: VideoReceipt = {
    frames: 0,
    width: 0,
    height: 0,
    stop: () => {
      void reader.cancel().catch(() => undefined);
    },
  };
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      receipt.frames++;
      receipt.width = value.frame.width;
      receipt.height = value.frame.height;
    }
  })().catch(() => undefined);
  return receipt;
}
