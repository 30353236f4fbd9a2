// Recordings on disk, for Node (CLI, Electron main, browser-mode server):
// node:zlib for compression, fs for the file. The writer appends whole blocks
// as they complete and flushes what it holds at least once a second, so a
// crash loses at most the last second.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import type { CaptureStats, ProcessInfo, SigScopeEvent } from '../../common/events';
import { RecordingEncoder, type HeaderFields } from '../../common/recording/encoder';
import { openRecording, type OpenOptions, type Recording } from '../../common/recording/reader';

export function deflate(raw: Uint8Array): Uint8Array {
  return zlib.deflateRawSync(raw, { level: 6 });
}

export function inflate(payload: Uint8Array, rawLength: number): Uint8Array {
  // maxOutputLength: a hostile block can't make us allocate more than it declared.
  return zlib.inflateRawSync(payload, { maxOutputLength: Math.max(rawLength, 1) });
}

export interface WriterOptions {
  /** How often buffered events are written out, in ms (default 1000). */
  flushMs?: number;
  /** Events per block (default 8192). */
  blockEvents?: number;
  /** fdatasync after each timed flush (default true): survives a power cut, not only a crash. */
  sync?: boolean;
}

export class RecordingFileWriter {
  private readonly fd: number;
  private readonly encoder: RecordingEncoder;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly sync: boolean;
  private closed = false;
  bytesWritten = 0;

  constructor(readonly path: string, header: HeaderFields, options: WriterOptions = {}) {
    this.fd = fs.openSync(path, 'w');
    this.sync = options.sync ?? true;
    this.encoder = new RecordingEncoder(header, {
      deflate,
      write: (bytes) => {
        let done = 0;
        while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
        this.bytesWritten += bytes.length;
      },
      blockEvents: options.blockEvents,
    });
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  get eventCount(): number {
    return this.encoder.eventCount;
  }

  addEvents(events: readonly SigScopeEvent[]): void {
    this.encoder.addEvents(events);
  }

  addProcessInfo(info: ProcessInfo): void {
    this.encoder.addProcessInfo(info);
  }

  addStats(stats: CaptureStats): void {
    this.encoder.addStats(stats);
  }

  /** Writes what is buffered as complete blocks. */
  flush(): void {
    if (this.closed || !this.encoder.pending) return;
    this.encoder.flush();
    if (this.sync) fs.fdatasyncSync(this.fd);
  }

  /** Flushes, writes the index footer and closes the file. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.encoder.close();
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

/** Opens a recording file (this format or the older NDJSON one). */
export async function openRecordingFile(path: string, options: Omit<OpenOptions, 'inflate'> = {}): Promise<Recording> {
  const bytes = await fs.promises.readFile(path);
  return openRecording(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, inflate });
}
