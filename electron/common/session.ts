// The session model: every process seen and every signal between them, built
// incrementally from the event stream. Pure TypeScript so that the renderer,
// the CLI and the server can all hold one.
//
// A process is identified by (pid, start): a reused PID is a different
// process. Threads are folded into their process. The kernel is one process,
// pid 0.
import {
  processKey,
  type ExecEvent,
  type ExitEvent,
  type ForkEvent,
  type ProcessInfo,
  type ProcessSnapshotEvent,
  type SigScopeEvent,
  type SignalEvent,
  type TaskRef,
} from './events';

export type ProcessKind = 'process' | 'kernel' | 'missing';

export interface ExecRecord {
  ts: number;
  filename: string;
}

export interface ProcessRecord {
  key: string;
  /** Small dense number, stable for the session; handy for arrays in the views. */
  id: number;
  kind: ProcessKind;
  pid: number;
  /** Microseconds since boot. */
  start: number;
  comm: string;
  /** Thread ids seen (at most MAX_TIDS kept); threadCount counts them all. */
  tids: number[];
  threadCount: number;
  cmdline: string[] | null;
  exe: string | null;
  uid: number | null;
  user: string | null;
  ppid: number | null;
  parentKey: string | null;
  nsPid: number | null;
  cgroup: string | null;
  container: string | null;
  unit: string | null;
  /** Why /proc could not be read, when it could not. */
  infoError: string | null;
  /** Alive when capture started (from the snapshot). */
  snapshot: boolean;
  /** Wall clock of the fork, when seen. */
  forkTs: number | null;
  execs: ExecRecord[];
  exitTs: number | null;
  exitCode: number | null;
  exitSignal: string | null;
  exitSig: number | null;
  core: boolean;
  /** Wall clock (µs since epoch) of the first and last event that named this process. */
  firstTs: number;
  lastTs: number;
  sent: number;
  received: number;
  failedSent: number;
  /** Indices into Session.signals where this process is sender or target, in time order. */
  signalIndices: number[];
  /** Key of the earlier process that held the same pid, if any. */
  reusedPidOf: string | null;
}

export interface EdgeAggregate {
  key: string;
  senderKey: string;
  targetKey: string;
  sig: number;
  signal: string;
  count: number;
  failed: number;
  firstTs: number;
  lastTs: number;
  /** Counts per result ("delivered", "ignored", ...) and per errno ("EPERM", ...). */
  results: Record<string, number>;
  errnos: Record<string, number>;
  origin: { user: number; kernel: number };
  /** Indices into Session.signals, in arrival order. */
  signalIndices: number[];
}

/** What one applyEvents call changed; the views use it to animate and to redraw only what moved. */
export interface ApplySummary {
  newProcesses: string[];
  changedProcesses: Set<string>;
  newEdges: string[];
  /** Edge key → index of the newest signal that crossed it in this batch. */
  touchedEdges: Map<string, number>;
  firstSignalIndex: number;
  signalCount: number;
}

export const KERNEL_KEY = processKey(0, 0);
const MAX_TIDS = 64;

export function missingKey(requested: number | null): string {
  return `missing:${requested ?? '?'}`;
}

export function edgeKey(senderKey: string, targetKey: string, sig: number): string {
  return `${senderKey}>${targetKey}#${sig}`;
}

export function isFailed(e: SignalEvent): boolean {
  return e.errno !== null || (e.ret !== null && e.ret < 0);
}

export class Session {
  readonly processes = new Map<string, ProcessRecord>();
  /** The newest process holding each pid. */
  private readonly byPid = new Map<number, ProcessRecord>();
  readonly edges = new Map<string, EdgeAggregate>();
  /** Every signal event, in arrival order. Indices are stable. */
  readonly signals: SignalEvent[] = [];
  /** Indices into signals ordered by ts (arrival is nearly, not exactly, in time order). */
  readonly timeOrder: number[] = [];
  /** Signal number → events seen, and its name. */
  readonly signalCounts = new Map<number, number>();
  readonly signalNames = new Map<number, string>();
  lifecycleCount = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
  /** Wall clock of boot in µs since the epoch, estimated from fork events (null until one is seen). */
  bootTimeUs: number | null = null;
  /** Bumped on every change so that views can tell cheaply whether to redraw. */
  version = 0;
  private nextId = 0;

  constructor() {
    this.ensureKernel();
  }

  get totalEvents(): number {
    return this.signals.length + this.lifecycleCount;
  }

