import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureStats, ProcessInfo, SigScopeEvent } from '../../electron/common/events';
import { RecordingFileWriter, openRecordingFile } from '../../electron/node/recording/file';
import { HEADER, all, encode, open } from './helpers';
import { T0, killEvent, storm, task, variety } from './synthetic';

const info = (pid: number, comm: string): ProcessInfo => ({
  type: 'process-info', pid, start: 10_000, comm, cmdline: [comm, '--flag'], exe: `/usr/bin/${comm}`,
  uid: 0, user: 'root', ppid: 1, cgroup: '0::/user.slice', container: null, unit: 'session-1.scope',
});
const stats = (events: number, drops: number): CaptureStats => ({
  type: 'stats', events, drops, dropsPerCpu: [drops, 0], batches: 3, bytes: events * 128,
});

test('every kind of event round-trips exactly, field order included', async () => {
  const events = variety();
  const recording = await open(encode(events));
  const back = await all(recording);
  assert.deepEqual(back, events);
  assert.deepEqual(back.map((e) => JSON.stringify(e)), events.map((e) => JSON.stringify(e)));
  assert.equal(recording.complete, true);
  assert.equal(recording.problem, null);
  assert.equal(recording.header.host, 'testhost');
  assert.equal(recording.header.format, 'sigscope-recording');
  assert.equal(recording.header.formatVersion, 1);
  assert.deepEqual(recording.header.clock, HEADER.clock);
  assert.equal(recording.startTs, T0 - 1_000_000);
});

test('a storm across many blocks round-trips, and seeking lands on the first event at or after a time', async () => {
  const events = [...storm(20_000, 7)].flat();
  const bytes = encode(events, { blockEvents: 1000 });
  assert.ok(bytes.length / events.length < 2, `${bytes.length / events.length} bytes per event`);
  const recording = await open(bytes);
  assert.equal(recording.eventCount, 20_000);
  assert.equal(recording.blocks.length, 20);
  assert.deepEqual(await all(recording), events);
  for (const i of [0, 1, 999, 1000, 1001, 12_345, 19_999]) {
    const at = await recording.seek(events[i].ts);
    assert.equal(events[at].ts, events[i].ts);
    assert.ok(at <= i && (at === 0 || events[at - 1].ts < events[i].ts));
  }
  assert.equal(await recording.seek(events[19_999].ts + 1), 20_000);
  assert.equal(await recording.seek(0), 0);
  assert.deepEqual(await recording.readEvents(995, 10), events.slice(995, 1005));
  const some: SigScopeEvent[] = [];
  for await (const e of recording.events(1500, 1503)) some.push(e);
  assert.deepEqual(some, events.slice(1500, 1503));
});

test('process-info and stats records come back in place, with the drop count', async () => {
  const a = killEvent(T0, task(1, 'a', 1), task(2, 'b', 2));
  const b = killEvent(T0 + 5, task(1, 'a', 1), task(2, 'b', 2));
  const recording = await open(encode([info(1, 'a'), a, stats(1, 0), info(2, 'b'), b, stats(2, 4)], { blockEvents: 1 }));
  assert.deepEqual(recording.processes.map((p) => p.comm), ['a', 'b']);
  assert.equal(recording.drops, 4);
  // Between the same two events, process-info records come before stats (docs/recording-format.md).
  assert.deepEqual(recording.notes.map((n) => [n.at, n.kind]), [[0, 'process-info'], [1, 'process-info'], [1, 'stats'], [2, 'stats']]);
  assert.deepEqual(recording.processes[0], info(1, 'a'));
});

test('an empty recording opens', async () => {
  const recording = await open(encode([]));
  assert.equal(recording.eventCount, 0);
  assert.ok(Number.isNaN(recording.startTs));
  assert.equal(await recording.seek(T0), 0);
  assert.deepEqual(await all(recording), []);
});

