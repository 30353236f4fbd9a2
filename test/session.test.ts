import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processKey, type SignalEvent, type SigScopeEvent, type TaskRef } from '../electron/common/events';
import { KERNEL_KEY, Session, edgeKey, missingKey } from '../electron/common/session';

const T0 = 1_700_000_000_000_000;

function task(pid: number, start: number, comm: string, tid = pid): TaskRef {
  return { pid, tid, comm, start };
}

function signal(over: Partial<SignalEvent> & { sender: TaskRef; target: TaskRef | null; sig: number; ts: number }): SignalEvent {
  return {
    type: 'signal',
    time: new Date(over.ts / 1000).toISOString(),
    signal: `SIG${over.sig}`,
    origin: 'user',
    syscall: 'kill',
    code: 0,
    codeName: 'SI_USER',
    errno: null,
    ret: 0,
    result: 'delivered',
    requested: over.target?.pid ?? null,
    requestedTgid: null,
    context: null,
    senderNsPid: null,
    targetNsPid: null,
    uid: 1000,
    group: true,
    ...over,
  };
}

test('a reused pid is a different process', () => {
  const s = new Session();
  const shell = task(100, 5, 'bash');
  s.applyEvents([
    signal({ sender: shell, target: task(4242, 10, 'worker'), sig: 15, ts: T0 }),
    signal({ sender: shell, target: task(4242, 99, 'other'), sig: 10, ts: T0 + 10 }),
  ]);
  const a = s.getProcess(processKey(4242, 10));
  const b = s.getProcess(processKey(4242, 99));
  assert.ok(a && b);
  assert.notEqual(a.key, b.key);
  assert.equal(b.reusedPidOf, a.key);
  assert.equal(s.currentForPid(4242)?.key, b.key);
  assert.equal(s.edges.size, 2);
});

test('threads fold into their process', () => {
  const s = new Session();
  s.applyEvents([
    signal({ sender: task(200, 7, 'app', 201), target: task(300, 8, 'db'), sig: 10, ts: T0 }),
    signal({ sender: task(200, 7, 'app', 202), target: task(300, 8, 'db', 305), sig: 10, ts: T0 + 1 }),
  ]);
  const app = s.getProcess(processKey(200, 7))!;
  assert.equal(app.threadCount, 2);
  assert.deepEqual(app.tids, [201, 202]);
  assert.equal(app.sent, 2);
  const edge = s.edges.get(edgeKey(app.key, processKey(300, 8), 10))!;
  assert.equal(edge.count, 2);
});

test('the kernel is one node and kernel signals count as kernel origin', () => {
  const s = new Session();
  const kernel = task(0, 0, 'kernel');
  s.applyEvents([
    signal({ sender: kernel, target: task(10, 1, 'a'), sig: 17, ts: T0, origin: 'kernel', syscall: null, ret: null, context: task(11, 2, 'child') }),
    signal({ sender: kernel, target: task(12, 1, 'b'), sig: 11, ts: T0 + 1, origin: 'kernel', syscall: null, ret: null }),
  ]);
  const k = s.getProcess(KERNEL_KEY)!;
  assert.equal(k.kind, 'kernel');
  assert.equal(k.sent, 2);
  const kernels = [...s.processes.values()].filter((p) => p.pid === 0);
  assert.equal(kernels.length, 1);
  // The context task is known as a process even though it neither sent nor received.
  assert.ok(s.getProcess(processKey(11, 2)));
  const edge = s.edges.get(edgeKey(KERNEL_KEY, processKey(10, 1), 17))!;
  assert.deepEqual(edge.origin, { user: 0, kernel: 1 });
});

test('edge aggregates count results, errnos and failures', () => {
  const s = new Session();
  const a = task(1, 1, 'a');
  const b = task(2, 2, 'b');
  s.applyEvents([
    signal({ sender: a, target: b, sig: 15, ts: T0 + 5 }),
    signal({ sender: a, target: b, sig: 15, ts: T0 + 1, result: 'ignored' }),
    signal({ sender: a, target: b, sig: 15, ts: T0 + 9, errno: 'EPERM', ret: -1, result: null, code: null, codeName: null }),
  ]);
  const edge = s.edges.get(edgeKey(processKey(1, 1), processKey(2, 2), 15))!;
  assert.equal(edge.count, 3);
  assert.equal(edge.failed, 1);
  assert.equal(edge.firstTs, T0 + 1);
  assert.equal(edge.lastTs, T0 + 9);
  assert.deepEqual(edge.results, { delivered: 1, ignored: 1 });
  assert.deepEqual(edge.errnos, { EPERM: 1 });
  assert.equal(s.getProcess(processKey(1, 1))!.failedSent, 1);
  // Per-process lists are kept in time order although arrival was not.
  const ts = s.getProcess(processKey(2, 2))!.signalIndices.map((i) => s.signals[i].ts);
  assert.deepEqual(ts, [T0 + 1, T0 + 5, T0 + 9]);
  assert.deepEqual(s.timeOrder.map((i) => s.signals[i].ts), [T0 + 1, T0 + 5, T0 + 9]);
});

