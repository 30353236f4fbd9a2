// PID namespaces: kill(-1) that must stay inside its namespace, the pid a
// containerised sender passes vs the global pid, and a pid reused on purpose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, startCapture, type Capture } from '../support/capture';
import {
  SIG, buildFixtures, exitOf, fixture, run, signalEvent, signalsUntil, startTarget, until, type Json,
} from '../fixtures/harness';
import type { ForkEvent } from '../../electron/common/events';

const skip = isRoot ? false : 'needs root (eBPF capture, unshare)';

function role(lines: Json[], name: string): Json {
  const line = lines.find((l) => l.role === name);
  assert.ok(line, `the fixture printed its ${name} line: ${JSON.stringify(lines)}`);
  return line;
}

describe('pid namespaces', { skip }, () => {
  let capture: Capture;

  before(async () => {
    buildFixtures();
    capture = await startCapture();
  });

  after(async () => {
    await capture?.close();
  });

  test('kill(-1) in a fresh pid namespace reaches only that namespace', async () => {
    // A host process that kill(-1) would reach if it escaped the namespace.
    const host = await startTarget();
    try {
      const r = await run(fixture('pidns'), ['kill-all', String(SIG.USR1)]);
      assert.equal(r.code, 0, r.stderr);
      const [init, a, b, s] = ['init', 'A', 'B', 'S'].map((n) => role(r.lines, n));
      assert.equal(s.ret, 0, 'kill(-1) succeeded');
      assert.deepEqual([init.nspid, a.nspid, b.nspid, s.nspid], [1, 2, 3, 4]);

      const fromS = await signalsUntil(capture, (e) => e.sender.pid === s.pid, 2, 'kill(-1) records');
      await exitOf(capture, r.pid);
      const all = capture.signals((e) => e.sender.pid === s.pid);
      assert.equal(all.length, 2, `kill(-1) reached A and B only: ${JSON.stringify(all.map((e) => e.target))}`);
      assert.deepEqual(fromS.map((e) => e.target?.pid).sort(), [a.pid, b.pid].sort());
      for (const e of all) {
        assert.equal(e.syscall, 'kill');
        assert.equal(e.requested, -1);
        assert.equal(e.ret, 0);
        assert.equal(e.result, 'delivered');
        assert.equal(e.senderNsPid, 4, 'the sender\'s pid in its namespace');
        assert.notEqual(e.sender.pid, e.senderNsPid);
        const expected = e.target?.pid === a.pid ? 2 : 3;
        assert.equal(e.targetNsPid, expected);
      }
      assert.equal(capture.signals((e) => e.target?.pid === host.pid && e.sig === SIG.USR1).length, 0,
        'nothing reached the host process');
      assert.equal(capture.signals((e) => e.target?.pid === init.pid && e.sender.pid === s.pid).length, 0,
        'the namespace\'s init is not a target of kill(-1)');
      assert.ok(!host.proc.lines.some((l) => l.got === SIG.USR1), 'the host process received nothing');
    } finally {
      await host.proc.end();
    }
  });

  test('a container-style pid: requested is the namespace pid, the target is the global pid', async () => {
    const r = await run(fixture('pidns'), ['kill-sibling', String(SIG.USR2)]);
    assert.equal(r.code, 0, r.stderr);
    const a = role(r.lines, 'A');
    const s = role(r.lines, 'S');
    assert.equal(s.ret, 0);
    assert.equal(s.requested, 2);
    assert.notEqual(a.pid, 2, 'A\'s global pid differs from its namespace pid');
    const e = await signalEvent(capture, (x) => x.sender.pid === s.pid, 'kill(2) from inside the namespace');
    assert.equal(e.syscall, 'kill');
    assert.equal(e.sig, SIG.USR2);
    assert.equal(e.requested, 2, 'requested is the pid as the sender passed it');
    assert.equal(e.target?.pid, a.pid, 'the target is named by its global pid');
    assert.equal(e.targetNsPid, 2);
    assert.equal(e.senderNsPid, 4);
    assert.equal(e.ret, 0);
    assert.equal(e.result, 'delivered');
    const fork = (await capture.waitFor((x) => x.type === 'fork' && x.pid === a.pid, 'A\'s fork')) as ForkEvent;
    assert.equal(fork.nsPid, 2);
    assert.equal(e.target?.start, fork.start);
  });

  test('a pid reused on purpose (ns_last_pid) is two identities', async () => {
    const NSPID = 200;
    const r = await run(fixture('pidreuse'), [String(NSPID)]);
    assert.equal(r.code, 0, r.stderr);
    const init = role(r.lines, 'init').pid as number;
    const rounds = r.lines.filter((l) => typeof l.round === 'number');
    assert.deepEqual(rounds.map((l) => [l.nspid, l.ret]), [[NSPID, 0], [NSPID, 0]], 'both children got the same namespace pid');

    const forks = await until(() => {
      const f = capture.events.filter((e): e is ForkEvent => e.type === 'fork' && e.ppid === init);
      return f.length >= 2 ? f : undefined;
    }, 'two forks by the namespace init');
    assert.equal(forks.length, 2);
    assert.deepEqual(forks.map((f) => f.nsPid), [NSPID, NSPID]);
    assert.notEqual(forks[0].start, forks[1].start, 'different start times: different processes');
    assert.notDeepEqual([forks[0].pid, forks[0].start], [forks[1].pid, forks[1].start]);

    const sent = await signalsUntil(capture, (e) => e.sender.pid === init, 2, 'signals from the namespace init');
    const [first, second] = [SIG.USR1, SIG.USR2].map((sig) => sent.find((e) => e.sig === sig)!);
    for (const [e, fork] of [[first, forks[0]], [second, forks[1]]] as const) {
      assert.ok(e, 'a signal for each round');
      assert.equal(e.requested, NSPID);
      assert.equal(e.targetNsPid, NSPID);
      assert.equal(e.target?.pid, fork.pid);
      assert.equal(e.target?.start, fork.start, 'each signal names the process that held the pid then');
      assert.equal(e.ret, 0);
    }
    for (const fork of forks) {
      const exit = await exitOf(capture, fork.pid);
      assert.equal(exit.start, fork.start);
    }
    const exits = forks.map((f) => capture.events.find((e) => e.type === 'exit' && e.pid === f.pid && e.start === f.start));
    assert.deepEqual(exits.map((e) => e && e.type === 'exit' ? e.exitCode : undefined), [0, 1]);
  });
});
