// Filters applied in the kernel, and the raw_tp fallback. Each test sends
// what the filter must drop first and a marker it must keep last: once the
// marker has arrived, anything dropped would have arrived before it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Capture, isRoot, startCapture } from '../support/capture';
import { HelperClient } from '../../electron/node/helperClient';
import {
  SIG, buildFixtures, exitOf, fixture, run, sendsig, signalEvent, startTarget,
} from '../fixtures/harness';

const skip = isRoot ? false : 'needs root (eBPF capture)';

async function withCapture(options: Parameters<typeof startCapture>[0], body: (c: Capture) => Promise<void>): Promise<void> {
  buildFixtures();
  const capture = await startCapture(options);
  try {
    await body(capture);
  } finally {
    await capture.close();
  }
}

describe('kernel filters', { skip }, () => {
  test('signal set: only the listed signals arrive', async () => {
    const target = await startTarget();
    try {
      await withCapture({ signals: [SIG.USR2] }, async (capture) => {
        const dropped = await sendsig('kill', SIG.USR1, target.pid);
        await run(fixture('forkexit')); // a SIGCHLD, also not listed
        const kept = await sendsig('kill', SIG.USR2, target.pid);
        await signalEvent(capture, (e) => e.sender.pid === kept.pid, 'the SIGUSR2 marker');
        assert.equal(capture.signals((e) => e.sender.pid === dropped.pid).length, 0, 'SIGUSR1 was filtered out');
        const others = capture.signals((e) => e.sig !== SIG.USR2);
        assert.deepEqual(others.map((e) => e.signal), [], 'nothing but SIGUSR2 arrives');
      });
    } finally {
      await target.proc.end();
    }
  });

  test('pid: only events whose sender or target is that process', async () => {
    const a = await startTarget();
    const b = await startTarget();
    try {
      await withCapture({ pid: a.pid }, async (capture) => {
        const toB = await sendsig('kill', SIG.USR1, b.pid);
        const toA = await sendsig('kill', SIG.USR1, a.pid);
        const e = await signalEvent(capture, (s) => s.sender.pid === toA.pid, 'the kill to A');
        assert.equal(e.target?.pid, a.pid);
        assert.equal(capture.signals((s) => s.sender.pid === toB.pid).length, 0, 'the kill to B was filtered out');
        for (const s of capture.signals()) {
          assert.ok(s.target?.pid === a.pid || s.sender.pid === a.pid || s.context?.pid === a.pid,
            `an event not about pid ${a.pid}: ${JSON.stringify(s)}`);
        }
      });
    } finally {
      await a.proc.end();
      await b.proc.end();
    }
  });

  test('failedOnly: only failed attempts arrive', async () => {
    const target = await startTarget();
    const dead = (await run(fixture('forkexit'))).pid;
    try {
      await withCapture({ failedOnly: true }, async (capture) => {
        const ok = await sendsig('kill', SIG.USR1, target.pid);
        const probe = await sendsig('kill', 0, target.pid);
        const failed = await sendsig('kill', SIG.USR1, dead);
        const e = await signalEvent(capture, (s) => s.sender.pid === failed.pid, 'the failed kill');
        assert.equal(e.errno, 'ESRCH');
        assert.equal(capture.signals((s) => s.sender.pid === ok.pid || s.sender.pid === probe.pid).length, 0,
          'successful attempts were filtered out');
        assert.deepEqual(capture.signals((s) => s.errno === null).map((s) => `${s.signal} ${s.origin}`), [],
          'every event is a failure');
      });
    } finally {
      await target.proc.end();
    }
  });

  test('kernel off: no kernel-originated signal arrives, user ones do', async () => {
    const target = await startTarget();
    try {
      await withCapture({ kernel: false }, async (capture) => {
        const crash = await run(fixture('crash'));
        const chld = await run(fixture('forkexit'));
        const marker = await sendsig('kill', SIG.USR1, target.pid);
        await signalEvent(capture, (e) => e.sender.pid === marker.pid, 'the user-sent marker');
        await exitOf(capture, chld.pid);
        assert.equal(capture.signals((e) => e.target?.pid === crash.pid).length, 0, 'no SIGSEGV');
        assert.deepEqual(capture.signals((e) => e.origin === 'kernel').map((e) => e.signal), [],
          'no kernel-originated signal at all');
      });
    } finally {
      await target.proc.end();
    }
  });

  test('sigchld off: no SIGCHLD from the kernel, other kernel signals still arrive', async () => {
    await withCapture({ sigchld: false }, async (capture) => {
      const r = await run(fixture('forkexit'));
      const { child } = r.lines[0];
      const crash = await run(fixture('crash'));
      const segv = await signalEvent(capture, (e) => e.sig === SIG.SEGV && e.target?.pid === crash.pid, 'the SIGSEGV marker');
      assert.equal(segv.origin, 'kernel');
      await exitOf(capture, child);
      assert.equal(capture.signals((e) => e.sig === SIG.CHLD && e.context?.pid === child).length, 0, 'the child\'s SIGCHLD was filtered');
      assert.equal(capture.signals((e) => e.sig === SIG.CHLD && e.origin === 'kernel').length, 0, 'no kernel SIGCHLD at all');
    });
  });
});

describe('raw_tp fallback', { skip }, () => {
  test('syscallAttach raw_tp: kill, tgkill and a failure are captured with their syscall', async () => {
    buildFixtures();
    const client = HelperClient.launch({ launcher: 'direct' });
    const capture = new Capture(client);
    let attach = '';
    client.on('started', (m: { syscallAttach: string }) => (attach = m.syscallAttach));
    const target = await startTarget(['--thread']);
    try {
      await client.start({ syscallAttach: 'raw_tp' } as never);
      assert.equal(attach, 'raw_tp');
      const k = await sendsig('kill', SIG.USR1, target.pid);
      const e = await signalEvent(capture, (s) => s.sender.pid === k.pid, 'kill under raw_tp');
      assert.equal(e.syscall, 'kill');
      assert.equal(e.origin, 'user');
      assert.equal(e.requested, target.pid);
      assert.equal(e.ret, 0);
      assert.equal(e.result, 'delivered');
      assert.equal(e.target?.pid, target.pid);

      const tg = await sendsig('tgkill', SIG.USR2, target.pid, target.tid);
      const t = await signalEvent(capture, (s) => s.sender.pid === tg.pid, 'tgkill under raw_tp');
      assert.equal(t.syscall, 'tgkill');
      assert.equal(t.requested, target.tid);
      assert.equal(t.requestedTgid, target.pid);
      assert.equal(t.target?.tid, target.tid);

      const dead = (await run(fixture('forkexit'))).pid;
      const f = await sendsig('kill', SIG.TERM, dead);
      const x = await signalEvent(capture, (s) => s.sender.pid === f.pid, 'failed kill under raw_tp');
      assert.equal(x.syscall, 'kill');
      assert.equal(x.errno, 'ESRCH');
      assert.equal(x.ret, -3);
    } finally {
      await target.proc.end();
      await capture.close();
    }
  });
});
