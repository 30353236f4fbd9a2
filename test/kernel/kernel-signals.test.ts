// Signals the kernel sends on its own: a fault, a child's exit, a timer.
// They must be marked as the kernel's, never attributed to the task that
// happened to be running.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, startCapture, type Capture } from '../support/capture';
import { SIG, buildFixtures, exitOf, fixture, run, signalEvent } from '../fixtures/harness';
import type { SignalEvent } from '../../electron/common/events';

const skip = isRoot ? false : 'needs root (eBPF capture)';

function assertKernelSent(e: SignalEvent) {
  assert.equal(e.origin, 'kernel');
  assert.deepEqual(e.sender, { pid: 0, tid: 0, comm: 'kernel', start: 0 });
  assert.equal(e.syscall, null);
  assert.equal(e.requested, null);
  assert.equal(e.requestedTgid, null);
  assert.equal(e.ret, null);
  assert.equal(e.errno, null);
  assert.equal(e.uid, null);
}

describe('kernel-originated signals', { skip }, () => {
  let capture: Capture;

  before(async () => {
    buildFixtures();
    capture = await startCapture();
  });

  after(async () => {
    await capture?.close();
  });

  test('a real SIGSEGV crash: sent by the kernel, SEGV_MAPERR, the crashing process as context; exit by SIGSEGV', async () => {
    const r = await run(fixture('crash'));
    assert.equal(r.signal, 'SIGSEGV', 'the fixture really crashed');
    const pid = r.pid;
    const e = await signalEvent(capture, (s) => s.sig === SIG.SEGV && s.target?.pid === pid, `SIGSEGV to ${pid}`);
    assertKernelSent(e);
    assert.equal(e.signal, 'SIGSEGV');
    assert.equal(e.code, 1);
    assert.equal(e.codeName, 'SEGV_MAPERR');
    assert.ok(e.context, 'the faulting task is the context');
    assert.equal(e.context.pid, pid);
    assert.equal(e.context.comm, 'crash');
    assert.equal(e.target?.comm, 'crash');
    assert.notEqual(e.result, null);
    assert.equal(capture.signals((s) => s.sig === SIG.SEGV && s.target?.pid === pid && s.origin === 'user').length, 0,
      'no user-sent SIGSEGV for a fault');

    const exit = await exitOf(capture, pid);
    assert.equal(exit.exitSignal, 'SIGSEGV');
    assert.equal(exit.exitSig, SIG.SEGV);
    assert.equal(exit.exitCode, null);
    assert.equal(exit.start, e.target?.start, 'the exit belongs to the same process identity');
  });

  test('SIGCHLD on a child\'s exit: sent by the kernel to the parent, the child as context', async () => {
    const r = await run(fixture('forkexit'));
    assert.equal(r.code, 0);
    const { parent, child, status } = r.lines[0];
    assert.equal(status, 7);
    const e = await signalEvent(capture, (s) => s.sig === SIG.CHLD && s.context?.pid === child, `SIGCHLD for child ${child}`);
    assertKernelSent(e);
    assert.equal(e.signal, 'SIGCHLD');
    assert.equal(e.codeName, 'CLD_EXITED');
    assert.equal(e.target?.pid, parent, 'the parent is the target');
    assert.equal(e.target?.comm, 'forkexit');
    assert.equal(e.context?.pid, child, 'the exiting child is the context');
    assert.ok(e.result === 'delivered' || e.result === 'ignored', `result ${e.result}`);
    const exit = await exitOf(capture, child);
    assert.equal(exit.exitCode, 7);
    assert.equal(exit.exitSignal, null);
  });

  test('SIGALRM from alarm(): sent by the kernel, not by the task that was running', async () => {
    const r = await run(fixture('alarm'), [], 10000);
    assert.equal(r.code, 0, r.stderr);
    const pid = r.pid;
    const e = await signalEvent(capture, (s) => s.sig === SIG.ALRM && s.target?.pid === pid, `SIGALRM to ${pid}`);
    assertKernelSent(e);
    assert.equal(e.signal, 'SIGALRM');
    assert.equal(e.codeName, 'SI_KERNEL');
    assert.equal(e.result, 'delivered');
    assert.equal(e.target?.comm, 'alarm');
    // The process was asleep in pause(): whatever ran when the timer fired is only context.
    assert.notEqual(e.context?.pid, pid);
    assert.equal(capture.signals((s) => s.sig === SIG.ALRM && s.target?.pid === pid).length, 1);
  });
});
