// Reads what a WebM file holds, from its EBML structure: the header's magic, the tracks and their
// kinds, the duration in the Info element and the media time the clusters actually span (the last
// block's cluster timecode plus its relative timecode). Written for the tests; it walks the masters
// it needs and skips everything else, and copes with masters of unknown size (live-written files).

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const TRACK_TYPE = 0x83;
const CODEC_ID = 0x86;
const CLUSTER = 0x1f43b675;
const CLUSTER_TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const MASTERS = new Set([SEGMENT, INFO, TRACKS, TRACK_ENTRY, CLUSTER, BLOCK_GROUP]);

export interface WebmProbe {
  ebmlMagic: boolean;
  tracks: Array<{ number: number; kind: 'video' | 'audio' | 'other'; codec: string }>;
  /** From the Info element, in ms; undefined when absent. */
  durationMs: number | undefined;
  /** The media time the blocks span, per track number, in ms (last block time minus first). */
  spanMs: Record<number, number>;
  blocks: Record<number, number>;
  /** When each track's first block is, per track number, in ms from the file's start. */
  startMs: Record<number, number>;
}

function readVint(buf: Buffer, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  const first = buf[at] ?? 0;
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
  if (length > 8) throw new Error(`bad vint at ${String(at)}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    const byte = buf[at + i] ?? 0;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(buf: Buffer, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + (buf[at + i] ?? 0);
  return value;
}

export function probeWebm(buf: Buffer): WebmProbe {
  const probe: WebmProbe = { ebmlMagic: buf.readUInt32BE(0) === EBML, tracks: [], durationMs: undefined, spanMs: {}, blocks: {}, startMs: {} };
  let scale = 1_000_000;
  let rawDuration: number | undefined;
  let clusterTime = 0;
  let track: { number: number; kind: 'video' | 'audio' | 'other'; codec: string } | undefined;
  const first: Record<number, number> = {};
  const last: Record<number, number> = {};
  let at = 0;
  while (at < buf.length) {
    const id = readVint(buf, at, true);
    const size = readVint(buf, at + id.length, false);
    const data = at + id.length + size.length;
    if (MASTERS.has(id.value)) {
      if (id.value === TRACK_ENTRY) {
        track = { number: 0, kind: 'other', codec: '' };
        probe.tracks.push(track);
      }
      at = data;
      continue;
    }
    const end = data + size.value;
    switch (id.value) {
      case TIMECODE_SCALE:
        scale = readUint(buf, data, size.value);
        break;
      case DURATION:
        rawDuration = size.value === 4 ? buf.readFloatBE(data) : buf.readDoubleBE(data);
        break;
      case TRACK_NUMBER:
        if (track) track.number = readUint(buf, data, size.value);
        break;
      case TRACK_TYPE:
        if (track) track.kind = ((t) => (t === 1 ? 'video' : t === 2 ? 'audio' : 'other'))(readUint(buf, data, size.value));
        break;
      case CODEC_ID:
        if (track) track.codec = buf.toString('ascii', data, end);
        break;
      case CLUSTER_TIMECODE:
        clusterTime = readUint(buf, data, size.value);
        break;
      case SIMPLE_BLOCK:
      case BLOCK: {
        const number = readVint(buf, data, false);
        const time = clusterTime + buf.readInt16BE(data + number.length);
        first[number.value] ??= time;
        last[number.value] = time;
        probe.blocks[number.value] = (probe.blocks[number.value] ?? 0) + 1;
        break;
      }
      default:
        break;
    }
    if (size.unknown) throw new Error(`element ${id.value.toString(16)} of unknown size is not a master this probe knows`);
    at = end;
  }
  const toMs = (ticks: number): number => (ticks * scale) / 1_000_000;
  probe.durationMs = rawDuration === undefined ? undefined : toMs(rawDuration);
  for (const [n, t] of Object.entries(last)) probe.spanMs[Number(n)] = toMs(t - (first[Number(n)] ?? t));
  for (const [n, t] of Object.entries(first)) probe.startMs[Number(n)] = toMs(t);
  return probe;
}
