// The session recorder: every capture the app makes is written to a file as
// events arrive, flushed at least once a second, closed when capture stops,
// and can be saved elsewhere while it runs. Driven through the capture
// service with a fake helper, so no privileges are needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureStatus } from '../electron/common/bridge';
import type { CaptureStats, ProcessInfo } from '../electron/common/events';
import { CaptureService, type CaptureSource } from '../electron/node/captureService';
import { openRecordingFile } from '../electron/node/recording/file';
import { SessionRecorder, defaultRecordingsDir, sessionFileName } from '../electron/node/sessionRecorder';
import { T0, killEvent, task, variety } from './recording/synthetic';

class FakeHelper extends EventEmitter implements CaptureSource {
  launcher = 'direct';
  async start(): Promise<void> {
    // What HelperClient does: 'started' (with the clock) before start resolves.
    this.emit('started', { clock: { bootNs: 1_000, realtimeNs: 1_760_000_000_000_000_000 }, syscallAttach: 'tracepoint' });
  }
  async stop(): Promise<void> {}
  async setFilters(): Promise<void> {}
  async close(): Promise<void> {}
}

const stats = (events: number, drops: number): CaptureStats => ({ type: 'stats', events, drops, batches: 1, filtered: 0 }) as unknown as CaptureStats;
const info = (pid: number): ProcessInfo => ({ type: 'process-info', pid, start: 10_000, cmdline: ['bash', '-i'], exe: '/usr/bin/bash' }) as unknown as ProcessInfo;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-rec-'));
}

test('recordings go under XDG_STATE_HOME, else ~/.local/state, with a timestamped name', () => {
  assert.equal(defaultRecordingsDir({ XDG_STATE_HOME: '/x/state' }, '/home/u'), '/x/state/sigscope/recordings');
  assert.equal(defaultRecordingsDir({}, '/home/u'), '/home/u/.local/state/sigscope/recordings');
  assert.equal(defaultRecordingsDir({ XDG_STATE_HOME: 'relative' }, '/home/u'), '/home/u/.local/state/sigscope/recordings', 'a relative XDG path is ignored, as the spec says');
  assert.equal(sessionFileName(new Date('2025-01-31T10:02:11.123Z')), 'sigscope-2025-01-31T10-02-11.sigscope');
});

test('a capture is recorded as it runs, flushed within a second, and closed at stop', async () => {
  const dir = tmpDir();
  const helper = new FakeHelper();
  const service = new CaptureService({ launch: () => helper, recorder: new SessionRecorder({ dir: path.join(dir, 'nested'), writer: { sync: false } }) });
  const statuses: CaptureStatus[] = [];
  service.onStatus((s) => statuses.push(s));
  try {
    await service.start({ lifecycle: true });
    const file = service.status.recording?.path;
    assert.ok(file && file.startsWith(path.join(dir, 'nested')), `status names the file: ${file}`);
    assert.match(path.basename(file!), /^sigscope-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.sigscope$/);

    const shell = task(1200, 'bash', 10_000);
    const child = task(1300, 'sleep', 20_000);
    helper.emit('process-info', info(1200));
    helper.emit('events', variety());
    helper.emit('events', [killEvent(T0 + 1000, shell, child, 15, 'delivered')]);
    helper.emit('stats', stats(19, 0));

    // Without waiting for stop: the writer flushes at least once a second.
    await new Promise((r) => setTimeout(r, 1300));
    const midway = await openRecordingFile(file!);
    assert.equal(midway.eventCount, variety().length + 1, 'events are on disk while capturing');
    assert.equal(midway.complete, false);

    // Save As while capturing: a copy of everything so far.
    const copy = path.join(dir, 'copy.sigscope');
    const saved = await service.recorder!.saveAs(copy);
    assert.equal(saved.path, copy);
    assert.equal((await openRecordingFile(copy)).eventCount, variety().length + 1);

    helper.emit('stats', stats(20, 3));
    await service.stop();
    assert.equal(service.status.recording?.open, false);
    assert.equal(service.status.recording?.events, variety().length + 1);
    const rec = await openRecordingFile(file!);
    assert.equal(rec.complete, true, 'closed properly: index and trailer');
    assert.equal(rec.problem, null);
    assert.equal(rec.header.host, os.hostname());
    assert.equal(rec.header.syscallAttach, 'tracepoint');
    assert.deepEqual(rec.header.clock, { bootNs: 1_000, realtimeNs: 1_760_000_000_000_000_000 });
    assert.deepEqual(rec.header.options, { lifecycle: true });
    const events = await rec.readEvents(0, rec.eventCount);
    assert.deepEqual(JSON.parse(JSON.stringify(events)), JSON.parse(JSON.stringify([...variety(), killEvent(T0 + 1000, shell, child, 15, 'delivered')])));
    assert.equal(rec.processes.length, 1);
    assert.equal(rec.drops, 3);
    assert.ok(statuses.some((s) => s.recording?.open === true));

    // After stop, Save As copies the closed file.
    const after = path.join(dir, 'after.sigscope');
    await service.recorder!.saveAs(after);
    assert.equal((await openRecordingFile(after)).complete, true);

    // The next capture gets a new file, even within the same second.
    await service.start({});
    assert.notEqual(service.status.recording?.path, file);
    await service.stop();
  } finally {
    await service.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a recorder that cannot write says so, and capture goes on', async () => {
  const dir = tmpDir();
  const blocker = path.join(dir, 'not-a-dir');
  fs.writeFileSync(blocker, '');
  const helper = new FakeHelper();
  const service = new CaptureService({ launch: () => helper, recorder: new SessionRecorder({ dir: blocker }) });
  try {
    await service.start({});
    assert.equal(service.status.state, 'capturing');
    assert.match(service.status.recording?.error ?? '', /Recording stopped/);
    helper.emit('events', [killEvent(T0, task(1, 'a', 1), task(2, 'b', 2))]);
    await service.stop();
  } finally {
    await service.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nothing to save before the first capture', async () => {
  const recorder = new SessionRecorder({ dir: tmpDir() });
  await assert.rejects(recorder.saveAs('/tmp/never.sigscope'), /no recording to save/);
});
