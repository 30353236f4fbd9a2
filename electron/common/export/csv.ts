// CSV (RFC 4180): a header row, one row per event, CRLF line ends, fields
// quoted when they hold a comma, a quote, CR or LF. Signals and lifecycle
// events share one table: a column that does not apply to a row is empty,
// and so is a null.
import type { SigScopeEvent, SignalEvent, TaskRef } from '../events';
import type { Recording } from '../recording/reader';
import type { ExportResult, ExportSink } from './sink';

export const CSV_COLUMNS = [
  'time', 'ts', 'type', 'signal', 'sig', 'origin', 'syscall', 'code', 'codeName', 'errno', 'ret', 'result',
  'requested', 'requestedTgid',
  'sender_pid', 'sender_tid', 'sender_comm', 'sender_start',
  'target_pid', 'target_tid', 'target_comm', 'target_start',
  'context_pid', 'context_tid', 'context_comm', 'context_start',
  'senderNsPid', 'targetNsPid', 'uid', 'group',
  'pid', 'tid', 'comm', 'start', 'ppid', 'parentStart', 'parentComm', 'nsPid',
  'filename', 'truncated', 'exitCode', 'exitSignal', 'exitSig', 'core',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return csvField(JSON.stringify(value));
}

/**
 * A name a process chose for itself (comm, program path). A spreadsheet reads
 * a cell starting with = + - @ as a formula, so such a name is written with a
 * leading apostrophe, as OWASP advises against CSV injection.
 */
export function csvName(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

function task(t: TaskRef | null | undefined): string {
  return t ? `${t.pid},${t.tid},${csvName(t.comm)},${t.start}` : ',,,';
}

const f = csvField;
const SIGNAL_TAIL = ','.repeat(14); // pid … core
const LIFECYCLE_GAP = ','.repeat(25); // signal … targetNsPid

export function csvRow(e: SigScopeEvent): string {
  if (e.type === 'signal') return `${f(e.time)},${e.ts}${signalTail(e)}`;
  return lifecycleRow(e);
}

/** A signal row from its type column on. */
function signalTail(e: SignalEvent): string {
  return `,signal,${f(e.signal)},${e.sig},${f(e.origin)},${f(e.syscall)},${f(e.code)},${f(e.codeName)},` +
    `${f(e.errno)},${f(e.ret)},${f(e.result)},${f(e.requested)},${f(e.requestedTgid)},${task(e.sender)},${task(e.target)},` +
    `${task(e.context)},${f(e.senderNsPid)},${f(e.targetNsPid)},${f(e.uid)},${e.group}${SIGNAL_TAIL}`;
}

function lifecycleRow(e: Exclude<SigScopeEvent, SignalEvent>): string {
  const head = `${f(e.time)},${e.ts},${f(e.type)}${LIFECYCLE_GAP}`;
  const uidAndBase = `,${f(e.uid)},,${e.pid},${e.tid},${csvName(e.comm)},${e.start}`;
  switch (e.type) {
    case 'fork':
      return `${head}${uidAndBase},${e.ppid},${e.parentStart},${csvName(e.parentComm)},${f(e.nsPid)},,,,,,`;
    case 'process':
      return `${head}${uidAndBase},${e.ppid},${e.parentStart},,${f(e.nsPid)},,,,,,`;
    case 'exec':
      return `${head}${uidAndBase},,,,,${csvName(e.filename)},${e.truncated},,,,`;
    case 'exit':
      return `${head}${uidAndBase},,,,,,,${f(e.exitCode)},${f(e.exitSignal)},${f(e.exitSig)},${e.core}`;
    default:
      return `${head}${uidAndBase},,,,,,,,,,`;
  }
}

const sameTask = (a: TaskRef | null | undefined, b: TaskRef | null | undefined): boolean =>
  a === b || (a != null && b != null && a.pid === b.pid && a.tid === b.tid && a.comm === b.comm && a.start === b.start);

/** Everything of a signal row but time and ts, when it is the same as the previous row's. */
function sameTail(a: SignalEvent, b: SignalEvent): boolean {
  return a.sig === b.sig && a.signal === b.signal && a.origin === b.origin && a.syscall === b.syscall &&
    a.code === b.code && a.codeName === b.codeName && a.errno === b.errno && a.ret === b.ret && a.result === b.result &&
    a.requested === b.requested && a.requestedTgid === b.requestedTgid && sameTask(a.sender, b.sender) &&
    sameTask(a.target, b.target) && sameTask(a.context, b.context) && a.senderNsPid === b.senderNsPid &&
    a.targetNsPid === b.targetNsPid && a.uid === b.uid && a.group === b.group;
}

export async function exportCsv(recording: Recording, sink: ExportSink): Promise<ExportResult> {
  await sink.write(`${CSV_COLUMNS.join(',')}\r\n`);
  let events = 0;
  // A storm repeats every field but the time: render the rest once.
  let last: SignalEvent | null = null;
  let lastTail = '';
  for await (const batch of recording.batches()) {
    let text = '';
    for (const e of batch) {
      if (e.type !== 'signal') {
        text += `${csvRow(e)}\r\n`;
        continue;
      }
      if (last === null || !sameTail(e, last)) {
        lastTail = signalTail(e);
        last = e;
      }
      text += `${f(e.time)},${e.ts}${lastTail}\r\n`;
    }
    events += batch.length;
    await sink.write(text);
  }
  return { events };
}
