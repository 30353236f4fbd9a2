// Growable byte buffers with the varints the recording format is made of.
// A signed varint keeps the sign in bit 0 of the first byte and the magnitude
// after it, 7 bits a byte, low bits first. Magnitudes up to 2^53 are exact,
// so any delta between two integers of at most 2^52 (the format's limit)
// round-trips without BigInt.
import { RecordingError } from './errors';

const TWO_32 = 0x1_0000_0000;

export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity);
  }

  private grow(extra: number): void {
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(value: number): void {
    if (this.length + 1 > this.bytes.length) this.grow(1);
    this.bytes[this.length++] = value;
  }

  /** Unsigned integer, 0 ≤ value ≤ 2^53. */
  uvarint(value: number): void {
    if (this.length + 8 > this.bytes.length) this.grow(8);
    const b = this.bytes;
    let n = this.length;
    while (value >= 0x80) {
      b[n++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    b[n++] = value;
    this.length = n;
  }

  /** Signed integer, |value| ≤ 2^53. */
  svarint(value: number): void {
    if (this.length + 9 > this.bytes.length) this.grow(9);
    const b = this.bytes;
    let n = this.length;
    const negative = value < 0 ? 1 : 0;
    let mag = negative ? -value : value;
    if (mag < 0x40) {
      b[n++] = (mag << 1) | negative;
    } else {
      b[n++] = ((mag % 0x40) << 1) | negative | 0x80;
      mag = Math.floor(mag / 0x40);
      while (mag >= 0x80) {
        b[n++] = (mag % 0x80) | 0x80;
        mag = Math.floor(mag / 0x80);
      }
      b[n++] = mag;
    }
    this.length = n;
  }

  append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.bytes.length) this.grow(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  u32(value: number): void {
    if (this.length + 4 > this.bytes.length) this.grow(4);
    const b = this.bytes;
    b[this.length] = value & 0xff;
    b[this.length + 1] = (value >>> 8) & 0xff;
    b[this.length + 2] = (value >>> 16) & 0xff;
    b[this.length + 3] = (value >>> 24) & 0xff;
    this.length += 4;
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/**
 * Reads what ByteWriter wrote, never past `end`: every read that would is a
 * RecordingError naming where (`base` is added so the offset is the file's).
 */
export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    /** Describes the region for error messages, e.g. "events block at byte 1234". */
    readonly where: string,
  ) {
    this.pos = start;
  }

  fail(expected: string): never {
    throw new RecordingError(`${this.where}, decompressed byte ${this.pos}: expected ${expected}.`, -1, expected);
  }

  byte(what: string): number {
    if (this.pos >= this.end) this.fail(what);
    return this.bytes[this.pos++];
  }

  uvarint(what: string): number {
    const b = this.bytes;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) this.fail(what);
      const byte = b[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
    return this.fail(`${what} (a varint of at most 8 bytes)`);
  }

  svarint(what: string): number {
    const b = this.bytes;
    if (this.pos >= this.end) this.fail(what);
    const first = b[this.pos++];
    const negative = first & 1;
    let mag = (first >> 1) & 0x3f;
    if (first & 0x80) {
      let scale = 0x40;
      for (let i = 0; ; i++) {
        if (i === 8) this.fail(`${what} (a varint of at most 9 bytes)`);
        if (this.pos >= this.end) this.fail(what);
        const byte = b[this.pos++];
        mag += (byte & 0x7f) * scale;
        if (byte < 0x80) break;
        scale *= 0x80;
      }
    }
    return negative ? -mag : mag;
  }

  slice(length: number, what: string): Uint8Array {
    if (length > this.end - this.pos) this.fail(`${what} (${length} bytes, ${this.end - this.pos} left)`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16)) + bytes[offset + 3] * 0x100_0000;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

/** A non-negative integer below 2^53 as two u32 halves. */
export function writeU64(bytes: Uint8Array, offset: number, value: number): void {
  writeU32(bytes, offset, value % TWO_32);
  writeU32(bytes, offset + 4, Math.floor(value / TWO_32));
}

export function readU64(bytes: Uint8Array, offset: number): number {
  return readU32(bytes, offset) + readU32(bytes, offset + 4) * TWO_32;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (the zlib/PNG one), continued from `crc` so several ranges can be chained. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = ~crc;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
