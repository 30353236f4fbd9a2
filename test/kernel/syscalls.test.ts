// Every way a process sends a signal, made for real by C fixtures and checked
// as the capture reports it: syscall, signal, requested pid, target identity,
// the kernel's verdict and the return value, failures and probes included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, startCapture, type Capture } from '../support/capture';
import {
  SIG, buildFixtures, exitOf, fixture, forkOf, run, sendsig, signalEvent, signalsUntil, startTarget, Proc,
} from '../fixtures/harness';
import type { SignalEvent, TaskRef } from '../../electron/common/events';

const skip = isRoot ? false : 'needs root (eBPF capture)';

describe('signal syscalls', { skip }, () => {
  let capture: Capture;
  let target: { proc: Proc; pid: number; tid: number };
  let targetStart: number;

  before(async () => {
    buildFixtures();
    capture = await startCapture();
    // A target with a second thread, so the thread-directed calls can name it.
    target = await startTarget(['--thread']);
    targetStart = (await forkOf(capture, target.pid)).start;
  });

  after(async () => {
    await target?.proc.end();
    await capture?.close();
  });

  function fromSender(pid: number) {
    return (e: SignalEvent) => e.sender.pid === pid;
  }

  function assertTarget(actual: TaskRef | null, tid: number) {
    assert.ok(actual, 'the target is known');
    assert.equal(actual.pid, target.pid);
    assert.equal(actual.tid, tid);
    assert.equal(actual.start, targetStart, 'target identity: start time from its fork');
    assert.equal(actual.comm, 'target');
  }

  // [syscall, signal, sendsig arguments, requested, requestedTgid, target tid, si_code name, whole group]
  const cases: [string, number, (t: { pid: number; tid: number }) => number[], (t: { pid: number; tid: number }) => [number | null, number | null], 'main' | 'thread', string, boolean][] = [
    ['kill', SIG.USR1, (t) => [t.pid], (t) => [t.pid, null], 'main', 'SI_USER', true],
    ['tkill', SIG.USR2, (t) => [t.tid], (t) => [t.tid, null], 'thread', 'SI_TKILL', false],
    ['tgkill', SIG.TERM, (t) => [t.pid, t.tid], (t) => [t.tid, t.pid], 'thread', 'SI_TKILL', false],
    ['rt_sigqueueinfo', SIG.RTMIN + 1, (t) => [t.pid], (t) => [t.pid, null], 'main', 'SI_QUEUE', true],
    ['rt_tgsigqueueinfo', SIG.RTMIN + 2, (t) => [t.pid, t.tid], (t) => [t.tid, t.pid], 'thread', 'SI_QUEUE', false],
    ['pidfd_send_signal', SIG.HUP, (t) => [t.pid], () => [null, null], 'main', 'SI_USER', true],
  ];

  for (const [syscall, sig, args, requested, which, codeName, group] of cases) {
    test(`${syscall}(${sig}) is captured with its syscall, target and result`, async () => {
      const sent = await sendsig(syscall, sig, ...args(target));
      assert.equal(sent.ret, 0, `the ${syscall} call itself succeeded`);
      const e = await signalEvent(capture, fromSender(sent.pid), `${syscall} from pid ${sent.pid}`);
      assert.equal(e.origin, 'user');
      assert.equal(e.syscall, syscall);
      assert.equal(e.sig, sig);
      assert.equal(e.ret, 0);
      assert.equal(e.errno, null);
      assert.equal(e.result, 'delivered');
      assert.equal(e.codeName, codeName);
      assert.equal(e.group, group);
      const [req, reqTgid] = requested(target);
      assert.equal(e.requested, req);
      if (syscall === 'pidfd_send_signal') assert.equal(e.requestedTgid, sent.pidfd, 'requestedTgid holds the pidfd');
      else assert.equal(e.requestedTgid, reqTgid);
      assert.equal(e.sender.comm, 'sendsig');
      assert.equal(e.sender.tid, sent.tid);
      assert.equal(e.uid, 0);
      assertTarget(e.target, which === 'thread' ? target.tid : target.pid);
      assert.equal(e.senderNsPid, null, 'no namespace pid in the host namespace');
      assert.equal(e.targetNsPid, null);
      assert.equal(capture.signals(fromSender(sent.pid)).length, 1, 'exactly one record for one call');
      await target.proc.line((l) => l.got === sig, `the target to receive ${sig}`);
    });
  }

  test('signal 0 probe: no signal generated, errno null, target identity known', async () => {
    const sent = await sendsig('kill', 0, target.pid);
    assert.equal(sent.ret, 0);
    const e = await signalEvent(capture, fromSender(sent.pid), 'the signal-0 probe');
    assert.equal(e.sig, 0);
    assert.equal(e.signal, '0');
    assert.equal(e.syscall, 'kill');
    assert.equal(e.errno, null);
    assert.equal(e.ret, 0);
    assert.equal(e.result, null);
    assert.equal(e.code, null);
    assert.equal(e.requested, target.pid);
    assert.ok(e.target, 'the probed process is named');
    assert.equal(e.target.pid, target.pid);
    assert.equal(e.target.start, targetStart);
  });

  test('ESRCH: a pid that no longer exists', async () => {
    const gone = await run(fixture('forkexit'));
    const dead = gone.pid;
    await exitOf(capture, dead);
    const sent = await sendsig('kill', SIG.TERM, dead);
    assert.equal(sent.ret, -1);
    assert.equal(sent.errno, 3);
    const e = await signalEvent(capture, fromSender(sent.pid), 'the failed kill');
    assert.equal(e.syscall, 'kill');
    assert.equal(e.sig, SIG.TERM);
    assert.equal(e.errno, 'ESRCH');
    assert.equal(e.ret, -3);
    assert.equal(e.result, null);
    assert.equal(e.requested, dead);
    assert.equal(e.target, null, 'an exited process is not named as the target');
  });

  test('EPERM: nobody signalling a root process', async () => {
    const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', fixture('sendsig'), 'kill', String(SIG.USR1), String(target.pid)]);
    assert.equal(r.code, 0, r.stderr);
    const sent = r.lines[0];
    assert.equal(sent.ret, -1);
    assert.equal(sent.errno, 1);
    const e = await signalEvent(capture, fromSender(sent.pid), 'the refused kill');
    assert.equal(e.syscall, 'kill');
    assert.equal(e.errno, 'EPERM');
    assert.equal(e.ret, -1);
    assert.equal(e.result, null);
    assert.equal(e.uid, 65534);
    assert.equal(e.requested, target.pid);
    assert.ok(e.target, 'the target of a refused kill is named from the process table');
    assert.equal(e.target.pid, target.pid);
    assert.equal(e.target.start, targetStart);
    assert.equal(e.target.comm, 'target');
  });

  test('a signal the target ignores (SIG_IGN) has result "ignored"', async () => {
    const ignoring = await startTarget(['--ignore', String(SIG.USR1)]);
    try {
      const sent = await sendsig('kill', SIG.USR1, ignoring.pid);
      assert.equal(sent.ret, 0);
      const e = await signalEvent(capture, fromSender(sent.pid), 'kill to the ignoring target');
      assert.equal(e.result, 'ignored');
      assert.equal(e.ret, 0);
      assert.equal(e.errno, null);
      assert.equal(e.target?.pid, ignoring.pid);
    } finally {
      await ignoring.proc.end();
    }
  });

  test('kill(-pgid) reaches each member of the group, one record each, joined with ret 0', async () => {
    const group = new Proc(fixture('pgroup'), ['3', String(SIG.USR2)]);
    const { pgid, members } = await group.line((l) => typeof l.pgid === 'number', 'the group to be ready');
    const sent = await sendsig('kill', SIG.USR2, -pgid);
    assert.equal(sent.ret, 0);
    const events = await signalsUntil(capture, fromSender(sent.pid), members.length, 'records of kill(-pgid)');
    await group.exited;
    assert.equal(capture.signals(fromSender(sent.pid)).length, members.length, 'one record per member, no more');
    assert.deepEqual(events.map((e) => e.target?.pid).sort(), [...members].sort());
    for (const e of events) {
      assert.equal(e.syscall, 'kill');
      assert.equal(e.sig, SIG.USR2);
      assert.equal(e.requested, -pgid);
      assert.equal(e.ret, 0, 'the attempt end joined its return value');
      assert.equal(e.errno, null);
      assert.equal(e.result, 'delivered');
    }
  });
});
