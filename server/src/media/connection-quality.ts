// Connection-quality updates, as LiveKit sends them: every participant hears, on change, how good
// each participant's connection is. This server judges by what it sees itself: a connection that
// is down (or whose signalling is lost) is LOST, a participant whose unmuted camera or screen stopped
// sending is POOR, anyone else EXCELLENT. It does not estimate loss or jitter (LiveKit scores those
// from RTCP); the levels are LiveKit's, so clients show them as they would.
import { ConnectionQuality, ConnectionQualityInfo, ConnectionQualityUpdate } from '@livekit/protocol';
import { encodeResponse } from './signal-codec.js';

/** How often qualities are judged. */
export const QUALITY_TICK_MS = 2000;
/** A published video silent this long (while unmuted) makes its publisher's connection POOR. */
export const STALLED_VIDEO_MS = 3000;

export interface QualitySubject {
  readonly sid: string;
  readonly hidden: boolean;
  /** Whether the participant has connected once (before that it has no quality to report). */
  readonly active: boolean;
  quality(): ConnectionQuality;
  sendEncoded(bytes: Uint8Array): void;
}

const SCORES: Record<ConnectionQuality, number> = {
  [ConnectionQuality.EXCELLENT]: 5,
  [ConnectionQuality.GOOD]: 4,
  [ConnectionQuality.POOR]: 2,
  [ConnectionQuality.LOST]: 0,
};

export class ConnectionQualityReporter {
  private readonly last = new Map<string, ConnectionQuality>();
  /** Participants that have had the full picture once; later they get changes only. */
  private readonly informed = new WeakSet<QualitySubject>();

  constructor(private readonly subjects: () => Iterable<QualitySubject>) {}

  tick(): void {
    const everyone = [...this.subjects()].filter((s) => s.active);
    const all: ConnectionQualityInfo[] = [];
    const changed: ConnectionQualityInfo[] = [];
    const present = new Set<string>();
    for (const subject of everyone) {
      present.add(subject.sid);
      if (subject.hidden) continue;
      const quality = subject.quality();
      const info = new ConnectionQualityInfo({ participantSid: subject.sid, quality, score: SCORES[quality] });
      all.push(info);
      if (this.last.get(subject.sid) !== quality) changed.push(info);
      this.last.set(subject.sid, quality);
    }
    for (const sid of this.last.keys()) if (!present.has(sid)) this.last.delete(sid);
    const changes = changed.length > 0 ? encodeResponse({ case: 'connectionQuality', value: new ConnectionQualityUpdate({ updates: changed }) }) : undefined;
    let full: Uint8Array | undefined;
    for (const subject of everyone) {
      if (!this.informed.has(subject)) {
        full ??= encodeResponse({ case: 'connectionQuality', value: new ConnectionQualityUpdate({ updates: all }) });
        subject.sendEncoded(full);
        this.informed.add(subject);
      } else if (changes) {
        subject.sendEncoded(changes);
      }
    }
  }
}
