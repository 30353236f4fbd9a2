// Recordings from SigScope 0.1 (`record` wrote NDJSON: a header line, then
// one JSON object per line). They open through the same Recording interface.
import type { SigScopeEvent } from '../events';
import { utf8 } from './bytes';
import { FORMAT_VERSION, type RecordingHeader } from './container';
import { RecordingError } from './errors';
import { StoredRecording, type BlockSource, type OpenOptions, type Recording, type RecordingNote } from './reader';
import { eventProblem } from './validate';

const BLOCK = 8192;

export async function openNdjsonRecording(bytes: Uint8Array, options: Pick<OpenOptions, 'onProgress' | 'onEvents'>): Promise<Recording> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const blocks: BlockSource[] = [];
  const notes: RecordingNote[] = [];
  let header: RecordingHeader | null = null;
  let problem: RecordingError | null = null;
  let current: SigScopeEvent[] = [];
  let events = 0;
  let startTs = Infinity;
  let endTs = -Infinity;
  let line = 0;
  let pos = 0;
  let blockMin = Infinity;
  let blockMax = -Infinity;
  const byteOffset = (index: number) => utf8(text.slice(0, index)).length;
  const fail = (at: number, expected: string, found?: string) => {
    const offset = byteOffset(at);
    return new RecordingError(
      `line ${line} (byte ${offset}): expected ${expected}${found ? `, found ${found}` : ''}.`, offset, expected, line,
    );
  };
  const closeBlock = () => {
    if (!current.length) return;
    const list = current;
    if (options.onEvents) options.onEvents(list, events - list.length);
    blocks.push({ offset: -1, firstEvent: events - list.length, count: list.length, minTs: blockMin, maxTs: blockMax, load: async () => list });
    current = [];
    blockMin = Infinity;
    blockMax = -Infinity;
  };

  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline < 0 ? text.length : newline;
    const start = pos;
    const content = text.slice(pos, end).trim();
    pos = end + 1;
    line++;
    if (!content) continue;
    try {
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch {
        throw fail(start, 'one JSON object per line', newline < 0 ? 'a line cut off at the end of the file' : 'text that is not JSON');
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(start, 'a JSON object');
      const record = value as Record<string, unknown>;
      if (header === null) {
        if (record.type !== 'header' || record.format !== 'sigscope-ndjson') {
          throw fail(start, 'the header line {"type":"header","format":"sigscope-ndjson",...}');
        }
        const started = typeof record.started === 'string' ? record.started : '';
        const { type: _type, ...fields } = record;
        header = {
          ...fields,
          format: 'sigscope-ndjson',
          formatVersion: typeof record.formatVersion === 'number' ? record.formatVersion : FORMAT_VERSION,
          sigscope: String(record.sigscope ?? ''),
          host: String(record.host ?? ''),
          kernel: String(record.kernel ?? ''),
          clock: (record.clock as RecordingHeader['clock']) ?? null,
          options: (record.options as RecordingHeader['options']) ?? {},
          started,
          startedTs: Date.parse(started) * 1000 || 0,
        };
        continue;
      }
      if (record.type === 'process-info' || record.type === 'stats') {
        notes.push({ at: events, kind: record.type, value: record } as unknown as RecordingNote);
        continue;
      }
      const problemText = eventProblem(record);
      if (problemText) throw fail(start, problemText);
      const e = record as unknown as SigScopeEvent;
      current.push(e);
      events++;
      if (e.ts < blockMin) blockMin = e.ts;
      if (e.ts > blockMax) blockMax = e.ts;
      if (e.ts < startTs) startTs = e.ts;
      if (e.ts > endTs) endTs = e.ts;
      if (current.length >= BLOCK) {
        closeBlock();
        if (options.onProgress) await options.onProgress({ bytesRead: byteOffset(pos), totalBytes: bytes.length, events });
      }
    } catch (error) {
      if (!(error instanceof RecordingError) || header === null) throw error;
      problem = error;
      break;
    }
  }
  closeBlock();
  if (header === null) throw new RecordingError('line 1 (byte 0): expected the header line, found the end of the file.', 0, 'the header line', 1);
  if (options.onProgress) await options.onProgress({ bytesRead: bytes.length, totalBytes: bytes.length, events });
  return new StoredRecording('sigscope-ndjson', header, blocks, notes, problem === null, problem, startTs, endTs);
}