test('opening reports progress up to the whole file', async () => {
  const bytes = encode([...storm(5000)].flat(), { blockEvents: 500 });
  const seen: number[] = [];
  const { openRecording } = await import('../../electron/common/recording/reader');
  const { inflate } = await import('../../electron/node/recording/file');
  await openRecording(bytes, { inflate, onProgress: async (p) => { seen.push(p.bytesRead); assert.equal(p.totalBytes, bytes.length); } });
  assert.ok(seen.length >= 10);
  assert.equal(seen[seen.length - 1], bytes.length);
  assert.deepEqual([...seen].sort((x, y) => x - y), seen);
});

test('the file writer flushes within a second while recording, and closes with a footer', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-rec-'));
  const file = path.join(dir, 'r.sigscope');
  try {
    const writer = new RecordingFileWriter(file, HEADER, { flushMs: 200 });
    const events = [...storm(300)].flat();
    writer.addEvents(events.slice(0, 100));
    writer.addProcessInfo(info(31337, 'storm'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Still open: what is on disk opens, with the events written so far.
    const partial = await openRecordingFile(file);
    assert.equal(partial.complete, false);
    assert.match(partial.problem!.message, /not closed/);
    assert.deepEqual(await all(partial), events.slice(0, 100));
    assert.equal(partial.processes.length, 1);
    writer.addEvents(events.slice(100));
    writer.close();
    const whole = await openRecordingFile(file);
    assert.equal(whole.complete, true);
    assert.deepEqual(await all(whole), events);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('old NDJSON recordings still open', async () => {
  const events = variety();
  const lines = [
    JSON.stringify({ type: 'header', format: 'sigscope-ndjson', formatVersion: 1, sigscope: '0.1.0', host: 'old', kernel: 'k', clock: HEADER.clock, options: {}, started: '2025-10-09T08:53:20.000Z' }),
    JSON.stringify(info(1200, 'bash')),
    ...events.map((e) => JSON.stringify(e)),
    JSON.stringify(stats(18, 0)),
  ];
  const recording = await open(Buffer.from(`${lines.join('\n')}\n`));
  assert.equal(recording.format, 'sigscope-ndjson');
  assert.equal(recording.header.host, 'old');
  assert.equal(recording.problem, null);
  assert.deepEqual(await all(recording), events);
  assert.equal(recording.processes.length, 1);
  assert.equal(recording.stats.length, 1);
});

test('opens with the web platform\'s DecompressionStream too (the renderer has no node:zlib)', async () => {
  const { openRecording } = await import('../../electron/common/recording/reader');
  const { webInflate } = await import('../../electron/common/recording/webInflate');
  const events = [...variety(), ...[...storm(3000)].flat()];
  const progress: number[] = [];
  const seen: SigScopeEvent[] = [];
  const recording = await openRecording(encode(events, { blockEvents: 1000 }), {
    inflate: webInflate,
    onProgress: (p) => void progress.push(p.events),
    onEvents: (batch, first) => {
      assert.equal(first, seen.length);
      seen.push(...batch);
    },
  });
  assert.equal(recording.problem, null);
  assert.deepEqual(seen, events);
  assert.deepEqual(await all(recording), events);
  assert.ok(progress.length >= 4);
});

test('quick open: frames and CRCs only, events decoded as they are read', async () => {
  const { openRecording } = await import('../../electron/common/recording/reader');
  const { inflate } = await import('../../electron/node/recording/file');
  const events = [...variety(), ...[...storm(5000)].flat()];
  const recording = await openRecording(encode(events, { blockEvents: 1000 }), { inflate, quick: true });
  assert.equal(recording.eventCount, events.length);
  assert.equal(recording.complete, true);
  assert.equal(recording.startTs, Math.min(...events.map((e) => e.ts)));
  assert.deepEqual(await all(recording), events);
  assert.equal(events[await recording.seek(events[3000].ts)].ts, events[3000].ts);
});

test('the writer refuses what its reader would call damage', () => {
  assert.throws(() => encode([{ type: 'signal', ts: T0, time: 'x' } as unknown as SigScopeEvent]), /lacks a signal number and name/);
  assert.throws(() => encode([{ type: 'weird', ts: T0, time: 'x' } as unknown as SigScopeEvent]), /lacks an event type/);
});
