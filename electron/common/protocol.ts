// The helper's wire protocol on its stdin and stdout (docs/helper-protocol.md).
// A frame is a 4-byte little-endian length, then that many bytes: one type
// byte and the payload. JSON frames carry commands and messages; event frames
// carry whole batches of 128-byte kernel records, untouched.
import type { CaptureFilters, CaptureOptions, CaptureStats, ProcessInfo } from './events';
import type { ClockMapping } from './assemble';

export const PROTOCOL_VERSION = 1;
export const FRAME_JSON = 0x4a; // 'J'
export const FRAME_EVENTS = 0x45; // 'E'
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Commands are small; anything larger is refused before it is buffered. */
export const MAX_COMMAND_BYTES = 64 * 1024;

export type HelperCommand =
  | { id: number; command: 'start'; options: CaptureOptions }
  | { id: number; command: 'stop' }
  | { id: number; command: 'set-filters'; filters: CaptureFilters }
  | { id: number; command: 'stats' };

export type HelperMessage =
  | { type: 'hello'; protocol: number; version: string; pid: number }
  | { type: 'ok'; id: number }
  | { type: 'started'; id: number; syscallAttach: string; mountedTracefs: boolean; ringBytes: number;
      clock: ClockMapping; snapshotProcesses: number; capabilities: string[] }
  | { type: 'stopped'; stats: CaptureStats }
  | { type: 'error'; id: number | null; code: string; message: string; hint?: string }
  | ProcessInfo
  | CaptureStats;

export interface Frame {
  type: number;
  payload: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + payload.byteLength);
  new DataView(frame.buffer).setUint32(0, payload.byteLength + 1, true);
  frame[4] = type;
  frame.set(payload, 5);
  return frame;
}

export function encodeJson(message: unknown): Uint8Array {
  return encodeFrame(FRAME_JSON, encoder.encode(JSON.stringify(message)));
}

export function decodeJson(payload: Uint8Array): unknown {
  return JSON.parse(decoder.decode(payload));
}

export class FrameError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Splits a byte stream into frames; refuses a frame larger than maxBytes. */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private consumed = 0;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(4);
      const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
      if (length === 0 || length > this.maxBytes) {
        throw new FrameError(
          `Frame at byte ${this.consumed} declares ${length} bytes; a frame holds 1 to ${this.maxBytes}.`,
          this.consumed,
        );
      }
      if (this.buffered < 4 + length) break;
      const whole = this.take(4 + length);
      frames.push({ type: whole[4], payload: whole.subarray(5) });
    }
    return frames;
  }

  /** Forgets everything buffered: after a bad frame the stream cannot be trusted. */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
  }

  /** Bytes of an unfinished frame (at end of input they are a truncated frame). */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.byteLength >= n) return first.subarray(0, n);
    return this.concat().subarray(0, n);
  }

  private take(n: number): Uint8Array {
    let first = this.chunks[0];
    if (first.byteLength < n) first = this.concat();
    const out = first.subarray(0, n);
    if (first.byteLength === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    this.consumed += n;
    return out;
  }

  private concat(): Uint8Array {
    const all = new Uint8Array(this.buffered);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    this.chunks = [all];
    return all;
  }
}