test('a kill naming no process goes to a "no such process" node', () => {
  const s = new Session();
  s.applyEvents([
    signal({ sender: task(1, 1, 'a'), target: null, requested: 99999, sig: 15, ts: T0, errno: 'ESRCH', ret: -3, result: null }),
  ]);
  const m = s.getProcess(missingKey(99999))!;
  assert.equal(m.kind, 'missing');
  assert.equal(m.received, 1);
});

test('fork, exec, exit, snapshot and process info build the process record', () => {
  const s = new Session();
  const events: SigScopeEvent[] = [
    { type: 'process', time: '', ts: T0, pid: 1, tid: 1, comm: 'systemd', start: 100, uid: 0, ppid: 0, parentStart: 0, nsPid: null },
    { type: 'fork', time: '', ts: T0 + 2_000_000, pid: 50, tid: 50, comm: 'systemd', start: 2_000_100, uid: 0, ppid: 1, parentStart: 100, parentComm: 'systemd', nsPid: null },
    { type: 'fork', time: '', ts: T0 + 2_000_500, pid: 50, tid: 51, comm: 'systemd', start: 2_000_100, uid: 0, ppid: 1, parentStart: 100, parentComm: 'systemd', nsPid: null },
    { type: 'exec', time: '', ts: T0 + 2_001_000, pid: 50, tid: 50, comm: 'nginx', start: 2_000_100, uid: 0, filename: '/usr/sbin/nginx', truncated: false },
    { type: 'exit', time: '', ts: T0 + 3_000_000, pid: 50, tid: 51, comm: 'nginx', start: 2_000_100, uid: 0, exitCode: 0, exitSignal: null, exitSig: null, core: false },
    { type: 'exit', time: '', ts: T0 + 4_000_000, pid: 50, tid: 50, comm: 'nginx', start: 2_000_100, uid: 0, exitCode: null, exitSignal: 'SIGKILL', exitSig: 9, core: false },
  ];
  s.applyEvents(events);
  s.applyProcessInfo([
    { type: 'process-info', pid: 50, start: 2_000_100, comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], exe: '/usr/sbin/nginx', uid: 0, user: 'root', ppid: 1, cgroup: '/system.slice/nginx.service', container: null, unit: 'nginx.service' },
  ]);
  const systemd = s.getProcess(processKey(1, 100))!;
  assert.equal(systemd.snapshot, true);
  const nginx = s.getProcess(processKey(50, 2_000_100))!;
  assert.equal(nginx.comm, 'nginx');
  assert.equal(nginx.parentKey, systemd.key);
  assert.equal(nginx.threadCount, 2);
  assert.equal(nginx.exitSignal, 'SIGKILL', 'a thread exit must not end the process');
  assert.equal(nginx.exitTs, T0 + 4_000_000);
  assert.equal(nginx.exe, '/usr/sbin/nginx');
  assert.deepEqual(nginx.cmdline, ['nginx', '-g', 'daemon off;']);
  assert.equal(nginx.unit, 'nginx.service');
  assert.equal(nginx.user, 'root');
  assert.equal(s.bootTimeUs, T0 + 2_000_000 - 2_000_100);
  assert.equal(s.startWallUs(systemd), T0 + 2_000_000 - 2_000_100 + 100);
  assert.equal(s.totalEvents, 6);
});

test('edgesInWindow aggregates only the window', () => {
  const s = new Session();
  const a = task(1, 1, 'a');
  const b = task(2, 2, 'b');
  const evs: SignalEvent[] = [];
  for (let i = 0; i < 10; i++) evs.push(signal({ sender: a, target: b, sig: i % 2 ? 10 : 15, ts: T0 + i * 100 }));
  s.applyEvents(evs);
  const w = s.edgesInWindow(T0 + 200, T0 + 500);
  const total = [...w.values()].reduce((n, e) => n + e.count, 0);
  assert.equal(total, 4);
});

test('applyEvents takes 1,000,000 events in batches', () => {
  const s = new Session();
  const procs: TaskRef[] = [];
  for (let i = 0; i < 5000; i++) procs.push(task(1000 + i, i * 7, `p${i}`));
  const t = performance.now();
  const batch = 10_000;
  for (let b = 0; b < 1_000_000 / batch; b++) {
    const evs: SignalEvent[] = new Array(batch);
    for (let i = 0; i < batch; i++) {
      const n = b * batch + i;
      evs[i] = signal({ sender: procs[n % 5000], target: procs[(n * 31 + 7) % 5000], sig: 1 + (n % 4), ts: T0 + n });
    }
    s.applyEvents(evs);
  }
  const ms = performance.now() - t;
  assert.equal(s.signals.length, 1_000_000);
  assert.equal(s.processes.size, 5001);
  assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);
  console.log(`# 1,000,000 events applied in ${ms.toFixed(0)} ms, ${s.edges.size} edges`);
});