  applyEvents(events: readonly SigScopeEvent[]): ApplySummary {
    const summary: ApplySummary = {
      newProcesses: [],
      changedProcesses: new Set(),
      newEdges: [],
      touchedEdges: new Map(),
      firstSignalIndex: this.signals.length,
      signalCount: 0,
    };
    for (const event of events) {
      switch (event.type) {
        case 'signal':
          this.applySignal(event, summary);
          break;
        case 'fork':
          this.applyFork(event, summary);
          break;
        case 'exec':
          this.applyExec(event, summary);
          break;
        case 'exit':
          this.applyExit(event, summary);
          break;
        case 'process':
          this.applySnapshot(event, summary);
          break;
        default:
          // Unknown types are skipped: the contract lets producers add event types.
          break;
      }
    }
    summary.signalCount = this.signals.length - summary.firstSignalIndex;
    if (events.length > 0) this.version++;
    return summary;
  }

  applyProcessInfo(infos: readonly ProcessInfo[]): Set<string> {
    const changed = new Set<string>();
    for (const info of infos) {
      const p = this.processFor(info.pid, info.start, info.comm, null, null);
      if (info.comm) p.comm = info.comm;
      if (info.cmdline && info.cmdline.length > 0) p.cmdline = info.cmdline.slice();
      if (info.exe) p.exe = info.exe;
      if (info.uid !== null && info.uid !== undefined) p.uid = info.uid;
      if (info.user) p.user = info.user;
      if (info.ppid !== null && info.ppid !== undefined && p.ppid === null) {
        p.ppid = info.ppid;
        const parent = this.byPid.get(info.ppid);
        if (parent && parent.start <= p.start) p.parentKey = parent.key;
      }
      if (info.cgroup) p.cgroup = info.cgroup;
      if (info.container) p.container = info.container;
      if (info.unit) p.unit = info.unit;
      p.infoError = info.error ?? null;
      changed.add(p.key);
    }
    if (infos.length > 0) this.version++;
    return changed;
  }

  getProcess(key: string): ProcessRecord | undefined {
    return this.processes.get(key);
  }

  /** The process that holds `pid` now (the newest one seen). */
  currentForPid(pid: number): ProcessRecord | undefined {
    return this.byPid.get(pid);
  }

  /** Edges that start or end at a process. */
  edgesOf(key: string): EdgeAggregate[] {
    const out: EdgeAggregate[] = [];
    for (const e of this.edges.values()) if (e.senderKey === key || e.targetKey === key) out.push(e);
    return out;
  }

  /** Index range [lo, hi) into timeOrder of the signals with from <= ts <= to. */
  timeRange(from: number, to: number): [number, number] {
    return [lowerBound(this.timeOrder, this.signals, from), upperBound(this.timeOrder, this.signals, to)];
  }

  /**
   * Edge aggregates over a time window only (the brushed window of the timeline).
   * Without signalIndices, to keep it cheap.
   */
  edgesInWindow(from: number, to: number): Map<string, EdgeAggregate> {
    const out = new Map<string, EdgeAggregate>();
    const [lo, hi] = this.timeRange(from, to);
    for (let i = lo; i < hi; i++) {
      const e = this.signals[this.timeOrder[i]];
      const senderKey = this.keyOfSender(e);
      const targetKey = this.keyOfTarget(e);
      const key = edgeKey(senderKey, targetKey, e.sig);
      let agg = out.get(key);
      if (!agg) {
        agg = newEdge(key, senderKey, targetKey, e);
        out.set(key, agg);
      }
      addToEdge(agg, e, -1);
    }
    return out;
  }

  keyOfSender(e: SignalEvent): string {
    return e.sender.pid === 0 ? KERNEL_KEY : processKey(e.sender.pid, e.sender.start);
  }

  keyOfTarget(e: SignalEvent): string {
    if (!e.target) return missingKey(e.requested);
    return e.target.pid === 0 ? KERNEL_KEY : processKey(e.target.pid, e.target.start);
  }

  /** Wall clock of a process's start, when the boot time is known. */
  startWallUs(p: ProcessRecord): number | null {
    if (p.forkTs !== null) return p.forkTs;
    if (p.kind !== 'process' || this.bootTimeUs === null) return null;
    return this.bootTimeUs + p.start;
  }

  // ---- internals ----

  private ensureKernel(): ProcessRecord {
    let k = this.processes.get(KERNEL_KEY);
    if (!k) {
      k = this.newProcess(KERNEL_KEY, 'kernel', 0, 0, 'kernel');
      this.processes.set(KERNEL_KEY, k);
      this.byPid.set(0, k);
    }
    return k;
  }

