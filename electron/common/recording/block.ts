// The events block: events split into columns (a kind byte, then each field
// in its own column, integers as deltas from the column's previous value,
// strings as indexes into the block's dictionary), so that deflate sees long
// runs of alike bytes. A storm of identical kill()s is almost all zeros.
//
// Encoding and decoding are written out per event type rather than driven by
// the schema at run time: objects built with literal shapes and read with
// fixed property names are several times faster in V8 than keyed access.
// schema.ts is the description; the round-trip tests hold the two together.
import type {
  ExecEvent, ExitEvent, ForkEvent, ProcessSnapshotEvent, SigScopeEvent, SignalEvent, TaskRef,
} from '../events';
import { ByteReader, ByteWriter, fromUtf8, utf8 } from './bytes';
import { MAX_BLOCK_EVENTS } from './container';
import { RecordingError } from './errors';
import { COLUMNS, COLUMN_INDEX, MAX_INT, SCHEMAS, TYPE_FALLBACK } from './schema';
import { eventProblem } from './validate';

const C = (name: string): number => COLUMN_INDEX.get(name)!;
const KIND = C('kind'), TIME = C('time'), TS = C('ts'), SIG = C('sig'), SIGNAL = C('signal');
const ORIGIN = C('origin'), SYSCALL = C('syscall'), CODE = C('code'), CODE_NAME = C('codeName');
const ERRNO = C('errno'), RET = C('ret'), RESULT = C('result'), REQUESTED = C('requested');
const REQUESTED_TGID = C('requestedTgid'), SENDER_NS = C('senderNsPid'), TARGET_NS = C('targetNsPid');
const UID = C('uid'), GROUP = C('group'), PID = C('pid'), TID = C('tid'), COMM = C('comm'), START = C('start');
const PPID = C('ppid'), PARENT_START = C('parentStart'), PARENT_COMM = C('parentComm'), NS_PID = C('nsPid');
const FILENAME = C('filename'), TRUNCATED = C('truncated'), EXIT_CODE = C('exitCode');
const EXIT_SIGNAL = C('exitSignal'), EXIT_SIG = C('exitSig'), CORE = C('core');
const taskColumns = (name: string) => [C(name), C(`${name}.pid`), C(`${name}.tid`), C(`${name}.comm`), C(`${name}.start`)] as const;
const SENDER = taskColumns('sender'), TARGET = taskColumns('target'), CONTEXT = taskColumns('context');

const TYPE_CODE = new Map(SCHEMAS.map((schema, i) => [schema.type, i]));
const KEYS = SCHEMAS.map((schema) => schema.fields.map((field) => field.name));
const TASK_KEYS = ['pid', 'tid', 'comm', 'start'];

function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v <= MAX_INT && v >= -MAX_INT;
}
const isNint = (v: unknown) => v === null || isInt(v);
const isNstr = (v: unknown) => v === null || typeof v === 'string';

function hasKeys(e: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in e) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

function isTask(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !hasKeys(v, TASK_KEYS)) return false;
  const t = v as TaskRef;
  return isInt(t.pid) && isInt(t.tid) && typeof t.comm === 'string' && isInt(t.start);
}
const isNtask = (v: unknown) => v === null || isTask(v);

