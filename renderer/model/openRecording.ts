// Opens a recording file's bytes in the page: the same code for a file
// chosen in the page, dropped on the window, or handed over by the desktop
// app's File → Open Recording…. Reads SigScope recordings and the older NDJSON
// ones through the recording API, and plain JSON Lines (trace --json output)
// through the old loader. A damaged file opens up to the damage.
import type { SigScopeEvent } from '../../electron/common/events';
import { RecordingError, openRecording, webInflate } from '../../electron/common/recording';
import { actions, useApp } from '../store';
import { parseJsonLines } from './recordingFile';

/** Lets the progress bar paint: opening waits for a frame at most every 50 ms. */
function paintSoon(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

export async function openRecordingInPage(name: string, bytes: Uint8Array): Promise<void> {
  useApp.setState({ opening: { name, fraction: 0, events: 0 }, notice: null });
  await paintSoon();
  const events: SigScopeEvent[] = [];
  let lastPaint = performance.now();
  try {
    let recording;
    try {
      recording = await openRecording(bytes, {
        inflate: webInflate,
        onEvents: (batch) => {
          for (const e of batch) events.push(e);
        },
        onProgress: ({ bytesRead, totalBytes, events: n }) => {
          useApp.setState({ opening: { name, fraction: totalBytes ? bytesRead / totalBytes : 1, events: n } });
          const now = performance.now();
          if (now - lastPaint < 50) return;
          lastPaint = now;
          return paintSoon();
        },
      });
    } catch (err) {
      // JSON Lines without a header (trace --json): the old loader still reads them.
      if (err instanceof RecordingError && err.line === 1 && /header line/.test(err.expected)) return openJsonLines(name, bytes);
      throw err;
    }
    if (events.length === 0 && recording.processes.length === 0) {
      actions.notify(`Could not open ${name}: ${recording.problem ? recording.problem.message : 'it holds no events.'}`, 'error');
      return;
    }
    actions.loadRecording({ name, events, infos: [...recording.processes] }, 'recording');
    const problem = recording.problem;
    if (problem && problem.expected === 'the index and trailer') {
      actions.notify(`${name} was not closed (the recorder stopped or crashed); all ${events.length} events it holds are shown.`);
    } else if (problem) {
      actions.notify(`${name} is damaged: ${problem.message} The ${events.length} events before the damage are shown.`, 'error');
    }
  } catch (err) {
    actions.notify(`Could not open ${name}: ${(err as Error).message}`, 'error');
  } finally {
    useApp.setState({ opening: null });
  }
}

function openJsonLines(name: string, bytes: Uint8Array): void {
  const rec = parseJsonLines(name, new TextDecoder().decode(bytes));
  if (rec.events.length === 0 && rec.infos.length === 0) {
    actions.notify(`Could not open ${name}: ${rec.error ?? 'no events'}.`, 'error');
    return;
  }
  actions.loadRecording(rec, 'recording');
  if (rec.error) actions.notify(`${name} is damaged at ${rec.error}; the ${rec.events.length} events before it are shown.`, 'error');
}

export async function openRecordingFile(file: File): Promise<void> {
  await openRecordingInPage(file.name, new Uint8Array(await file.arrayBuffer()));
}
