// Once attached, the helper keeps only what reading /proc needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isRoot, startCapture } from './support/capture';

const CAP_DAC_READ_SEARCH = 2n;
const CAP_SYS_PTRACE = 19n;

function capabilities(pid: number): Record<string, bigint> {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const out: Record<string, bigint> = {};
  for (const name of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs']) {
    const m = new RegExp(`^${name}:\\s+(\\S+)`, 'm').exec(status);
    assert.ok(m, `${name} missing from /proc/${pid}/status`);
    out[name] = name === 'NoNewPrivs' ? BigInt(m[1]) : BigInt(`0x${m[1]}`);
  }
  return out;
}

test('the capturing helper has dropped all capabilities but CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH', { skip: !isRoot && 'needs root' }, async () => {
  const capture = await startCapture({});
  try {
    const pid = capture.client.pid!;
    const caps = capabilities(pid);
    const keep = (1n << CAP_SYS_PTRACE) | (1n << CAP_DAC_READ_SEARCH);
    assert.equal(caps.CapEff, keep, `CapEff is ${caps.CapEff.toString(16)}`);
    assert.equal(caps.CapPrm, keep);
    assert.equal(caps.CapBnd, keep);
    assert.equal(caps.CapAmb, 0n);
    assert.equal(caps.NoNewPrivs, 1n);

    // And it still works: it captures, and it still reads other users' /proc entries.
    const sleeper = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const target = Number(sleeper.trim());
    // SIGWINCH leaves sleep running, so its /proc entry is there to be read.
    process.kill(target, 'SIGWINCH');
    const event = await capture.waitFor((e) => e.type === 'signal' && e.target?.pid === target && e.sig === 28, 'SIGWINCH to the nobody-owned sleep');
    assert.equal(event.type, 'signal');
    const deadline = Date.now() + 5000;
    while (!capture.processInfo.some((p) => p.pid === target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const info = capture.processInfo.find((p) => p.pid === target);
    process.kill(target, 'SIGKILL');
    assert.ok(info, 'the helper read the process from /proc');
    assert.equal(info.error, undefined);
    assert.equal(info.exe, '/usr/bin/sleep');
    assert.equal(info.user, 'nobody');
    assert.deepEqual(info.cmdline, ['sleep', '30']);
  } finally {
    await capture.close();
  }
});

test('a helper that has captured refuses a second start, saying why', { skip: !isRoot && 'needs root' }, async () => {
  const capture = await startCapture({});
  try {
    await capture.client.stop();
    await assert.rejects(capture.client.start({}), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'helper-used');
      assert.match(error.message, /already captured once/);
      return true;
    });
  } finally {
    await capture.client.close();
  }
});
