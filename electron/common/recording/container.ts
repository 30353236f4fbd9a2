// The file around the blocks: a 16-byte file header, then blocks, each with
// a 36-byte header carrying its own CRC, so a reader can tell a complete
// block from one cut off by a crash, and a footer (an index block and a
// 16-byte trailer) written when the recording is closed.
import type { ClockMapping } from '../assemble';
import type { CaptureOptions } from '../events';
import { crc32, readU32, readU64, writeU32, writeU64 } from './bytes';

export const FORMAT_NAME = 'sigscope-recording';
export const FORMAT_VERSION = 1;
export const FILE_MAGIC = 'SIGSCOPE';
export const FILE_HEADER_SIZE = 16;
export const BLOCK_HEADER_SIZE = 36;
export const TRAILER_MAGIC = 'SSINDEX\0';
export const TRAILER_SIZE = 16;
/** Bounds a reader enforces before it allocates anything. */
export const MAX_PAYLOAD = 64 * 1024 * 1024;
export const MAX_RAW = 64 * 1024 * 1024;
/** Events in one block (the writer makes 8192). */
export const MAX_BLOCK_EVENTS = 1 << 20;

export const BlockType = {
  HEADER: 0x48, // 'H'
  EVENTS: 0x45, // 'E'
  PROCESSES: 0x50, // 'P'
  STATS: 0x53, // 'S'
  INDEX: 0x49, // 'I'
} as const;

export const Codec = { STORED: 0, DEFLATE_RAW: 1 } as const;

/** The recording's first block. Fields may be added; readers ignore the ones they don't know. */
export interface RecordingHeader {
  format: string;
  formatVersion: number;
  /** SigScope version that wrote it. */
  sigscope: string;
  host: string;
  kernel: string;
  /** CLOCK_BOOTTIME and CLOCK_REALTIME read together: wall = boot + (realtimeNs - bootNs). */
  clock: ClockMapping | null;
  /** Capture options as given (filters, ring size, syscallAttach). */
  options: CaptureOptions & { syscallAttach?: string };
  /** Wall clock when the recording started: ISO-8601 and microseconds since the epoch. */
  started: string;
  startedTs: number;
  [field: string]: unknown;
}

/** One events block, as the footer index and the reader know it. */
export interface BlockInfo {
  /** Byte offset of the block header in the file. */
  offset: number;
  /** Index of the block's first event in the whole recording. */
  firstEvent: number;
  count: number;
  /** Smallest and largest `ts` in the block. */
  minTs: number;
  maxTs: number;
}

export interface RecordingIndex {
  events: number;
  blocks: [offset: number, firstEvent: number, count: number, minTs: number, maxTs: number][];
  ended: string;
}

export interface BlockHeader {
  type: number;
  codec: number;
  payloadLength: number;
  rawLength: number;
  count: number;
  minTs: number;
  maxTs: number;
  crc: number;
}

export function fileHeader(): Uint8Array {
  const bytes = new Uint8Array(FILE_HEADER_SIZE);
  for (let i = 0; i < 8; i++) bytes[i] = FILE_MAGIC.charCodeAt(i);
  writeU32(bytes, 8, FORMAT_VERSION);
  writeU32(bytes, 12, 0);
  return bytes;
}

export function hasFileMagic(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== FILE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** A block: header (36 bytes) then payload. The CRC covers header bytes 0-31 and the payload. */
export function block(type: number, codec: number, payload: Uint8Array, rawLength: number, count: number, minTs = 0, maxTs = 0): Uint8Array {
  const out = new Uint8Array(BLOCK_HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  out[0] = 0x53; // 'S'
  out[1] = 0x42; // 'B'
  out[2] = type;
  out[3] = codec;
  writeU32(out, 4, payload.length);
  writeU32(out, 8, rawLength);
  writeU32(out, 12, count);
  view.setFloat64(16, Number.isFinite(minTs) ? minTs : 0, true);
  view.setFloat64(24, Number.isFinite(maxTs) ? maxTs : 0, true);
  out.set(payload, BLOCK_HEADER_SIZE);
  const crc = crc32(payload, 0, payload.length, crc32(out, 0, 32));
  writeU32(out, 32, crc);
  return out;
}

export function isBlockMarker(bytes: Uint8Array, offset: number): boolean {
  return bytes[offset] === 0x53 && bytes[offset + 1] === 0x42;
}

export function readBlockHeader(bytes: Uint8Array, offset: number): BlockHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, BLOCK_HEADER_SIZE);
  return {
    type: bytes[offset + 2],
    codec: bytes[offset + 3],
    payloadLength: readU32(bytes, offset + 4),
    rawLength: readU32(bytes, offset + 8),
    count: readU32(bytes, offset + 12),
    minTs: view.getFloat64(16, true),
    maxTs: view.getFloat64(24, true),
    crc: readU32(bytes, offset + 32),
  };
}

export function blockCrc(bytes: Uint8Array, offset: number, payloadLength: number): number {
  const payloadStart = offset + BLOCK_HEADER_SIZE;
  return crc32(bytes, payloadStart, payloadStart + payloadLength, crc32(bytes, offset, offset + 32));
}

export function trailer(indexOffset: number): Uint8Array {
  const out = new Uint8Array(TRAILER_SIZE);
  for (let i = 0; i < 8; i++) out[i] = TRAILER_MAGIC.charCodeAt(i);
  writeU64(out, 8, indexOffset);
  return out;
}

/** The index block's offset when the file ends with a trailer, else null. */
export function readTrailer(bytes: Uint8Array): number | null {
  if (bytes.length < FILE_HEADER_SIZE + TRAILER_SIZE) return null;
  const at = bytes.length - TRAILER_SIZE;
  for (let i = 0; i < 8; i++) if (bytes[at + i] !== TRAILER_MAGIC.charCodeAt(i)) return null;
  return readU64(bytes, at + 8);
}

export function blockTypeName(type: number): string {
  switch (type) {
    case BlockType.HEADER: return 'header';
    case BlockType.EVENTS: return 'events';
    case BlockType.PROCESSES: return 'processes';
    case BlockType.STATS: return 'stats';
    case BlockType.INDEX: return 'index';
    default: return `unknown (0x${type.toString(16)})`;
  }
}
