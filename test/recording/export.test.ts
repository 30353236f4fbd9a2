// Each exporter checked against its format: CSV parsed back with a strict
// RFC 4180 parser, the Perfetto trace checked for the structure the Perfetto
// UI's JSON importer needs (no npm package ships a Perfetto consumer without
// downloading a binary), NDJSON opened again as a recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessInfo, SigScopeEvent, SignalEvent } from '../../electron/common/events';
import { CSV_COLUMNS, exportRecording, type ExportFormat } from '../../electron/common/export';
import type { Recording } from '../../electron/common/recording/reader';
import { all, encode, open } from './helpers';
import { T0, killEvent, storm, task, variety } from './synthetic';

async function exported(recording: Recording, format: ExportFormat): Promise<string> {
  const parts: string[] = [];
  await exportRecording(recording, format, { write: (text) => void parts.push(text) });
  return parts.join('');
}

/** RFC 4180, strictly: CRLF records, quotes only around whole fields, "" inside them, same field count everywhere. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const fail = (what: string): never => assert.fail(`CSV at char ${i}: ${what}`);
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('a quote inside an unquoted field');
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') { i++; continue; }
    if (i >= text.length) fail('the last record must end with CRLF');
    if (text[i] !== '\r' || text[i + 1] !== '\n') fail('a bare CR or LF outside quotes');
    i += 2;
    rows.push(row);
    row = [];
    if (i === text.length) break;
  }
  for (const r of rows) if (r.length !== rows[0].length) assert.fail(`a record with ${r.length} fields, the header has ${rows[0].length}`);
  return rows;
}

function expectedCell(e: SigScopeEvent, column: string): string {
  const [head, member] = column.split('_');
  const record = e as unknown as Record<string, unknown>;
  const value = member ? (record[head] as Record<string, unknown> | null | undefined)?.[member] : record[column];
  return value === null || value === undefined ? '' : String(value);
}

test('CSV: a header row, one row per event, every field as recorded', async () => {
  const events = variety();
  const recording = await open(encode(events));
  const rows = parseCsv(await exported(recording, 'csv'));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, events.length + 1);
  events.forEach((e, n) => {
    CSV_COLUMNS.forEach((column, c) => assert.equal(rows[n + 1][c], expectedCell(e, column), `event ${n} (${e.type}), column ${column}`));
  });
  // The comm with a quote, a comma and a newline survived quoting.
  const odd = rows.find((r) => r[CSV_COLUMNS.indexOf('target_comm')] === '"quoted",comma\nline');
  assert.ok(odd);
});

interface TraceEvent {
  ph: string; name: string; cat?: string; ts: number; dur: number; pid: number; tid: number;
  bind_id?: number; flow_in?: boolean; flow_out?: boolean; args: Record<string, unknown>;
}

/** The structure the Perfetto JSON importer needs; returns the slices by bind_id and the track names. */
function checkPerfetto(text: string) {
  const trace = JSON.parse(text) as { traceEvents: TraceEvent[] };
  assert.ok(Array.isArray(trace.traceEvents));
  const names = new Map<number, string>();
  const slices: TraceEvent[] = [];
  for (const e of trace.traceEvents) {
    assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), 'integer pid and tid');
    if (e.ph === 'M') {
      assert.ok(e.name === 'process_name' || e.name === 'thread_name');
      assert.equal(typeof e.args.name, 'string');
      if (e.name === 'process_name') names.set(e.pid, e.args.name as string);
      continue;
    }
    assert.equal(e.ph, 'X', 'only complete slices and metadata');
    assert.equal(typeof e.name, 'string');
    assert.ok(Number.isFinite(e.ts) && e.ts >= 0, 'ts ≥ 0');
    assert.ok(Number.isFinite(e.dur) && e.dur >= 0, 'dur ≥ 0');
    assert.equal(typeof e.args, 'object');
    slices.push(e);
  }
  for (const s of slices) assert.ok(names.has(s.pid), `pid ${s.pid} has a process_name`);
  // Flows: each bind_id joins exactly one flow_out slice to one flow_in slice, not earlier.
  const flows = new Map<number, { out?: TraceEvent; in?: TraceEvent }>();
  for (const s of slices) {
    if (s.bind_id === undefined) continue;
    const f = flows.get(s.bind_id) ?? {};
    if (s.flow_out) { assert.ok(!f.out, `bind_id ${s.bind_id} starts once`); f.out = s; }
    if (s.flow_in) { assert.ok(!f.in, `bind_id ${s.bind_id} ends once`); f.in = s; }
    flows.set(s.bind_id, f);
  }
  for (const [id, f] of flows) {
    assert.ok(f.out && f.in, `flow ${id} has a start and an end`);
    assert.ok(f.out.ts <= f.in.ts);
  }
  // Slices on a track nest: each starts after the enclosing one and ends before it does.
  const byTrack = new Map<string, TraceEvent[]>();
  for (const s of slices) {
    const key = `${s.pid}/${s.tid}`;
    byTrack.set(key, [...(byTrack.get(key) ?? []), s]);
  }
  for (const [key, list] of byTrack) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack: TraceEvent[] = [];
    for (const s of list) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur < s.ts) stack.pop();
      const top = stack[stack.length - 1];
      if (top) assert.ok(s.ts + s.dur <= top.ts + top.dur, `track ${key}: ${s.name}@${s.ts} overlaps ${top.name}@${top.ts}+${top.dur}`);
      stack.push(s);
    }
    const lifespans = list.filter((s) => s.cat === 'process');
    assert.ok(lifespans.length <= 1, `track ${key} has one lifespan`);
    if (lifespans.length) for (const s of list) assert.ok(s.ts >= lifespans[0].ts && s.ts + s.dur <= lifespans[0].ts + lifespans[0].dur);
  }
  return { flows, names, slices };
}

