// NDJSON: the JSON contract of docs/json.md, one object per line, as
// SigScope 0.1's `record` wrote it: a header line, then events, process-info
// and stats records in the order they came. SigScope opens these files too.
import type { Recording } from '../recording/reader';
import type { ExportResult, ExportSink } from './sink';

export async function exportNdjson(recording: Recording, sink: ExportSink): Promise<ExportResult> {
  const { format: _format, formatVersion: _version, ...fields } = recording.header;
  await sink.write(`${JSON.stringify({ type: 'header', format: 'sigscope-ndjson', formatVersion: 1, ...fields })}\n`);
  const notes = recording.notes;
  let next = 0;
  let index = 0;
  for await (const batch of recording.batches()) {
    let text = '';
    for (const e of batch) {
      while (next < notes.length && notes[next].at <= index) text += `${JSON.stringify(notes[next++].value)}\n`;
      text += `${JSON.stringify(e)}\n`;
      index++;
    }
    await sink.write(text);
  }
  let tail = '';
  while (next < notes.length) tail += `${JSON.stringify(notes[next++].value)}\n`;
  if (tail) await sink.write(tail);
  return { events: index };
}
