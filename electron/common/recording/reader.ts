// Opens a recording from its bytes: checks every block (CRC, inflate,
// decode), builds the index in memory, and keeps only the compressed blocks;
// events are decoded again, a block at a time, as they are read. A file cut
// off or damaged opens up to its last good block, with `problem` saying where
// and what was wrong.
import type { CaptureStats, ProcessInfo, SigScopeEvent } from '../events';
import { fromUtf8, readU32 } from './bytes';
import { decodeEventBlock } from './block';
import {
  BLOCK_HEADER_SIZE, BlockType, Codec, FILE_HEADER_SIZE, FORMAT_VERSION, MAX_BLOCK_EVENTS, MAX_PAYLOAD, MAX_RAW,
  TRAILER_SIZE, blockCrc, blockTypeName, hasFileMagic, isBlockMarker, readBlockHeader, readTrailer,
  type BlockInfo, type RecordingHeader, type RecordingIndex,
} from './container';
import { RecordingError } from './errors';
import { openNdjsonRecording } from './ndjson';

/** Inflates raw deflate (RFC 1951) to exactly `rawLength` bytes; may be async (DecompressionStream). */
export type Inflate = (payload: Uint8Array, rawLength: number) => Uint8Array | Promise<Uint8Array>;

export interface OpenProgress {
  bytesRead: number;
  totalBytes: number;
  events: number;
}

export interface OpenOptions {
  inflate: Inflate;
  /** Called after each block; when it returns a promise, opening waits for it (a chance to paint). */
  onProgress?: (progress: OpenProgress) => void | Promise<void>;
  /**
   * Every block's events as opening checks them, in order: a consumer that
   * wants them all (a session model, a replay) reads the file once instead
   * of opening it and then iterating.
   */
  onEvents?: (events: SigScopeEvent[], firstIndex: number) => void;
  /**
   * Check only each block's frame and CRC when opening, and decode events
   * blocks when they are read: opening a huge file then takes the time to
   * CRC it. Event counts and time ranges come from the block headers; damage
   * inside an events block that its CRC does not reveal (a hostile file)
   * is thrown as a RecordingError by the reading methods instead of being
   * reported in `problem`. onEvents is not called.
   */
  quick?: boolean;
}

/** Something that is not an event but was recorded between events. */
export type RecordingNote =
  | { at: number; kind: 'process-info'; value: ProcessInfo }
  | { at: number; kind: 'stats'; value: CaptureStats };

export interface Recording {
  readonly format: 'sigscope-recording' | 'sigscope-ndjson';
  readonly header: RecordingHeader;
  readonly eventCount: number;
  /** Smallest and largest event `ts` (µs since the epoch); NaN when there are no events. */
  readonly startTs: number;
  readonly endTs: number;
  /** process-info records in the order they came. */
  readonly processes: readonly ProcessInfo[];
  /** stats records in the order they came; the last one has the totals. */
  readonly stats: readonly CaptureStats[];
  /** Events the kernel could not hand over (ring buffer full), from the last stats record. */
  readonly drops: number;
  /** The recording was closed properly (it has its footer). */
  readonly complete: boolean;
  /** Where the file was damaged or cut off; everything before it was read. */
  readonly problem: RecordingError | null;
  readonly blocks: readonly BlockInfo[];
  /** Index of the first event with ts ≥ `ts` in a block whose events reach `ts` (eventCount when none). */
  seek(ts: number): Promise<number>;
  /** The events from index `from` (default 0) to `to` (exclusive, default all), a block at a time. */
  batches(from?: number, to?: number): AsyncIterable<SigScopeEvent[]>;
  /** The events from `from` to `to`, one at a time. */
  events(from?: number, to?: number): AsyncIterable<SigScopeEvent>;
  /** `count` events from index `from`. */
  readEvents(from: number, count: number): Promise<SigScopeEvent[]>;
  /** process-info and stats records with the event index they came before. */
  readonly notes: readonly RecordingNote[];
}

