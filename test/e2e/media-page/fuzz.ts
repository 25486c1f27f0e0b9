// Random but reproducible input for the media server's fuzz test: bytes, strings, and protobuf
// messages of any @livekit/protocol type with every field filled at random (walked through the
// message type's own field list, so a new protocol version fuzzes its new fields too).

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzzer {
  constructor(readonly next: () => number) {}

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  bytes(max: number): Buffer {
    const out = Buffer.alloc(this.int(max + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.int(256);
    return out;
  }

  string(max: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '|', '"', '{', '}', ':', '\n', 'é', '\u202E', '\u200B', '😀', '\0', 'TR_', 'PA_', 'm=video 9 '];
    let out = '';
    const length = this.int(max + 1);
    while (out.length < length) out += this.pick(alphabet);
    return out;
  }

  /** Printable ASCII only: what an HTTP header may carry. */
  ascii(max: number): string {
    let out = '';
    for (let i = this.int(max + 1); i > 0; i--) out += String.fromCharCode(33 + this.int(94));
    return out;
  }

  /** A value for any protobuf message type, every field set or left at random, to `depth` levels. */
  message<T>(type: MessageType<T>, depth = 3): T {
    const init: Record<string, unknown> = {};
    for (const field of type.fields.list()) {
      if (this.next() < 0.3) continue;
      const value = this.fieldValue(field, depth);
      if (value === undefined) continue;
      if (field.oneof) {
        if (init[field.oneof.localName] === undefined) init[field.oneof.localName] = { case: field.localName, value };
      } else {
        init[field.localName] = value;
      }
    }
    return new type(init);
  }

  private fieldValue(field: FieldInfo, depth: number): unknown {
    const one = (): unknown => {
      switch (field.kind) {
        case 'scalar':
          return this.scalar(field.T as number);
        case 'enum':
          return this.int(12);
        case 'message':
          return depth > 0 ? this.message(field.T as MessageType<unknown>, depth - 1) : undefined;
        case 'map': {
          const map: Record<string, unknown> = {};
          for (let i = this.int(3); i > 0; i--) map[this.string(8)] = field.V.kind === 'scalar' ? this.scalar(field.V.T as number) : this.string(8);
          return map;
        }
      }
    };
    if (field.repeated) {
      const items: unknown[] = [];
      for (let i = this.int(4); i > 0; i--) {
        const item = one();
        if (item !== undefined) items.push(item);
      }
      return items;
    }
    return one();
  }

  private scalar(type: number): unknown {
    switch (type) {
      case 8: // bool
        return this.next() < 0.5;
      case 9: // string
        return this.string(this.pick([4, 40, 400]));
      case 12: // bytes
        return new Uint8Array(this.bytes(64));
      case 3: case 4: case 6: case 16: case 18: // 64-bit integers
        return BigInt(this.int(2 ** 31)) * BigInt(this.pick([1, 1, 2 ** 20]));
      case 1: case 2: // floating point
        return this.pick([0, -1, 1e308, Number.NaN, this.next() * 1e6]);
      case 7: case 13: // unsigned 32-bit integers
        return this.pick([0, 1, 2 ** 32 - 1, this.int(2 ** 16)]);
      default: // signed 32-bit integers
        return this.pick([0, 1, -1, 2 ** 31 - 1, this.int(2 ** 16)]);
    }
  }
}

/** The shape of @bufbuild/protobuf's reflection, as much of it as this file reads. */
interface FieldInfo {
  kind: 'scalar' | 'enum' | 'message' | 'map';
  localName: string;
  T: unknown;
  V: { kind: string; T: unknown };
  repeated: boolean;
  oneof?: { localName: string };
}

export interface MessageType<T> {
  new (init?: Record<string, unknown>): T;
  fields: { list(): readonly FieldInfo[] };
}
