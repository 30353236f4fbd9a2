// Writes a recording as a stream of bytes: pure, with the compressor passed
// in (node:zlib on the Node side). Every call that completes a block hands
// its bytes to `write` at once, so what is on disk is always whole blocks
// plus, at worst, one block cut off by a crash.
import type { CaptureStats, ProcessInfo, SigScopeEvent } from '../events';
import { utf8 } from './bytes';
import { EventBlockEncoder } from './block';
import {
  BlockType, Codec, FORMAT_NAME, MAX_BLOCK_EVENTS, FORMAT_VERSION, block, fileHeader, trailer,
  type RecordingHeader, type RecordingIndex,
} from './container';

/** Compresses with raw deflate (RFC 1951). */
export type Deflate = (raw: Uint8Array) => Uint8Array;

export interface EncoderOptions {
  deflate: Deflate;
  /** Where the bytes go, in order. */
  write: (bytes: Uint8Array) => void;
  /** Events per block (default 8192). */
  blockEvents?: number;
}

/** The header's fields but the format name and version, which the encoder sets. */
export interface HeaderFields {
  sigscope: string;
  host: string;
  kernel: string;
  clock: RecordingHeader['clock'];
  options: RecordingHeader['options'];
  started: string;
  startedTs: number;
  [field: string]: unknown;
}

export class RecordingEncoder {
  private readonly deflate: Deflate;
  private readonly write: (bytes: Uint8Array) => void;
  private readonly blockEvents: number;
  private readonly events = new EventBlockEncoder();
  private processes: [number, ProcessInfo][] = [];
  private stats: [number, CaptureStats][] = [];
  private readonly index: RecordingIndex['blocks'] = [];
  private offset = 0;
  private closed = false;
  /** Events written so far (in blocks or pending). */
  eventCount = 0;

  constructor(header: HeaderFields, options: EncoderOptions) {
    this.deflate = options.deflate;
    this.write = options.write;
    this.blockEvents = Math.min(options.blockEvents ?? 8192, MAX_BLOCK_EVENTS);
    this.emit(fileHeader());
    const full: RecordingHeader = { format: FORMAT_NAME, formatVersion: FORMAT_VERSION, ...header };
    this.emitBlock(BlockType.HEADER, utf8(JSON.stringify(full)), 0);
  }

  addEvents(events: readonly SigScopeEvent[]): void {
    this.assertOpen();
    for (const event of events) {
      this.events.add(event);
      this.eventCount++;
      if (this.events.count >= this.blockEvents) this.flushEvents();
    }
  }

  addProcessInfo(info: ProcessInfo): void {
    this.assertOpen();
    this.processes.push([this.eventCount, info]);
  }

  addStats(stats: CaptureStats): void {
    this.assertOpen();
    this.stats.push([this.eventCount, stats]);
  }

  /** Whether anything waits to be written. */
  get pending(): boolean {
    return this.events.count > 0 || this.processes.length > 0 || this.stats.length > 0;
  }

  /** Writes whatever is buffered as complete blocks. */
  flush(): void {
    if (this.processes.length) {
      this.emitBlock(BlockType.PROCESSES, utf8(JSON.stringify(this.processes)), this.processes.length);
      this.processes = [];
    }
    if (this.stats.length) {
      this.emitBlock(BlockType.STATS, utf8(JSON.stringify(this.stats)), this.stats.length);
      this.stats = [];
    }
    if (this.events.count) this.flushEvents();
  }

  /** Flushes and writes the footer: the index block and the trailer. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const indexOffset = this.offset;
    const index: RecordingIndex = { events: this.eventCount, blocks: this.index, ended: new Date().toISOString() };
    this.emitBlock(BlockType.INDEX, utf8(JSON.stringify(index)), this.index.length);
    this.emit(trailer(indexOffset));
  }

  private flushEvents(): void {
    const e = this.events;
    // Pending process-info and stats go first: their entries say after which event they came.
    if (this.processes.length || this.stats.length) {
      const count = e.count;
      e.count = 0;
      this.flush();
      e.count = count;
    }
    this.index.push([this.offset, this.eventCount - e.count, e.count, e.minTs, e.maxTs]);
    this.emitBlock(BlockType.EVENTS, e.encode(), e.count, e.minTs, e.maxTs);
    e.reset();
  }

  private emitBlock(type: number, raw: Uint8Array, count: number, minTs = 0, maxTs = 0): void {
    const compressed = this.deflate(raw);
    const stored = compressed.length >= raw.length;
    this.emit(block(type, stored ? Codec.STORED : Codec.DEFLATE_RAW, stored ? raw : compressed, raw.length, count, minTs, maxTs));
  }

  private emit(bytes: Uint8Array): void {
    this.write(bytes);
    this.offset += bytes.length;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The recording is closed.');
  }
}
