// Shared by the recording tests: write events to bytes in memory, open bytes.
import * as zlib from 'node:zlib';
import type { CaptureStats, ProcessInfo, SigScopeEvent } from '../../electron/common/events';
import { RecordingEncoder, type HeaderFields } from '../../electron/common/recording/encoder';
import { openRecording, type Recording } from '../../electron/common/recording/reader';
import { deflate, inflate } from '../../electron/node/recording/file';

export const HEADER: HeaderFields = {
  sigscope: '0.1.0', host: 'testhost', kernel: '6.18.0-test',
  clock: { bootNs: 1_000_000_000_000, realtimeNs: 1_760_000_000_000_000_000 },
  options: { signals: [10, 15], kernel: false }, syscallAttach: 'tracepoint',
  started: '2025-10-09T08:53:20.000Z', startedTs: 1_760_000_000_000_000,
};

export type Item = SigScopeEvent | ProcessInfo | CaptureStats;

/** Encodes events (and process-info / stats records) in order; `close` writes the footer. */
export function encode(items: Iterable<Item | Item[]>, options: { close?: boolean; blockEvents?: number } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const encoder = new RecordingEncoder(HEADER, { deflate, write: (b) => chunks.push(b.slice()), blockEvents: options.blockEvents });
  for (const entry of items) {
    for (const item of Array.isArray(entry) ? entry : [entry]) {
      if (item.type === 'process-info') encoder.addProcessInfo(item);
      else if (item.type === 'stats') encoder.addStats(item);
      else encoder.addEvents([item]);
    }
  }
  if (options.close ?? true) encoder.close();
  else encoder.flush();
  return Buffer.concat(chunks);
}

export function open(bytes: Uint8Array): Promise<Recording> {
  return openRecording(bytes, { inflate });
}

export async function all(recording: Recording): Promise<SigScopeEvent[]> {
  const out: SigScopeEvent[] = [];
  for await (const batch of recording.batches()) out.push(...batch);
  return out;
}

export { zlib };
