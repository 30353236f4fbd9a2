// Who sent it: a signal a process sent must never be reported as the
// kernel's, whatever path it took into the kernel and whenever it was sent
// relative to the capture starting or stopping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Capture, isRoot, startCapture } from '../support/capture';
import { HelperClient } from '../../electron/node/helperClient';
import { SIG, Proc, buildFixtures, fixture, run, signalEvent, startTarget, until } from '../fixtures/harness';

const skip = isRoot ? false : 'needs root (eBPF capture)';
const x86 = process.arch === 'x64';

describe('sender attribution', { skip }, () => {
  for (const syscallAttach of ['tracepoint', 'raw_tp'] as const) {
    test(`a 32-bit (int 0x80) kill is the process's, not the kernel's (${syscallAttach})`, { skip: !x86 && 'x86_64 only' }, async () => {
      buildFixtures();
      const target = await startTarget();
      const client = HelperClient.launch({ launcher: 'direct' });
      const capture = new Capture(client);
      try {
        await client.start({ syscallAttach } as never);
        const r = await run(fixture('compat'), [String(target.pid), String(SIG.USR1)]);
        const sent = r.lines[0];
        assert.equal(sent.kill, 0, 'the ia32 kill succeeded');
        await target.proc.line((l) => l.got === SIG.USR1, 'the target to receive it');
        const e = await signalEvent(capture, (s) => s.sig === SIG.USR1 && s.target?.pid === target.pid, 'the ia32 kill');
        // ia32 syscall 200 is getgid32; in the 64-bit table 200 is tkill.
        assert.deepEqual(capture.signals((s) => s.sender.pid === sent.pid && s.syscall === 'tkill')
          .map((s) => `${s.syscall}(${s.requested}, ${s.sig}) = ${s.ret}`), [], 'getgid32 is not a tkill');
        assert.equal(e.codeName, 'SI_USER');
        assert.equal(e.origin, 'user', `a kill() with si_code SI_USER was reported as ${e.origin}-sent`);
        assert.equal(e.sender.pid, sent.pid);
      } finally {
        await target.proc.end();
        await capture.close();
      }
    });
  }

  test('kills in flight while the capture starts and stops are never the kernel\'s, nor signal-less', async (t) => {
    buildFixtures();
    const target = await startTarget(['--ignore', String(SIG.USR1)]);
    const loop = new Proc(fixture('sendsig'), ['loop', String(SIG.USR1), String(target.pid)]);
    try {
      await loop.line((l) => l.looping === true, 'the kill loop to start');
      const capture: Capture = await startCapture({ signals: [SIG.USR1], lifecycle: false, snapshot: false });
      await until(() => (capture.signals((e) => e.sender.pid === loop.pid).length > 1000 ? true : undefined),
        'the loop\'s kills to be captured', 10000);
      await capture.close();
      const mine = capture.signals((e) => e.sender.pid === loop.pid || e.context?.pid === loop.pid);
      const asKernel = mine.filter((e) => e.origin === 'kernel');
      const noSignal = mine.filter((e) => e.origin === 'user' && e.ret === 0 && e.result === null);
      const user = mine.filter((e) => e.origin === 'user' && e.result !== null);
      if (asKernel.length && user.length) {
        const lastUser = Math.max(...user.map((e) => e.ts));
        const firstUser = Math.min(...user.map((e) => e.ts));
        t.diagnostic(`kernel-attributed: ${asKernel.filter((e) => e.ts < firstUser).length} before the first ` +
          `user-attributed record, ${asKernel.filter((e) => e.ts > lastUser).length} after the last one`);
      }
      assert.deepEqual({ asKernel: asKernel.length, noSignal: noSignal.length }, { asKernel: 0, noSignal: 0 },
        `of ${mine.length} records of the kill loop, ${asKernel.length} were reported as sent by the kernel ` +
        `and ${noSignal.length} as successful kills that generated no signal`);
    } finally {
      await loop.end();
      await target.proc.end();
    }
  });
});