  private newProcess(key: string, kind: ProcessKind, pid: number, start: number, comm: string): ProcessRecord {
    return {
      key,
      id: this.nextId++,
      kind,
      pid,
      start,
      comm,
      tids: [],
      threadCount: 0,
      cmdline: null,
      exe: null,
      uid: null,
      user: null,
      ppid: null,
      parentKey: null,
      nsPid: null,
      cgroup: null,
      container: null,
      unit: null,
      infoError: null,
      snapshot: false,
      forkTs: null,
      execs: [],
      exitTs: null,
      exitCode: null,
      exitSignal: null,
      exitSig: null,
      core: false,
      firstTs: Infinity,
      lastTs: -Infinity,
      sent: 0,
      received: 0,
      failedSent: 0,
      signalIndices: [],
      reusedPidOf: null,
    };
  }

  private processFor(
    pid: number,
    start: number,
    comm: string,
    summary: ApplySummary | null,
    ts: number | null,
  ): ProcessRecord {
    if (pid === 0) return this.ensureKernel();
    const key = processKey(pid, start);
    let p = this.processes.get(key);
    if (!p) {
      p = this.newProcess(key, 'process', pid, start, comm);
      this.processes.set(key, p);
      const holder = this.byPid.get(pid);
      if (holder && holder.key !== key) {
        if (holder.start < start) {
          p.reusedPidOf = holder.key;
          this.byPid.set(pid, p);
        } else {
          // An older holder reported late (events from several CPUs interleave).
          holder.reusedPidOf ??= key;
        }
      } else {
        this.byPid.set(pid, p);
      }
      summary?.newProcesses.push(key);
    }
    if (ts !== null) {
      if (ts < p.firstTs) p.firstTs = ts;
      if (ts > p.lastTs) p.lastTs = ts;
    }
    return p;
  }

  private task(ref: TaskRef, summary: ApplySummary, ts: number): ProcessRecord {
    const p = this.processFor(ref.pid, ref.start, ref.comm, summary, ts);
    if (p.kind === 'process') {
      if (ref.comm && p.comm !== ref.comm && p.execs.length === 0) p.comm = ref.comm;
      this.addTid(p, ref.tid);
    }
    return p;
  }

  private addTid(p: ProcessRecord, tid: number): void {
    if (!tid || p.tids.includes(tid)) return;
    p.threadCount++;
    if (p.tids.length < MAX_TIDS) p.tids.push(tid);
  }

  private noteTs(ts: number): void {
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
  }

  private applySignal(e: SignalEvent, summary: ApplySummary): void {
    const index = this.signals.length;
    this.signals.push(e);
    insertByTs(this.timeOrder, this.signals, index);
    this.noteTs(e.ts);
    this.signalCounts.set(e.sig, (this.signalCounts.get(e.sig) ?? 0) + 1);
    if (!this.signalNames.has(e.sig)) this.signalNames.set(e.sig, e.signal);

    const sender = this.task(e.sender, summary, e.ts);
    let target: ProcessRecord;
    if (e.target) {
      target = this.task(e.target, summary, e.ts);
    } else {
      const key = missingKey(e.requested);
      let m = this.processes.get(key);
      if (!m) {
        m = this.newProcess(key, 'missing', e.requested ?? -1, 0, 'no such process');
        this.processes.set(key, m);
        summary.newProcesses.push(key);
      }
      if (e.ts < m.firstTs) m.firstTs = e.ts;
      if (e.ts > m.lastTs) m.lastTs = e.ts;
      target = m;
    }
    if (e.context && e.context.pid !== 0) this.task(e.context, summary, e.ts);
    if (e.uid !== null && sender.uid === null && sender.kind === 'process') sender.uid = e.uid;
    if (e.senderNsPid !== null && sender.nsPid === null) sender.nsPid = e.senderNsPid;
    if (e.targetNsPid !== null && target.nsPid === null && target.kind === 'process') target.nsPid = e.targetNsPid;

    const failed = isFailed(e);
    sender.sent++;
    if (failed) sender.failedSent++;
    target.received++;
    insertByTs(sender.signalIndices, this.signals, index);
    if (target !== sender) insertByTs(target.signalIndices, this.signals, index);
    summary.changedProcesses.add(sender.key);
    summary.changedProcesses.add(target.key);

    const key = edgeKey(sender.key, target.key, e.sig);
    let edge = this.edges.get(key);
    if (!edge) {
      edge = newEdge(key, sender.key, target.key, e);
      this.edges.set(key, edge);
      summary.newEdges.push(key);
    }
    addToEdge(edge, e, index);
    summary.touchedEdges.set(key, index);
  }

