// Synthetic events for the recording tests and bench/recording.js: shaped
// exactly as the assembler makes them (same fields, same order).
import type { ExecEvent, ExitEvent, ForkEvent, ProcessSnapshotEvent, SigScopeEvent, SignalEvent, TaskRef } from '../../electron/common/events';

export const T0 = 1_760_000_000_000_000;

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ts: number) => new Date(ts / 1000).toISOString();

export function task(pid: number, comm: string, start: number, tid = pid): TaskRef {
  return { pid, tid, comm, start };
}

export function killEvent(ts: number, sender: TaskRef, target: TaskRef | null, sig = 10, result: SignalEvent['result'] = 'ignored'): SignalEvent {
  return {
    type: 'signal', time: iso(ts), ts, sig, signal: sig === 10 ? 'SIGUSR1' : sig === 15 ? 'SIGTERM' : `SIG${sig}`,
    origin: 'user', syscall: 'kill', code: 0, codeName: 'SI_USER', errno: null, ret: 0, result,
    requested: target ? target.pid : 4242, requestedTgid: null, sender: { ...sender }, target: target ? { ...target } : null,
    context: null, senderNsPid: null, targetNsPid: null, uid: 0, group: true,
  };
}

/** The storm of bench/storm.c: one process kill()s another, which ignores SIGUSR1. */
export function* storm(count: number, seed = 1): Generator<SignalEvent[]> {
  const rand = random(seed);
  const sender = task(31337, 'storm', 5_000_000_123);
  const target = task(31338, 'storm', 5_000_001_456);
  let ts = T0;
  for (let done = 0; done < count;) {
    const n = Math.min(4096, count - done);
    const batch: SignalEvent[] = new Array(n);
    for (let i = 0; i < n; i++) {
      // 369k kill()/s under capture: about 2.7 µs apart, with jitter and the odd pause.
      ts += rand() < 0.001 ? 50 + Math.floor(rand() * 2000) : 1 + Math.floor(rand() * 4);
      batch[i] = killEvent(ts, sender, target);
    }
    done += n;
    yield batch;
  }
}

/** Every kind of event and every odd value the JSON contract allows. */
export function variety(): SigScopeEvent[] {
  const shell = task(1200, 'bash', 10_000);
  const child = task(1300, 'sleep', 20_000);
  const worker = task(1300, 'sleep', 20_000, 1301);
  const base = (ts: number, t: TaskRef) => ({ time: iso(ts), ts, pid: t.pid, tid: t.tid, comm: t.comm, start: t.start, uid: 1000 });
  const snapshot: ProcessSnapshotEvent = { ...base(T0, shell), type: 'process', ppid: 1, parentStart: 0, nsPid: null };
  const fork: ForkEvent = { ...base(T0 + 10, child), type: 'fork', ppid: 1200, parentStart: 10_000, parentComm: 'bash', nsPid: 7 };
  const exec: ExecEvent = { ...base(T0 + 20, child), type: 'exec', filename: '/usr/bin/sleep', truncated: false };
  const execLong: ExecEvent = { ...base(T0 + 21, child), type: 'exec', filename: '/very/long/path/that/was/cut/by/the/kernel/re', truncated: true };
  const term = killEvent(T0 + 30, shell, child, 15, 'delivered');
  const failed: SignalEvent = { ...killEvent(T0 + 40, child, null, 9, null), syscall: 'kill', code: null, codeName: null, errno: 'ESRCH', ret: -3, requested: 99999 };
  const groupKill: SignalEvent = { ...killEvent(T0 + 41, shell, worker, 2, 'pending'), requested: -1200, group: false, syscall: 'tgkill', code: -6, codeName: 'SI_TKILL', requestedTgid: 1300 };
  const kernel: SignalEvent = {
    ...killEvent(T0 + 50, { pid: 0, tid: 0, comm: 'kernel', start: 0 }, shell, 17, 'delivered'),
    origin: 'kernel', syscall: null, code: 1, codeName: 'CLD_EXITED', ret: null, requested: null, uid: null,
    context: { ...child }, signal: 'SIGCHLD', targetNsPid: 1,
  };
  const probe: SignalEvent = { ...killEvent(T0 + 60, shell, child, 0, null), signal: '0', code: null, codeName: null, senderNsPid: 3 };
  const exit: ExitEvent = { ...base(T0 + 70, child), type: 'exit', exitCode: null, exitSignal: 'SIGTERM', exitSig: 15, core: false };
  const exit2: ExitEvent = { ...base(T0 + 71, shell), type: 'exit', exitCode: 0, exitSignal: null, exitSig: null, core: true };
  const unicode: SignalEvent = killEvent(T0 + 80, task(1400, 'naïve ☃ \u0000x', 30_000), task(1401, '"quoted",comma\nline', 30_001));
  const oddTime: SignalEvent = { ...killEvent(T0 + 90, shell, child), time: 'not derived from ts' };
  const bigNumbers: SignalEvent = { ...killEvent(T0 + 100, task(4_194_304, 'max', 2 ** 52), task(1, 'init', 0)), ret: -2147483648, uid: 4294967295, requested: -2147483648 };
  const unknownField = { ...killEvent(T0 + 110, shell, child), extra: { nested: [1, 2, 3] } } as SignalEvent;
  const reordered = Object.assign({ ts: T0 + 120 }, killEvent(T0 + 120, shell, child)) as SignalEvent;
  const fractional = { ...killEvent(T0 + 130, shell, child), ret: 0.5 } as unknown as SignalEvent;
  const backwards = killEvent(T0 - 1_000_000, shell, child); // out of order: a multi-target attempt completed late
  return [snapshot, fork, exec, execLong, term, failed, groupKill, kernel, probe, exit, exit2, unicode, oddTime, bigNumbers, unknownField, reordered, fractional, backwards];
}
