// The recording path end to end, as root: `sigscope record` captures real
// kill()s sent from here, the file opens with them in it, `print` and
// `export` read it; a recorder killed with SIGKILL leaves a file that opens.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SignalEvent } from '../../electron/common/events';
import { openRecordingFile } from '../../electron/node/recording/file';
import { all } from './helpers';

const root = path.join(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'sigscope.js');
const isRoot = process.geteuid?.() === 0;
const built = fs.existsSync(path.join(root, 'build', 'electron', 'helper', 'main.js')) &&
  fs.existsSync(path.join(root, 'native', 'build', 'Release', 'sigscope.node'));
const skip = !isRoot ? 'needs root (eBPF capture)' : !built ? 'needs the build (npm run build)' : false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process that handles SIGUSR1 and SIGUSR2 and stays alive. */
async function startTarget(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `
    process.on('SIGUSR1', () => {}); process.on('SIGUSR2', () => {});
    setInterval(() => {}, 1000); process.stdout.write('ready\\n');`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

function startRecorder(file: string, seconds: number): ChildProcess {
  return spawn(process.execPath, [bin, 'record', '--out', file, '--duration', String(seconds), '--signal', 'USR1,USR2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Waits until the recorder has written its header block: the probes are attached by then. */
async function untilRecording(file: string, recorder: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (recorder.exitCode !== null) assert.fail(`the recorder exited with ${recorder.exitCode}`);
    if (fs.existsSync(file) && fs.statSync(file).size > 16 + 36) return;
    await sleep(50);
  }
  assert.fail('the recorder did not start within 10 s');
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('sigscope record, print and export with real signals', { skip }, () => {
  test('real kill()s are in the recording, and print and export read it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-rec-'));
    const file = path.join(dir, 'capture.sigscope');
    const target = await startTarget();
    try {
      const recorder = startRecorder(file, 3);
      let stderr = '';
      recorder.stderr!.on('data', (chunk) => (stderr += chunk));
      await untilRecording(file, recorder);
      await sleep(200);
      for (let i = 0; i < 5; i++) {
        process.kill(target.pid!, 'SIGUSR1');
        await sleep(20);
      }
      assert.equal(await exited(recorder), 0, stderr);

      const recording = await openRecordingFile(file);
      assert.equal(recording.problem, null);
      assert.equal(recording.complete, true);
      assert.equal(recording.header.host, os.hostname());
      assert.equal(recording.header.kernel, os.release());
      assert.ok(recording.header.clock && recording.header.clock.bootNs > 0);
      assert.deepEqual(recording.header.options.signals, [10, 12]);
      const events = await all(recording);
      const mine = events.filter((e): e is SignalEvent =>
        e.type === 'signal' && e.sender.pid === process.pid && e.target?.pid === target.pid);
      assert.equal(mine.length, 5, `found ${mine.length} of 5 in ${events.length} events`);
      for (const e of mine) {
        assert.equal(e.signal, 'SIGUSR1');
        assert.equal(e.syscall, 'kill');
        // 'pending' when the target had not yet handled the previous one (a busy machine).
        assert.ok(e.result === 'delivered' || e.result === 'pending', String(e.result));
        assert.equal(e.requested, target.pid);
        assert.equal(e.errno, null);
        assert.equal(e.origin, 'user');
      }
      assert.ok(mine[0].ts >= recording.header.startedTs - 5_000_000);
      // The processes: the helper's /proc details for both ends, under the same identity (pid, start).
      for (const end of [mine[0].sender, mine[0].target!]) {
        const info = recording.processes.find((p) => p.pid === end.pid && p.start === end.start);
        assert.ok(info, `process-info for ${end.pid}@${end.start}`);
        assert.equal(info.exe, fs.realpathSync(process.execPath));
      }
      assert.ok(recording.stats.length >= 1, 'stats were recorded');
      assert.equal(recording.drops, 0);

      // print --json: the same JSON lines as the recording holds (process snapshots aside, as trace does).
      const printed = spawnSync(process.execPath, [bin, 'print', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.equal(printed.status, 0, `${printed.signal ?? ''} ${printed.error ?? ''} ${printed.stderr}`);
      const lines = printed.stdout.trimEnd().split('\n');
      assert.deepEqual(lines, events.filter((e) => e.type !== 'process').map((e) => JSON.stringify(e)));
      const table = spawnSync(process.execPath, [bin, 'print', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.equal(table.status, 0, `${table.signal ?? ''} ${table.error ?? ''} ${table.stderr}`);
      assert.equal(table.stdout.split('\n').filter((l) => l.includes(`SIGUSR1`) && l.includes(`${target.pid} `)).length, 5);

      for (const format of ['csv', 'ndjson', 'perfetto']) {
        const out = path.join(dir, `capture.${format}`);
        const result = spawnSync(process.execPath, [bin, 'export', file, '--format', format, '--out', out], { encoding: 'utf8', maxBuffer: 1 << 30 });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(fs.statSync(out).size > 0);
      }
      const perfetto = JSON.parse(fs.readFileSync(path.join(dir, 'capture.perfetto'), 'utf8'));
      const flows = perfetto.traceEvents.filter((e: { flow_out?: boolean; pid: number }) => e.flow_out && e.pid === process.pid);
      assert.ok(flows.length >= 5);
    } finally {
      target.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a recorder killed with SIGKILL leaves a file that opens with what it had flushed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-rec-'));
    const file = path.join(dir, 'crash.sigscope');
    const target = await startTarget();
    try {
      const recorder = startRecorder(file, 60);
      await untilRecording(file, recorder);
      await sleep(200);
      for (let i = 0; i < 3; i++) process.kill(target.pid!, 'SIGUSR2');
      await sleep(1600); // the writer flushes at least once a second
      process.kill(target.pid!, 'SIGUSR2');
      recorder.kill('SIGKILL');
      await exited(recorder);

      const recording = await openRecordingFile(file);
      assert.equal(recording.complete, false);
      assert.match(recording.problem!.message, /not closed/);
      const events = await all(recording);
      const mine = events.filter((e) => e.type === 'signal' && e.sender.pid === process.pid && e.target?.pid === target.pid && e.sig === 12);
      assert.ok(mine.length >= 3, `found ${mine.length} of the 3 signals sent 1.6 s before the crash`);
      const printed = spawnSync(process.execPath, [bin, 'print', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.equal(printed.status, 0, `${printed.signal ?? ''} ${printed.error ?? ''} ${printed.stderr}`);
      assert.match(printed.stderr, /not closed/);
    } finally {
      target.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
