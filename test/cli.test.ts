// `sigscope trace` as a user runs it: real signals in, a table or JSON lines out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'sigscope.js');
const isRoot = process.geteuid?.() === 0;

test('without root, trace says what it needs and how to run it', () => {
  const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'trace'], { encoding: 'utf8' });
  assert.equal(run.status, 77);
  assert.match(run.stderr, /needs root \(or CAP_BPF and CAP_PERFMON\)/);
  assert.match(run.stderr, /sudo npx sigscope trace/);
  assert.equal(run.stdout, '');
});

test('bad options are refused with what to type instead', () => {
  const signal = spawnSync(process.execPath, [bin, 'trace', '--signal', 'TERM,BOGUS'], { encoding: 'utf8' });
  assert.equal(signal.status, 64);
  assert.match(signal.stderr, /'BOGUS' is not a signal/);
  const unknown = spawnSync(process.execPath, [bin, 'trace', '--colour'], { encoding: 'utf8' });
  assert.equal(unknown.status, 64);
  assert.match(unknown.stderr, /Unknown option '--colour'/);
});

async function traceWhile(args: string[], act: () => Promise<void>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [bin, 'trace', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // The table header (or, with --json, the first line of anything) means it is attached.
  await new Promise((r) => setTimeout(r, 1500));
  await act();
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { stdout, stderr, code };
}

test('trace --json --signal USR2: one JSON line per signal, only USR2, and a summary when stopped', { skip: !isRoot && 'needs root' }, async () => {
  const sleeper = spawn('sleep', ['30']);
  const { stdout, stderr, code } = await traceWhile(['--json', '--signal', 'USR2,HUP'], async () => {
    process.kill(sleeper.pid!, 'SIGUSR2');
  });
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const ours = lines.filter((e) => e.type === 'signal' && e.target?.pid === sleeper.pid);
  assert.equal(ours.length, 1, stdout);
  assert.equal(ours[0].signal, 'SIGUSR2');
  assert.equal(ours[0].syscall, 'kill');
  assert.equal(ours[0].sender.pid, process.pid);
  assert.match(ours[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(lines.filter((e) => e.type === 'signal').every((e) => e.sig === 12 || e.sig === 1), 'the filter held');
  assert.match(stderr, /sigscope: \d+ signals \(\d+ failed attempts\).*0 lost/);
});

test('trace prints a table row with sender, signal, target, result and syscall, and the exit it caused', { skip: !isRoot && 'needs root' }, async () => {
  const sleeper = spawn('sleep', ['30']);
  const { stdout } = await traceWhile(['--pid', String(sleeper.pid)], async () => {
    process.kill(sleeper.pid!, 'SIGTERM');
  });
  const lines = stdout.split('\n');
  assert.match(lines[0], /^TIME\s+SENDER\s+SIGNAL\s+TARGET\s+RESULT\s+SYSCALL$/);
  const row = lines.find((l) => l.includes('SIGTERM'));
  assert.ok(row, stdout);
  assert.match(row!, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+${process.pid} node\\s+SIGTERM\\s+${sleeper.pid} sleep\\s+delivered\\s+kill$`));
  // and what came of it: the process the signal ended
  assert.ok(lines.some((l) => new RegExp(`\\s${sleeper.pid} sleep\\s+exit\\s+killed by SIGTERM$`).test(l)), stdout);
});