/** Where a block's events come from. */
export interface BlockSource extends BlockInfo {
  load(): Promise<SigScopeEvent[]>;
}

export async function openRecording(bytes: Uint8Array, options: OpenOptions): Promise<Recording> {
  if (hasFileMagic(bytes)) return openBinary(bytes, options);
  let first = 0;
  while (first < bytes.length && (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)) first++;
  if (bytes[first] === 0x7b) return openNdjsonRecording(bytes, options);
  throw new RecordingError(
    bytes.length === 0
      ? 'The file is empty: expected a SigScope recording.'
      : 'Not a SigScope recording: at byte 0, expected the magic "SIGSCOPE" (or an NDJSON header line from older versions).',
    0,
    'the magic "SIGSCOPE"',
  );
}

function fail(offset: number, what: string, found?: string): RecordingError {
  return new RecordingError(`at byte ${offset}: expected ${what}${found ? `, found ${found}` : ''}.`, offset, what);
}

async function openBinary(bytes: Uint8Array, options: OpenOptions): Promise<Recording> {
  if (bytes.length < FILE_HEADER_SIZE) throw fail(bytes.length, `a ${FILE_HEADER_SIZE}-byte file header`, `the file ends`);
  const version = readU32(bytes, 8);
  if (version !== FORMAT_VERSION) {
    throw fail(8, `format version ${FORMAT_VERSION}`, `version ${version} (written by a newer SigScope?)`);
  }
  const blocks: BlockSource[] = [];
  const notes: RecordingNote[] = [];
  let header: RecordingHeader | null = null;
  let problem: RecordingError | null = null;
  let complete = false;
  let events = 0;
  let startTs = Infinity;
  let endTs = -Infinity;
  let pos = FILE_HEADER_SIZE;
  const inflate = async (offset: number, type: number, codec: number, payload: Uint8Array, rawLength: number): Promise<Uint8Array> => {
    if (codec === Codec.STORED) {
      if (payload.length !== rawLength) throw fail(offset + 8, `a raw length equal to the stored length ${payload.length}`, String(rawLength));
      return payload;
    }
    let raw: Uint8Array;
    try {
      raw = await options.inflate(payload, rawLength);
    } catch (error) {
      throw fail(offset + BLOCK_HEADER_SIZE, `deflate data in the ${blockTypeName(type)} block at byte ${offset}`, (error as Error).message);
    }
    if (raw.length !== rawLength) {
      throw fail(offset + 8, `${rawLength} bytes once inflated for the ${blockTypeName(type)} block at byte ${offset}`, `${raw.length}`);
    }
    return raw;
  };

  while (pos < bytes.length) {
    const offset = pos;
    try {
      if (bytes.length - pos < BLOCK_HEADER_SIZE) {
        throw fail(pos, `a ${BLOCK_HEADER_SIZE}-byte block header`, `only ${bytes.length - pos} bytes (the file was cut off)`);
      }
      if (!isBlockMarker(bytes, pos)) throw fail(pos, 'a block marker "SB"', hex(bytes, pos, 2));
      const h = readBlockHeader(bytes, pos);
      if (h.codec !== Codec.STORED && h.codec !== Codec.DEFLATE_RAW) throw fail(pos + 3, 'codec 0 (stored) or 1 (deflate)', String(h.codec));
      if (h.payloadLength > MAX_PAYLOAD) throw fail(pos + 4, `a payload of at most ${MAX_PAYLOAD} bytes`, String(h.payloadLength));
      if (h.rawLength > MAX_RAW) throw fail(pos + 8, `an inflated size of at most ${MAX_RAW} bytes`, String(h.rawLength));
      const end = pos + BLOCK_HEADER_SIZE + h.payloadLength;
      if (end > bytes.length) {
        throw fail(pos, `a ${blockTypeName(h.type)} block of ${h.payloadLength} payload bytes`, `only ${bytes.length - pos - BLOCK_HEADER_SIZE} (the file was cut off)`);
      }
      const crc = blockCrc(bytes, pos, h.payloadLength);
      if (crc !== h.crc) throw fail(pos + 32, `the block's CRC-32 ${hex32(crc)}`, `${hex32(h.crc)} (the block is damaged)`);
      const payload = bytes.subarray(pos + BLOCK_HEADER_SIZE, end);
      if (header === null && h.type !== BlockType.HEADER) throw fail(pos + 2, 'the header block first', `a ${blockTypeName(h.type)} block`);
      switch (h.type) {
        case BlockType.HEADER: {
          if (header !== null) throw fail(pos + 2, 'one header block', 'a second one');
          const value = json(await inflate(offset, h.type, h.codec, payload, h.rawLength), offset, 'the header as a JSON object');
          if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(offset, 'the header as a JSON object');
          header = value as RecordingHeader;
          break;
        }
        case BlockType.EVENTS: {
          const where = `events block at byte ${offset}`;
          if (options.quick) {
            const { codec, rawLength, count, minTs: min, maxTs: max } = h;
            if (count > MAX_BLOCK_EVENTS || (count > 0 && !(min <= max))) {
              throw fail(pos + 12, `at most ${MAX_BLOCK_EVENTS} events and a time range`, `${count} events from ${min} to ${max}`);
            }
            blocks.push({
              offset, firstEvent: events, count, minTs: min, maxTs: max,
              load: async () => decodeEventBlock(await inflate(offset, BlockType.EVENTS, codec, payload, rawLength), where, count),
            });
            events += count;
            if (count && min < startTs) startTs = min;
            if (count && max > endTs) endTs = max;
            break;
          }
          const raw = await inflate(offset, h.type, h.codec, payload, h.rawLength);
          const decoded = withOffset(offset, () => decodeEventBlock(raw, where, h.count));
          let min = Infinity;
          let max = -Infinity;
          for (const e of decoded) {
            if (e.ts < min) min = e.ts;
            if (e.ts > max) max = e.ts;
          }
          const { codec, rawLength, count } = h;
          blocks.push({
            offset, firstEvent: events, count, minTs: min, maxTs: max,
            load: async () => decodeEventBlock(await inflate(offset, BlockType.EVENTS, codec, payload, rawLength), where, count),
          });
          if (options.onEvents) options.onEvents(decoded, events);
          events += count;
          if (min < startTs) startTs = min;
          if (max > endTs) endTs = max;
          break;
        }
        case BlockType.PROCESSES:
        case BlockType.STATS: {
          const kind = h.type === BlockType.PROCESSES ? 'process-info' : 'stats';
          const value = json(await inflate(offset, h.type, h.codec, payload, h.rawLength), offset, `a JSON array of ${kind} records`);
          if (!Array.isArray(value)) throw fail(offset, `a JSON array of ${kind} records`);
          for (const entry of value) {
            if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'number' ||
              typeof entry[1] !== 'object' || entry[1] === null || entry[1].type !== kind) {
              throw fail(offset, `[event index, ${kind} record] pairs`);
            }
            notes.push({ at: entry[0], kind, value: entry[1] } as RecordingNote);
          }
          break;
        }
        case BlockType.INDEX: {
          const value = json(await inflate(offset, h.type, h.codec, payload, h.rawLength), offset, 'the index as a JSON object') as RecordingIndex;
          if (typeof value !== 'object' || value === null || value.events !== events) {
            throw fail(offset, `an index of ${events} events`, String((value as RecordingIndex | null)?.events));
          }
          const indexOffset = readTrailer(bytes);
          if (end + TRAILER_SIZE !== bytes.length || indexOffset !== offset) {
            throw fail(end, `the ${TRAILER_SIZE}-byte trailer pointing at byte ${offset}, then the end of the file`);
          }
          complete = true;
          pos = bytes.length;
          continue;
        }
        default:
          throw fail(pos + 2, 'a block type H, E, P, S or I', hex(bytes, pos + 2, 1));
      }
      pos = end;
    } catch (error) {
      if (!(error instanceof RecordingError)) throw error;
      if (header === null) throw error;
      problem = error;
      break;
    }
    if (options.onProgress) await options.onProgress({ bytesRead: pos, totalBytes: bytes.length, events });
  }
  if (header === null) throw fail(pos, 'the header block', 'the end of the file');
  if (!complete && !problem) {
    problem = new RecordingError(
      `at byte ${bytes.length}: expected the index and trailer, found the end of the file (the recording was not closed: the recorder stopped or crashed). All ${events} events before it were read.`,
      bytes.length, 'the index and trailer',
    );
  }
  if (options.onProgress) await options.onProgress({ bytesRead: bytes.length, totalBytes: bytes.length, events });
  // By position; between the same two events, process-info before stats.
  notes.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'process-info' ? -1 : 1));
  return new StoredRecording('sigscope-recording', header, blocks, notes, complete, problem, startTs, endTs);
}

