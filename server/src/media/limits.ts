// What one participant may send the media server, and how display names are cleaned. Every limit
// here is enforced against hostile clients (a modified livekit-client, a raw WebSocket); the
// defaults leave ordinary clients far below them. docs/media-server.md lists them.

/** Largest WebSocket message accepted; ws closes the socket (1009) on a larger one. */
export const MAX_SIGNAL_MESSAGE_BYTES = 1024 * 1024;
/** Largest join request once gunzipped (it carries the client's first offer). */
export const MAX_JOIN_REQUEST_BYTES = 1024 * 1024;
/** Tracks one participant may have published at once. */
export const MAX_PUBLISHED_TRACKS = 16;
/** Display names, track names and client track ids, in characters. */
export const MAX_NAME_LENGTH = 256;
/** Participant metadata, and all attributes together (keys and values), in UTF-8 bytes: LiveKit's defaults. */
export const MAX_METADATA_BYTES = 64_000;
export const MAX_ATTRIBUTES_BYTES = 64_000;

/**
 * Signal messages per connection: a burst of `burst`, then `perSecond`. A client joining a large
 * room sends a few dozen (offer, candidates, tracks, subscriptions, track settings); a client past
 * this is closed with a reason.
 */
export const SIGNAL_RATE = { burst: 200, perSecond: 50 } as const;
/** Bytes of signal messages per connection, the same way. */
export const SIGNAL_BYTE_RATE = { burst: 4 * 1024 * 1024, perSecond: 1024 * 1024 } as const;

/**
 * Data packets one participant may have relayed: messages and bytes, each a burst then a rate.
 * Chat, reactions and small app messages stay far below; past it packets are dropped, not relayed
 * (a data channel flood would otherwise cost every other participant the same bytes).
 */
export const DATA_RATE = { burst: 100, perSecond: 50 } as const;
export const DATA_BYTE_RATE = { burst: 256 * 1024, perSecond: 64 * 1024 } as const;

/** A token bucket: `take` spends, time refills; false once the bucket is empty. */
export class TokenBucket {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  take(amount = 1): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

// Bidirectional formatting (LRM, RLM, ALM, embeddings, overrides, isolates) and zero-width
// characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) let a name display as something it is not.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
// Other control characters have no place in a name either (tabs and newlines become spaces).
const CONTROL = /(?![\t\n\v\f\r])\p{Cc}/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * NFC, without bidi controls, zero-width or control characters, whitespace collapsed, and cut at
 * `MAX_NAME_LENGTH` characters as people see them (an emoji is one), and at four times as many
 * UTF-16 units, so a stack of combining marks cannot make one character huge.
 */
export function normalizeDisplayName(name: string): string {
  const cleaned = name.normalize('NFC').replace(INVISIBLE, '').replace(CONTROL, '').replace(/\s+/gu, ' ').trim();
  let out = '';
  let count = 0;
  for (const { segment } of graphemes.segment(cleaned)) {
    if (count === MAX_NAME_LENGTH || out.length + segment.length > MAX_NAME_LENGTH * 4) break;
    out += segment;
    count++;
  }
  return out;
}

/** Whether `text` has more than `max` code points. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function attributesBytes(attributes: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(attributes)) total += utf8Bytes(key) + utf8Bytes(value);
  return total;
}

/** Why `metadata` and `attributes` may not be set, or undefined when they may. */
export function metadataProblem(metadata: string, attributes: Record<string, string>): string | undefined {
  if (utf8Bytes(metadata) > MAX_METADATA_BYTES) return `metadata exceeds ${String(MAX_METADATA_BYTES)} bytes`;
  if (attributesBytes(attributes) > MAX_ATTRIBUTES_BYTES) return `attributes exceed ${String(MAX_ATTRIBUTES_BYTES)} bytes`;
  return undefined;
}