/** Whether the event has exactly its schema's fields, in order, each of its kind. */
function fits(e: SigScopeEvent, code: number): boolean {
  if (!hasKeys(e, KEYS[code]) || !isInt(e.ts) || typeof e.time !== 'string') return false;
  if (e.type === 'signal') {
    return isInt(e.sig) && typeof e.signal === 'string' && typeof e.origin === 'string' && isNstr(e.syscall) &&
      isNint(e.code) && isNstr(e.codeName) && isNstr(e.errno) && isNint(e.ret) && isNstr(e.result) &&
      isNint(e.requested) && isNint(e.requestedTgid) && isTask(e.sender) && isNtask(e.target) &&
      isNtask(e.context) && isNint(e.senderNsPid) && isNint(e.targetNsPid) && isNint(e.uid) &&
      typeof e.group === 'boolean';
  }
  if (!isInt(e.pid) || !isInt(e.tid) || typeof e.comm !== 'string' || !isInt(e.start) || !isInt(e.uid)) return false;
  switch (e.type) {
    case 'fork':
      return isInt(e.ppid) && isInt(e.parentStart) && typeof e.parentComm === 'string' && isNint(e.nsPid);
    case 'exec':
      return typeof e.filename === 'string' && typeof e.truncated === 'boolean';
    case 'exit':
      return isNint(e.exitCode) && isNstr(e.exitSignal) && isNint(e.exitSig) && typeof e.core === 'boolean';
    case 'process':
      return isInt(e.ppid) && isInt(e.parentStart) && isNint(e.nsPid);
  }
  return false;
}

export function isoTime(ts: number): string {
  return new Date(ts / 1000).toISOString();
}

/** Collects events into columns; encode() gives the block's uncompressed bytes. */
export class EventBlockEncoder {
  private readonly columns = COLUMNS.map(() => new ByteWriter(256));
  private readonly prev = new Float64Array(COLUMNS.length);
  private readonly dict = new Map<string, number>();
  private strings: string[] = [];
  private fallback: string[] = [];
  private lastMs = NaN;
  private lastTime = '';
  count = 0;
  minTs = Infinity;
  maxTs = -Infinity;
  /** Uncompressed bytes so far (an estimate). */
  size = 0;

  add(e: SigScopeEvent): void {
    if (typeof e !== 'object' || e === null) throw new TypeError('A recording stores only event objects.');
    const ts = e.ts;
    if (typeof ts === 'number' && Number.isFinite(ts)) {
      if (ts < this.minTs) this.minTs = ts;
      if (ts > this.maxTs) this.maxTs = ts;
    }
    this.count++;
    const code = TYPE_CODE.get(e.type);
    if (code === undefined || !fits(e, code)) {
      // Refused here rather than written into a file that its reader would call damaged.
      const problem = eventProblem(e);
      if (problem) throw new TypeError(`A recording stores events; this one lacks ${problem}.`);
      const json = JSON.stringify(e);
      if (json === undefined) throw new TypeError('An event must be JSON.');
      this.columns[KIND].byte(TYPE_FALLBACK);
      this.fallback.push(json);
      this.size += json.length;
      return;
    }
    this.columns[KIND].byte(code);
    this.time(e.time, ts);
    this.int(TS, ts);
    if (e.type === 'signal') {
      this.int(SIG, e.sig);
      this.str(SIGNAL, e.signal);
      this.str(ORIGIN, e.origin);
      this.nstr(SYSCALL, e.syscall);
      this.nint(CODE, e.code);
      this.nstr(CODE_NAME, e.codeName);
      this.nstr(ERRNO, e.errno);
      this.nint(RET, e.ret);
      this.nstr(RESULT, e.result);
      this.nint(REQUESTED, e.requested);
      this.nint(REQUESTED_TGID, e.requestedTgid);
      this.task(SENDER, e.sender, false);
      this.task(TARGET, e.target, true);
      this.task(CONTEXT, e.context, true);
      this.nint(SENDER_NS, e.senderNsPid);
      this.nint(TARGET_NS, e.targetNsPid);
      this.nint(UID, e.uid);
      this.bool(GROUP, e.group);
    } else {
      this.int(PID, e.pid);
      this.int(TID, e.tid);
      this.str(COMM, e.comm);
      this.int(START, e.start);
      this.int(UID, e.uid);
      switch (e.type) {
        case 'fork':
          this.int(PPID, e.ppid);
          this.int(PARENT_START, e.parentStart);
          this.str(PARENT_COMM, e.parentComm);
          this.nint(NS_PID, e.nsPid);
          break;
        case 'exec':
          this.str(FILENAME, e.filename);
          this.bool(TRUNCATED, e.truncated);
          break;
        case 'exit':
          this.nint(EXIT_CODE, e.exitCode);
          this.nstr(EXIT_SIGNAL, e.exitSignal);
          this.nint(EXIT_SIG, e.exitSig);
          this.bool(CORE, e.core);
          break;
        case 'process':
          this.int(PPID, e.ppid);
          this.int(PARENT_START, e.parentStart);
          this.nint(NS_PID, e.nsPid);
          break;
      }
    }
    this.size += 32;
  }