function withOffset<T>(offset: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RecordingError && error.offset < 0) error.offset = offset;
    throw error;
  }
}

function json(raw: Uint8Array, offset: number, what: string): unknown {
  try {
    return JSON.parse(fromUtf8(raw));
  } catch {
    throw fail(offset, what);
  }
}

function hex(bytes: Uint8Array, at: number, n: number): string {
  return Array.from(bytes.subarray(at, at + n), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** A recording whose events are in blocks loaded on demand. */
export class StoredRecording implements Recording {
  readonly processes: ProcessInfo[];
  readonly stats: CaptureStats[];
  readonly eventCount: number;
  readonly startTs: number;
  readonly endTs: number;
  /** Running maximum of maxTs, for binary search. */
  private readonly reach: number[];

  constructor(
    readonly format: 'sigscope-recording' | 'sigscope-ndjson',
    readonly header: RecordingHeader,
    readonly blocks: BlockSource[],
    readonly notes: RecordingNote[],
    readonly complete: boolean,
    readonly problem: RecordingError | null,
    startTs: number,
    endTs: number,
  ) {
    this.processes = notes.filter((n) => n.kind === 'process-info').map((n) => n.value as ProcessInfo);
    this.stats = notes.filter((n) => n.kind === 'stats').map((n) => n.value as CaptureStats);
    const last = blocks[blocks.length - 1];
    this.eventCount = last ? last.firstEvent + last.count : 0;
    this.startTs = this.eventCount ? startTs : NaN;
    this.endTs = this.eventCount ? endTs : NaN;
    let max = -Infinity;
    this.reach = blocks.map((b) => (max = Math.max(max, b.maxTs)));
  }

  get drops(): number {
    const last = this.stats[this.stats.length - 1];
    return typeof last?.drops === 'number' ? last.drops : 0;
  }

  async seek(ts: number): Promise<number> {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.reach[mid] >= ts) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.blocks.length) return this.eventCount;
    const block = this.blocks[lo];
    const events = await block.load();
    for (let i = 0; i < events.length; i++) if (events[i].ts >= ts) return block.firstEvent + i;
    return block.firstEvent + block.count;
  }

  async *batches(from = 0, to = this.eventCount): AsyncIterable<SigScopeEvent[]> {
    from = Math.max(0, from);
    to = Math.min(to, this.eventCount);
    for (const block of this.blocks) {
      const end = block.firstEvent + block.count;
      if (end <= from) continue;
      if (block.firstEvent >= to) break;
      const events = await block.load();
      const a = Math.max(0, from - block.firstEvent);
      const b = Math.min(block.count, to - block.firstEvent);
      yield a === 0 && b === block.count ? events : events.slice(a, b);
    }
  }

  async *events(from?: number, to?: number): AsyncIterable<SigScopeEvent> {
    for await (const batch of this.batches(from, to)) yield* batch;
  }

  async readEvents(from: number, count: number): Promise<SigScopeEvent[]> {
    const out: SigScopeEvent[] = [];
    for await (const batch of this.batches(from, from + count)) for (const e of batch) out.push(e);
    return out;
  }
}
