// The session recorder: every capture the app makes is written to a file as
// events arrive, flushed at least once a second, closed when capture stops,
// and can be saved elsewhere while it runs. Driven through the capture
// service with the real helper (root) and real signals: what the file holds
// is compared with exactly what the helper reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureStatus } from '../electron/common/bridge';
import type { ProbeOpenOptions } from '../electron/node/probe';
import type { CaptureOptions, SigScopeEvent } from '../electron/common/events';
import { CaptureService } from '../electron/node/captureService';
import { openRecordingFile } from '../electron/node/recording/file';
import { SessionRecorder, defaultRecordingsDir, sessionFileName } from '../electron/node/sessionRecorder';
import { HelperTap, needsRoot, plain, signalsBetween, sleeper, until } from './support/helper';
import { storm, stormBinary } from './support/storm';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-rec-'));
}

/** The same events, in the same order (compared one by one: a mismatch names the first differing event). */
function assertSameEvents(actual: readonly SigScopeEvent[], expected: readonly SigScopeEvent[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: event count`);
  for (let i = 0; i < expected.length; i++) {
    const a = JSON.stringify(actual[i]);
    const e = JSON.stringify(expected[i]);
    if (a !== e) assert.deepEqual(plain(actual[i]), plain(expected[i]), `${what}: event ${i} differs`);
  }
}

test('recordings go under XDG_STATE_HOME, else ~/.local/state, with a timestamped name', () => {
  assert.equal(defaultRecordingsDir({ XDG_STATE_HOME: '/x/state' }, '/home/u'), '/x/state/sigscope/recordings');
  assert.equal(defaultRecordingsDir({}, '/home/u'), '/home/u/.local/state/sigscope/recordings');
  assert.equal(defaultRecordingsDir({ XDG_STATE_HOME: 'relative' }, '/home/u'), '/home/u/.local/state/sigscope/recordings', 'a relative XDG path is ignored, as the spec says');
  assert.equal(sessionFileName(new Date('2025-01-31T10:02:11.123Z')), 'sigscope-2025-01-31T10-02-11.sigscope');
});

test('a capture of real signals is recorded as it runs, flushed within a second, and closed at stop', { skip: needsRoot }, async () => {
  stormBinary(); // compiled before capture starts
  const dir = tmpDir();
  const tap = new HelperTap();
  // A 64 KiB ring (512 records) is plenty for the machine's own activity and overflows under the storm below: real drops.
  // Its reader is woken only by its 10 ms poll (no early wakeup), so the storm outruns it every time.
  const options: ProbeOpenOptions = { lifecycle: true, ringBytes: 65536, wakeupBytes: 1 << 30 };
  const service = new CaptureService({ launch: tap.launch, recorder: new SessionRecorder({ dir: path.join(dir, 'nested'), writer: { sync: false } }) });
  const statuses: CaptureStatus[] = [];
  service.onStatus((s) => statuses.push(s));
  try {
    await service.start(options);
    const run = tap.last;
    const file = service.status.recording?.path;
    assert.ok(file && file.startsWith(path.join(dir, 'nested')), `status names the file: ${file}`);
    assert.match(path.basename(file!), /^sigscope-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.sigscope$/);

    // Two sleeps, ended by real kill()s from this process: SIGUSR1 and SIGTERM (their default action ends them).
    const a = await sleeper();
    const b = await sleeper();
    process.kill(a.pid, 'SIGUSR1');
    process.kill(b.pid, 'SIGTERM');
    const exited = (pid: number, sig: number) => run.events.some((e) => e.type === 'exit' && e.pid === pid && e.exitSig === sig);
    await until('both kills and both exits from the helper', () =>
      signalsBetween(run.events, process.pid, a.pid).length === 1 && signalsBetween(run.events, process.pid, b.pid).length === 1 && exited(a.pid, 10) && exited(b.pid, 15));
    const reported = run.events.length;

    // Without waiting for stop: the writer flushes at least once a second.
    await new Promise((r) => setTimeout(r, 1300));
    const midway = await openRecordingFile(file!);
    assert.ok(midway.eventCount >= reported, `events are on disk while capturing: ${midway.eventCount} on disk, ${reported} reported 1.3 s before`);
    assert.equal(midway.complete, false);
    assertSameEvents(await midway.readEvents(0, midway.eventCount), run.events.slice(0, midway.eventCount), 'on disk midway');

    // Save As while capturing: a copy of everything so far.
    const copy = path.join(dir, 'copy.sigscope');
    const beforeCopy = run.events.length;
    const saved = await service.recorder!.saveAs(copy);
    assert.equal(saved.path, copy);
    const copied = await openRecordingFile(copy);
    assert.ok(copied.eventCount >= beforeCopy, `the copy has every event reported before Save As: ${copied.eventCount} < ${beforeCopy}`);
    assertSameEvents(await copied.readEvents(0, copied.eventCount), run.events.slice(0, copied.eventCount), 'the copy');

    const burst = storm(100_000);
    assert.equal(burst.calls, 100_000);
    await service.stop();
    const lastStats = run.stats.at(-1)!;
    assert.ok(lastStats.drops > 0, `the storm overflowed the 64 KiB ring: ${lastStats.drops} drops`);
    assert.ok(run.events.some((e) => e.type === 'signal' && e.sender.pid === burst.pid), 'some of the storm arrived');
    assert.equal(service.status.recording?.open, false);
    assert.equal(service.status.recording?.events, run.events.length);
    const rec = await openRecordingFile(file!);
    assert.equal(rec.complete, true, 'closed properly: index and trailer');
    assert.equal(rec.problem, null);
    assert.equal(rec.header.host, os.hostname());
    assert.match(String(rec.header.syscallAttach), /^(tracepoint|raw_tp)$/);
    assert.equal(rec.header.syscallAttach, run.started?.syscallAttach);
    assert.ok(run.started?.clock && run.started.clock.bootNs > 0 && run.started.clock.realtimeNs > 0, 'the helper reported its clock');
    assert.deepEqual(rec.header.clock, plain(run.started.clock));
    assert.deepEqual(rec.header.options, options);
    const events = await rec.readEvents(0, rec.eventCount);
    assertSameEvents(events, run.events, 'the closed file');
    // The real signals are in it, as the kernel saw them.
    for (const [child, sig, name] of [[a, 10, 'SIGUSR1'], [b, 15, 'SIGTERM']] as const) {
      const sent = signalsBetween(events, process.pid, child.pid);
      assert.equal(sent.length, 1);
      assert.deepEqual({ sig: sent[0].sig, signal: sent[0].signal, syscall: sent[0].syscall, result: sent[0].result, comm: sent[0].target?.comm }, { sig, signal: name, syscall: 'kill', result: 'delivered', comm: 'sleep' });
      assert.ok(events.some((e) => e.type === 'exec' && e.pid === child.pid && e.comm === 'sleep'), `the exec of sleep ${child.pid}`);
      assert.ok(events.some((e) => e.type === 'exit' && e.pid === child.pid && e.exitSig === sig), `the exit of sleep ${child.pid} by ${name}`);
    }
    assert.ok(run.infos.length > 0, 'the helper sent process information');
    assert.deepEqual(rec.processes, plain(run.infos));
    assert.deepEqual(rec.stats, plain(run.stats));
    assert.equal(rec.drops, lastStats.drops);
    assert.ok(statuses.some((s) => s.recording?.open === true));

    // After stop, Save As copies the closed file.
    const after = path.join(dir, 'after.sigscope');
    await service.recorder!.saveAs(after);
    assert.equal((await openRecordingFile(after)).complete, true);

    // The next capture gets a new file, even when its name is taken within the same second:
    // every name the next few seconds could give is already on disk.
    const now = Date.now();
    for (let s = 0; s <= 10; s++) {
      const taken = path.join(dir, 'nested', sessionFileName(new Date(now + s * 1000)));
      if (!fs.existsSync(taken)) fs.writeFileSync(taken, '');
    }
    await service.start({});
    const next = service.status.recording?.path;
    assert.notEqual(next, file);
    assert.match(path.basename(next ?? ''), /^sigscope-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-2\.sigscope$/);
    await service.stop();
    assert.equal((await openRecordingFile(next!)).complete, true);
    assert.equal(tap.runs.length, 2, 'a new helper for the second capture');
  } finally {
    await service.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a recorder that cannot write says so, and capture goes on', { skip: needsRoot }, async () => {
  const dir = tmpDir();
  const blocker = path.join(dir, 'not-a-dir');
  fs.writeFileSync(blocker, '');
  const tap = new HelperTap();
  const service = new CaptureService({ launch: tap.launch, recorder: new SessionRecorder({ dir: blocker }) });
  const delivered: SigScopeEvent[] = [];
  service.onEvents((events) => delivered.push(...events));
  try {
    await service.start({});
    assert.equal(service.status.state, 'capturing');
    assert.match(service.status.recording?.error ?? '', /Recording stopped/);
    // A real signal still comes through.
    const child = await sleeper();
    process.kill(child.pid, 'SIGUSR1');
    await until('the kill to reach the service', () => signalsBetween(delivered, process.pid, child.pid).length === 1);
    assert.equal(service.status.state, 'capturing');
    await service.stop();
    assert.equal(service.status.state, 'stopped');
    assert.match(service.status.recording?.error ?? '', /Recording stopped/);
    assert.equal(fs.statSync(blocker).isFile(), true, 'nothing was written in its place');
  } finally {
    await service.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nothing to save before the first capture', async () => {
  const recorder = new SessionRecorder({ dir: tmpDir() });
  await assert.rejects(recorder.saveAs('/tmp/never.sigscope'), /no recording to save/);
});