  private time(time: string, ts: number): void {
    const ms = Math.trunc(ts / 1000);
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTime = isoTime(ts);
    }
    if (time === this.lastTime) this.columns[TIME].byte(0);
    else this.columns[TIME].uvarint(this.intern(time) + 1);
  }

  private int(col: number, v: number): void {
    this.columns[col].svarint(v - this.prev[col]);
    this.prev[col] = v;
  }

  private nint(col: number, v: number | null): void {
    if (v === null) this.columns[col].byte(0);
    else {
      this.columns[col].byte(1);
      this.int(col, v);
    }
  }

  private str(col: number, s: string): void {
    this.columns[col].uvarint(this.intern(s));
  }

  private nstr(col: number, s: string | null): void {
    this.columns[col].uvarint(s === null ? 0 : this.intern(s) + 1);
  }

  private bool(col: number, v: boolean): void {
    this.columns[col].byte(v ? 1 : 0);
  }

  private task(cols: readonly number[], t: TaskRef | null, nullable: boolean): void {
    if (nullable) this.columns[cols[0]].byte(t === null ? 0 : 1);
    if (t === null) return;
    this.int(cols[1], t.pid);
    this.int(cols[2], t.tid);
    this.str(cols[3], t.comm);
    this.int(cols[4], t.start);
  }

  private intern(s: string): number {
    let i = this.dict.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.dict.set(s, i);
      this.size += s.length;
    }
    return i;
  }

  encode(): Uint8Array {
    const out = new ByteWriter(this.size + 256);
    out.uvarint(this.count);
    const dict = utf8(JSON.stringify(this.strings));
    out.uvarint(dict.length);
    out.append(dict);
    const fallback = utf8(this.fallback.length ? `[${this.fallback.join(',')}]` : '[]');
    out.uvarint(fallback.length);
    out.append(fallback);
    out.uvarint(this.columns.length);
    for (const column of this.columns) {
      out.uvarint(column.length);
      out.append(column.finish());
    }
    return out.finish();
  }

  reset(): void {
    for (const column of this.columns) column.reset();
    this.prev.fill(0);
    this.dict.clear();
    this.strings = [];
    this.fallback = [];
    this.lastMs = NaN;
    this.lastTime = '';
    this.count = 0;
    this.minTs = Infinity;
    this.maxTs = -Infinity;
    this.size = 0;
  }
}

function parseJsonArray(bytes: Uint8Array, reader: ByteReader, what: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch {
    reader.fail(`${what} as a JSON array`);
  }
  if (!Array.isArray(value)) reader.fail(`${what} as a JSON array`);
  return value as unknown[];
}

/** Reads one block's columns back; every read is bounds-checked and names its column on failure. */
class BlockDecoder {
  private readonly prev: Float64Array;
  private readonly lastTask: (TaskRef | undefined)[] = [];
  private lastMs = NaN;
  private lastTime = '';

  constructor(private readonly cols: ByteReader[], private readonly strings: string[]) {
    this.prev = new Float64Array(cols.length);
  }

  int(col: number): number {
    const v = this.prev[col] + this.cols[col].svarint('an integer');
    if (v > MAX_INT || v < -MAX_INT) this.cols[col].fail('an integer of at most 2^52');
    this.prev[col] = v;
    // As a small integer when it is one: V8 then stores it in the object, not as a boxed double.
    return (v | 0) === v ? v | 0 : v;
  }

