// No root process or probe outlives whatever started it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { isRoot, startCapture } from './support/capture';
import { alive, elapsedUntil } from './support/wait';

const PROGRAMS = /^(signal_generate|sched_process_(fork|exec|exit)|tp_(enter|exit)_|raw_sys_(enter|exit)|snapshot)/;

function ourPrograms(): number[] {
  const programs = JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8' })) as { id: number; name?: string; pids?: { pid: number }[] }[];
  return programs.filter((p) => p.name && PROGRAMS.test(p.name)).map((p) => p.id);
}

test('SIGKILL of the app that started the helper: the helper and its programs are gone within 1 s', { skip: !isRoot && 'needs root' }, async () => {
  const before = new Set(ourPrograms());
  // The "app": a process that starts a capture and reports the helper's pid.
  const script = `
    const { HelperClient } = require(${JSON.stringify(path.join(__dirname, '..', 'electron', 'node', 'helperClient.js'))});
    const c = HelperClient.launch({ launcher: 'direct' });
    c.start({}).then(() => console.log(JSON.stringify({ helper: c.pid })));
    setInterval(() => {}, 1000);`;
  const app = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    app.stdout.once('data', (d) => resolve(String(d)));
    app.once('exit', (code) => reject(new Error(`the app exited early (${code})`)));
  });
  const helper = JSON.parse(line).helper as number;
  assert.ok(alive(helper), 'the helper runs');
  const attached = ourPrograms().filter((id) => !before.has(id));
  assert.ok(attached.length >= 5, `the helper attached its programs (${attached.length} new)`);

  app.kill('SIGKILL');
  const exitedAfter = await elapsedUntil(() => !alive(helper), 1000);
  assert.ok(exitedAfter >= 0, 'the helper exited within 1 s of its parent\'s SIGKILL');
  const detachedAfter = await elapsedUntil(() => ourPrograms().filter((id) => attached.includes(id)).length === 0, 1000);
  assert.ok(detachedAfter >= 0, `programs still loaded 1 s later: ${ourPrograms().filter((id) => attached.includes(id))}`);
});

test('two captures at once get two helpers, and both see the same signal', { skip: !isRoot && 'needs root' }, async () => {
  const started = await Promise.allSettled([startCapture({ lifecycle: false }), startCapture({ lifecycle: false })]);
  const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(failed, undefined, `a capture failed to start: ${failed?.reason?.message}`);
    const [a, b] = ok;
    assert.notEqual(a.client.pid, b.client.pid);
    const sleeper = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    sleeper.kill('SIGHUP');
    const match = (e: { type: string; sig?: number; target?: { pid: number } | null }) =>
      e.type === 'signal' && e.sig === 1 && e.target?.pid === sleeper.pid;
    await Promise.all([a.waitFor(match, 'SIGHUP in capture A'), b.waitFor(match, 'SIGHUP in capture B')]);
  } finally {
    await Promise.all(ok.map((c) => c.close()));
  }
});