test('Perfetto: a track per process named "comm pid", signals as slices joined by flows, lifespans', async () => {
  const events = variety();
  const recording = await open(encode(events));
  const { flows, names, slices } = checkPerfetto(await exported(recording, 'perfetto'));
  const signals = events.filter((e): e is SignalEvent => e.type === 'signal');
  assert.equal(flows.size, signals.filter((e) => e.target).length);
  // Every flow goes from the sender's track to the target's.
  const ordered = [...flows.values()];
  signals.filter((e) => e.target).forEach((e, i) => {
    const senderName = e.origin === 'kernel' ? 'kernel' : `${e.sender.comm} ${e.sender.pid}`;
    assert.equal(names.get(ordered[i].out!.pid), senderName);
    assert.equal(names.get(ordered[i].in!.pid), `${e.target!.comm} ${e.target!.pid}`);
    assert.equal(ordered[i].out!.name, e.signal);
  });
  assert.ok([...names.values()].includes('bash 1200'));
  assert.ok([...names.values()].includes('sleep 1300'));
  const sleep = slices.find((s) => s.cat === 'process' && s.args.pid === 1300)!;
  assert.equal(sleep.args.exit, 'killed by SIGTERM');
});

test('Perfetto: a reused pid gets a track of its own', async () => {
  const first = task(500, 'old', 1000);
  const second = task(500, 'new', 9000);
  const sender = task(1, 'init', 0);
  const recording = await open(encode([killEvent(T0, sender, first), killEvent(T0 + 10, sender, second)]));
  const { flows, names } = checkPerfetto(await exported(recording, 'perfetto'));
  const [a, b] = [...flows.values()];
  assert.notEqual(a.in!.pid, b.in!.pid);
  assert.equal(names.get(a.in!.pid), 'old 500');
  assert.equal(names.get(b.in!.pid), 'new 500');
});

test('Perfetto and CSV: a storm stays well-formed', async () => {
  const events = [...storm(20_000, 11)].flat();
  const recording = await open(encode(events));
  const { flows } = checkPerfetto(await exported(recording, 'perfetto'));
  assert.equal(flows.size, 20_000);
  assert.equal(parseCsv(await exported(recording, 'csv')).length, 20_001);
});

test('NDJSON: the JSON contract, header first, opens again as a recording with the same events', async () => {
  const events = variety();
  const info: ProcessInfo = { type: 'process-info', pid: 1200, start: 10_000, comm: 'bash', cmdline: ['bash'], exe: '/bin/bash', uid: 0, user: 'root', ppid: 1, cgroup: null, container: null, unit: null };
  const recording = await open(encode([info, ...events]));
  const text = await exported(recording, 'ndjson');
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].type, 'header');
  assert.equal(lines[0].format, 'sigscope-ndjson');
  assert.equal(lines[0].host, 'testhost');
  assert.deepEqual(lines[1], info);
  assert.deepEqual(lines.slice(2), events);
  const again = await open(Buffer.from(text));
  assert.equal(again.problem, null);
  assert.deepEqual(await all(again), events);
  assert.deepEqual(again.processes, [info]);
  assert.deepEqual(again.header.clock, recording.header.clock);
});