  nint(col: number): number | null {
    const marker = this.cols[col].byte('a null marker');
    if (marker === 0) return null;
    if (marker !== 1) this.cols[col].fail(`a null marker 0 or 1, found ${marker}`);
    return this.int(col);
  }

  str(col: number): string {
    return this.lookup(col, this.cols[col].uvarint('a dictionary index'));
  }

  nstr(col: number): string | null {
    const v = this.cols[col].uvarint('a dictionary index');
    return v === 0 ? null : this.lookup(col, v - 1);
  }

  bool(col: number): boolean {
    const v = this.cols[col].byte('a boolean');
    if (v > 1) this.cols[col].fail(`a boolean 0 or 1, found ${v}`);
    return v === 1;
  }

  /**
   * Consecutive events with the same sender (or target, or context) share
   * one TaskRef object: a storm of a million events then holds two, not two
   * million. Events read from a recording are to be treated as read-only.
   */
  task(cols: readonly number[]): TaskRef {
    const pid = this.int(cols[1]), tid = this.int(cols[2]), comm = this.str(cols[3]), start = this.int(cols[4]);
    const last = this.lastTask[cols[0]];
    if (last !== undefined && last.pid === pid && last.tid === tid && last.comm === comm && last.start === start) return last;
    return (this.lastTask[cols[0]] = { pid, tid, comm, start });
  }

  ntask(cols: readonly number[]): TaskRef | null {
    return this.bool(cols[0]) ? this.task(cols) : null;
  }

  /** The stored time, or '' when it is to be derived from ts (see time()). */
  timeCode(): number {
    return this.cols[TIME].uvarint('a time');
  }

  time(code: number, ts: number): string {
    if (code !== 0) return this.lookup(TIME, code - 1);
    const ms = Math.trunc(ts / 1000);
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTime = isoTime(ts);
    }
    return this.lastTime;
  }

  private lookup(col: number, index: number): string {
    if (index >= this.strings.length) this.cols[col].fail(`a dictionary index below ${this.strings.length}, found ${index}`);
    return this.strings[index];
  }

  signal(): SignalEvent {
    const timeCode = this.timeCode();
    const ts = this.int(TS);
    return {
      type: 'signal', time: this.time(timeCode, ts), ts, sig: this.int(SIG), signal: this.str(SIGNAL),
      origin: this.str(ORIGIN) as SignalEvent['origin'], syscall: this.nstr(SYSCALL) as SignalEvent['syscall'],
      code: this.nint(CODE), codeName: this.nstr(CODE_NAME), errno: this.nstr(ERRNO), ret: this.nint(RET),
      result: this.nstr(RESULT) as SignalEvent['result'], requested: this.nint(REQUESTED),
      requestedTgid: this.nint(REQUESTED_TGID), sender: this.task(SENDER), target: this.ntask(TARGET),
      context: this.ntask(CONTEXT), senderNsPid: this.nint(SENDER_NS), targetNsPid: this.nint(TARGET_NS),
      uid: this.nint(UID), group: this.bool(GROUP),
    };
  }

  lifecycle(code: number): SigScopeEvent {
    const timeCode = this.timeCode();
    const ts = this.int(TS);
    const time = this.time(timeCode, ts);
    const pid = this.int(PID), tid = this.int(TID), comm = this.str(COMM), start = this.int(START), uid = this.int(UID);
    switch (SCHEMAS[code].type) {
      case 'fork':
        return {
          time, ts, pid, tid, comm, start, uid, type: 'fork', ppid: this.int(PPID), parentStart: this.int(PARENT_START),
          parentComm: this.str(PARENT_COMM), nsPid: this.nint(NS_PID),
        } satisfies ForkEvent;
      case 'exec':
        return {
          time, ts, pid, tid, comm, start, uid, type: 'exec', filename: this.str(FILENAME), truncated: this.bool(TRUNCATED),
        } satisfies ExecEvent;
      case 'exit':
        return {
          time, ts, pid, tid, comm, start, uid, type: 'exit', exitCode: this.nint(EXIT_CODE),
          exitSignal: this.nstr(EXIT_SIGNAL), exitSig: this.nint(EXIT_SIG), core: this.bool(CORE),
        } satisfies ExitEvent;
      default:
        return {
          time, ts, pid, tid, comm, start, uid, type: 'process', ppid: this.int(PPID),
          parentStart: this.int(PARENT_START), nsPid: this.nint(NS_PID),
        } satisfies ProcessSnapshotEvent;
    }
  }
}

