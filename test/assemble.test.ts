// The assembler's joins and namings, on records as the kernel writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assembler } from '../electron/common/assemble';
import { Flag, Kind, type RawRecord, type RawTask } from '../electron/common/record';
import type { SignalEvent, ExitEvent } from '../electron/common/events';

const clock = { bootNs: 1_000_000_000, realtimeNs: 1_700_000_000_000_000_000 };
const task = (tgid: number, comm: string, startNs = tgid * 1000_000): RawTask => ({ tid: tgid, tgid, startNs, comm });
const none: RawTask = { tid: 0, tgid: 0, startNs: 0, comm: '' };

function record(fields: Partial<RawRecord>): RawRecord {
  return {
    tsNs: 2_000_000_000, kind: Kind.SIGNAL, flags: 0, uid: 0, sender: none, target: none, sig: 0, code: 0,
    result: -1, ret: 0, requested: 0, requestedTgid: 0, syscall: 0, count: 0, attempt: 0, senderNsPid: 0,
    targetNsPid: 0, exitCode: 0, ppid: 0, parentStartNs: 0, nsPid: 0, filename: '', ...fields,
  };
}

test('kill(-pgid) reaching two processes: both wait for the attempt\'s end and carry its return value', () => {
  const a = new Assembler(clock);
  const shell = task(100, 'sh');
  const common = { sender: shell, sig: 15, syscall: 1, requested: -200, attempt: 5, flags: Flag.MULTI | Flag.TARGET_KNOWN | Flag.SENDER_KNOWN };
  assert.deepEqual(a.push([record({ ...common, target: task(201, 'w1') }), record({ ...common, target: task(202, 'w2') })]), []);
  const out = a.push([record({ kind: Kind.ATTEMPT_END, sender: shell, sig: 15, syscall: 1, attempt: 5, ret: 0, count: 2, flags: Flag.RET_KNOWN })]) as SignalEvent[];
  assert.deepEqual(out.map((e) => [e.target?.pid, e.requested, e.ret, e.errno]), [[201, -200, 0, null], [202, -200, 0, null]]);
});

test('a failed kill names the target from the process table, unless the pid was reused or the sender is in a container', () => {
  const a = new Assembler(clock);
  a.push([record({ kind: Kind.TASK, target: task(300, 'postgres') })]);
  const failed = (fields: Partial<RawRecord> = {}) =>
    a.push([record({ sender: task(400, 'kill'), sig: 9, syscall: 1, requested: 300, ret: -1, flags: Flag.NO_SIGNAL | Flag.RET_KNOWN | Flag.SENDER_KNOWN, ...fields })])[0] as SignalEvent;
  const e = failed();
  assert.equal(e.errno, 'EPERM');
  assert.equal(e.result, null);
  assert.deepEqual(e.target, { pid: 300, tid: 300, comm: 'postgres', start: 300_000 });
  assert.equal(failed({ senderNsPid: 3 }).target, null, 'pid 300 in the sender\'s namespace is not global pid 300');
  a.push([record({ kind: Kind.EXIT, target: task(300, 'postgres') })]);
  assert.equal(failed().target, null, 'the process that held pid 300 has exited');
});

test('a kernel-sent signal has the kernel as sender and the running task only as context', () => {
  const a = new Assembler(clock);
  const [e] = a.push([record({ sender: task(500, 'crasher'), target: task(500, 'crasher'), sig: 11, code: 1, result: 0, flags: Flag.KERNEL | Flag.TARGET_KNOWN })]) as SignalEvent[];
  assert.equal(e.origin, 'kernel');
  assert.equal(e.sender.pid, 0);
  assert.equal(e.sender.comm, 'kernel');
  assert.equal(e.context?.pid, 500);
  assert.equal(e.codeName, 'SEGV_MAPERR');
  assert.equal(e.syscall, null);
  assert.equal(e.ret, null);
  assert.equal(e.time, new Date((2_000_000_000 + 1_700_000_000_000_000_000 - 1_000_000_000) / 1e6).toISOString());
});

test('a user signal no syscall probe saw keeps its sender, with the syscall unknown', () => {
  const a = new Assembler(clock);
  const [e] = a.push([record({ sender: task(600, 'legacy32'), target: task(601, 'x'), sig: 15, code: 0, result: 0, flags: Flag.SENDER_KNOWN | Flag.TARGET_KNOWN })]) as SignalEvent[];
  assert.equal(e.origin, 'user');
  assert.equal(e.sender.pid, 600);
  assert.equal(e.syscall, null);
  assert.equal(e.requested, null);
  assert.equal(e.ret, null);
});

test('exit status decodes to a code, or to the signal and core dump', () => {
  const a = new Assembler(clock);
  const [exited, killed] = a.push([
    record({ kind: Kind.EXIT, target: task(700, 'a'), exitCode: 3 << 8 }),
    record({ kind: Kind.EXIT, target: task(701, 'b'), exitCode: 0x80 | 11, flags: Flag.CORE }),
  ]) as ExitEvent[];
  assert.deepEqual([exited.exitCode, exited.exitSignal, exited.core], [3, null, false]);
  assert.deepEqual([killed.exitCode, killed.exitSignal, killed.core], [null, 'SIGSEGV', true]);
});

test('attempts still open at stop are handed over, their return value unknown', () => {
  const a = new Assembler(clock);
  a.push([record({ sender: task(800, 's'), target: task(801, 't'), sig: 1, syscall: 1, requested: -1, attempt: 9, flags: Flag.MULTI | Flag.TARGET_KNOWN })]);
  const [e] = a.flush() as SignalEvent[];
  assert.equal(e.target?.pid, 801);
  assert.equal(e.ret, null);
});