  private lifecycle(e: ForkEvent | ExecEvent | ExitEvent | ProcessSnapshotEvent, summary: ApplySummary): ProcessRecord {
    this.lifecycleCount++;
    this.noteTs(e.ts);
    const p = this.processFor(e.pid, e.start, e.comm, summary, e.ts);
    this.addTid(p, e.tid);
    if (p.uid === null) p.uid = e.uid;
    summary.changedProcesses.add(p.key);
    return p;
  }

  private applyFork(e: ForkEvent, summary: ApplySummary): void {
    if (e.tid !== e.pid) {
      // A new thread of an existing process: fold it in.
      this.lifecycle(e, summary);
      return;
    }
    const p = this.lifecycle(e, summary);
    p.forkTs = e.ts;
    if (e.comm) p.comm = e.comm;
    p.ppid = e.ppid;
    p.parentKey = e.ppid === 0 ? KERNEL_KEY : processKey(e.ppid, e.parentStart);
    if (e.nsPid !== null) p.nsPid = e.nsPid;
    if (this.bootTimeUs === null && e.start > 0) this.bootTimeUs = e.ts - e.start;
    if (!this.processes.has(p.parentKey)) {
      const parent = this.processFor(e.ppid, e.parentStart, e.parentComm, summary, null);
      parent.comm ||= e.parentComm;
    }
  }

  private applyExec(e: ExecEvent, summary: ApplySummary): void {
    const p = this.lifecycle(e, summary);
    p.execs.push({ ts: e.ts, filename: e.filename });
    if (e.comm) p.comm = e.comm;
    if (!e.truncated) p.exe = e.filename;
  }

  private applyExit(e: ExitEvent, summary: ApplySummary): void {
    const p = this.lifecycle(e, summary);
    if (e.tid !== e.pid) return; // a thread ended; the process lives on
    p.exitTs = e.ts;
    p.exitCode = e.exitCode;
    p.exitSignal = e.exitSignal;
    p.exitSig = e.exitSig;
    p.core = e.core;
  }

  private applySnapshot(e: ProcessSnapshotEvent, summary: ApplySummary): void {
    const p = this.lifecycle(e, summary);
    p.snapshot = true;
    if (e.comm) p.comm = e.comm;
    p.ppid = e.ppid;
    p.parentKey = e.ppid === 0 ? KERNEL_KEY : processKey(e.ppid, e.parentStart);
    if (e.nsPid !== null) p.nsPid = e.nsPid;
  }
}

function newEdge(key: string, senderKey: string, targetKey: string, e: SignalEvent): EdgeAggregate {
  return {
    key,
    senderKey,
    targetKey,
    sig: e.sig,
    signal: e.signal,
    count: 0,
    failed: 0,
    firstTs: e.ts,
    lastTs: e.ts,
    results: {},
    errnos: {},
    origin: { user: 0, kernel: 0 },
    signalIndices: [],
  };
}

function addToEdge(edge: EdgeAggregate, e: SignalEvent, index: number): void {
  edge.count++;
  if (isFailed(e)) edge.failed++;
  if (e.ts < edge.firstTs) edge.firstTs = e.ts;
  if (e.ts > edge.lastTs) edge.lastTs = e.ts;
  if (e.result) edge.results[e.result] = (edge.results[e.result] ?? 0) + 1;
  if (e.errno) edge.errnos[e.errno] = (edge.errnos[e.errno] ?? 0) + 1;
  edge.origin[e.origin]++;
  if (index >= 0) edge.signalIndices.push(index);
}

/** Append index to a list kept in ts order; events arrive nearly sorted, so this walks back a step or two at most. */
function insertByTs(list: number[], signals: readonly SignalEvent[], index: number): void {
  const ts = signals[index].ts;
  let i = list.length;
  while (i > 0 && signals[list[i - 1]].ts > ts) i--;
  if (i === list.length) list.push(index);
  else list.splice(i, 0, index);
}

/** First position in a ts-ordered index list whose ts >= ts. */
export function lowerBound(list: readonly number[], signals: readonly SignalEvent[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (signals[list[mid]].ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in a ts-ordered index list whose ts > ts. */
export function upperBound(list: readonly number[], signals: readonly SignalEvent[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (signals[list[mid]].ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