/**
 * Decodes a block's uncompressed bytes into events. `where` names the block
 * in errors ("events block at byte 1234"). Throws RecordingError on anything
 * that does not add up; never reads outside `raw`.
 */
export function decodeEventBlock(raw: Uint8Array, where: string, expectedCount?: number): SigScopeEvent[] {
  const head = new ByteReader(raw, 0, raw.length, where);
  const count = head.uvarint('the event count');
  if (expectedCount !== undefined && count !== expectedCount) {
    head.fail(`${expectedCount} events as the block header says, found ${count}`);
  }
  if (count > MAX_BLOCK_EVENTS) head.fail(`at most ${MAX_BLOCK_EVENTS} events in a block, found ${count}`);
  const strings = parseJsonArray(head.slice(head.uvarint('the dictionary length'), 'the dictionary'), head, 'the dictionary');
  for (const s of strings) if (typeof s !== 'string') head.fail('only strings in the dictionary');
  const fallback = parseJsonArray(head.slice(head.uvarint('the JSON events length'), 'the JSON events'), head, 'the JSON events');
  const columnCount = head.uvarint('the column count');
  if (columnCount !== COLUMNS.length) head.fail(`${COLUMNS.length} columns, found ${columnCount}`);
  const cols: ByteReader[] = [];
  for (let i = 0; i < columnCount; i++) {
    const length = head.uvarint(`the length of column '${COLUMNS[i]}'`);
    const start = head.pos;
    head.slice(length, `column '${COLUMNS[i]}'`);
    cols.push(new ByteReader(raw, start, start + length, `${where}, column '${COLUMNS[i]}'`));
  }
  if (head.pos !== raw.length) head.fail(`the end of the block, found ${raw.length - head.pos} more bytes`);
  // One kind byte per event: checked before anything is allocated for the events.
  if (cols[KIND].end - cols[KIND].pos !== count) head.fail(`${count} bytes in column 'kind', one per event, found ${cols[KIND].end - cols[KIND].pos}`);

  const decoder = new BlockDecoder(cols, strings as string[]);
  const kinds = cols[KIND];
  const events: SigScopeEvent[] = new Array(count);
  let nextFallback = 0;
  for (let n = 0; n < count; n++) {
    const code = kinds.byte('an event kind');
    if (code === 0) {
      events[n] = decoder.signal();
    } else if (code < TYPE_FALLBACK) {
      events[n] = decoder.lifecycle(code);
    } else if (code === TYPE_FALLBACK) {
      if (nextFallback >= fallback.length) kinds.fail(`at most ${fallback.length} JSON events`);
      const e = fallback[nextFallback++];
      const problem = eventProblem(e);
      if (problem) kinds.fail(`JSON event ${nextFallback - 1} to have ${problem}`);
      events[n] = e as SigScopeEvent;
    } else {
      kinds.fail(`an event kind from 0 to ${TYPE_FALLBACK}, found ${code}`);
    }
  }
  for (let i = 0; i < columnCount; i++) {
    if (cols[i].pos !== cols[i].end) cols[i].fail(`the end of the column after ${count} events, found ${cols[i].end - cols[i].pos} more bytes`);
  }
  if (nextFallback !== fallback.length) kinds.fail(`${fallback.length} JSON events to be used, ${nextFallback} were`);
  return events;
}

export { RecordingError };
