// `sigscope print` and `sigscope export`: read a recording file and write it
// out as text, to stdout or to a file.
import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import { TABLE_HEADER, formatRow } from '../../common/format';
import { exportRecording, type ExportFormat, type ExportSink } from '../../common/export';
import type { Recording } from '../../common/recording/reader';
import { openRecordingFile } from './file';

/** A sink on a stream that waits when the stream's buffer is full. */
export function streamSink(stream: Writable): ExportSink {
  return {
    write(text: string) {
      if (stream.write(text)) return;
      return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    },
  };
}

/** A sink on a file descriptor (synchronous writes: the fastest for big exports). */
export function fdSink(fd: number): ExportSink {
  return { write: (text: string) => void fs.writeSync(fd, text) };
}

/** How a recording ended, for stderr; `damaged` is false when it was only not closed (a crash or kill). */
export function describeProblem(recording: Recording): { message: string; damaged: boolean } | null {
  const problem = recording.problem;
  if (!problem) return null;
  const cutAtEnd = problem.expected === 'the index and trailer';
  return {
    message: cutAtEnd
      ? `note: the recording was not closed (the recorder stopped or crashed); all ${recording.eventCount} events it holds were read.`
      : `warning: the recording is damaged, ${problem.message} Only the ${recording.eventCount} events before it were read.`,
    damaged: !cutAtEnd,
  };
}

export interface PrintOptions {
  json: boolean;
  lifecycle: boolean;
}

/** Prints a recording the way `trace` prints live events. */
export async function printRecording(recording: Recording, options: PrintOptions, sink: ExportSink): Promise<number> {
  if (!options.json) await sink.write(`${TABLE_HEADER}\n`);
  let printed = 0;
  for await (const batch of recording.batches()) {
    let out = '';
    for (const e of batch) {
      if (e.type === 'process') continue;
      if (options.json) out += `${JSON.stringify(e)}\n`;
      else if (e.type === 'signal' || options.lifecycle) {
        const row = formatRow(e);
        if (row !== null) out += `${row}\n`;
      } else continue;
      printed++;
    }
    if (out) await sink.write(out);
  }
  return printed;
}

export async function printCommand(file: string, options: PrintOptions): Promise<number> {
  const recording = await openRecordingFile(file);
  await printRecording(recording, options, streamSink(process.stdout));
  const problem = describeProblem(recording);
  const signals = recording.eventCount;
  process.stderr.write(
    `sigscope: ${signals} events recorded on ${recording.header.host || '?'} (kernel ${recording.header.kernel || '?'}) from ${recording.header.started || '?'}` +
    `${recording.drops ? `; ${recording.drops} LOST while recording (ring buffer full)` : ''}\n`,
  );
  if (problem) process.stderr.write(`sigscope: ${problem.message}\n`);
  return problem?.damaged ? 1 : 0;
}

export async function exportCommand(file: string, format: ExportFormat, out: string): Promise<number> {
  const recording = await openRecordingFile(file);
  const problem = describeProblem(recording);
  if (problem) process.stderr.write(`sigscope: ${problem.message}\n`);
  const fd = out === '-' ? 1 : fs.openSync(out, 'w');
  try {
    const result = await exportRecording(recording, format, out === '-' ? streamSink(process.stdout) : fdSink(fd));
    process.stderr.write(`sigscope: exported ${result.events} events as ${format}${out === '-' ? '' : ` to ${out}`}\n`);
  } finally {
    if (out !== '-') fs.closeSync(fd);
  }
  return problem?.damaged ? 1 : 0;
}
