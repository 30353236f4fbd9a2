// Turns the kernel's records into events: maps the boot clock to wall time,
// names signals, codes and errnos, joins the records of a multi-target attempt
// with the return value that closes it, and gives a failed attempt the
// identity of the process it named when that process is known.
import {
  KERNEL_TASK,
  type ExecEvent,
  type ExitEvent,
  type ForkEvent,
  type ProcessSnapshotEvent,
  type SigScopeEvent,
  type SignalEvent,
  type SignalResult,
  type SyscallName,
  type TaskRef,
} from './events';
import { Flag, Kind, type RawRecord, type RawTask } from './record';
import { errnoName, signalName, siCodeName } from './signals';

const RESULTS: readonly SignalResult[] = ['delivered', 'ignored', 'pending', 'overflow', 'lost-info'];
const SYSCALLS: readonly (SyscallName | null)[] = [
  null, 'kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal',
];

/** How to turn CLOCK_BOOTTIME nanoseconds into wall time: both read at the same moment. */
export interface ClockMapping {
  bootNs: number;
  realtimeNs: number;
}

interface KnownProcess {
  start: number;
  comm: string;
  exited: boolean;
}

export class Assembler {
  private readonly offsetNs: number;
  /** Latest process seen under each pid, to name the target of a failed attempt. */
  private readonly byPid = new Map<number, KnownProcess>();
  private readonly pendingAttempts = new Map<string, SignalEvent[]>();

  constructor(clock: ClockMapping) {
    this.offsetNs = clock.realtimeNs - clock.bootNs;
  }

  wallMicros(bootNs: number): number {
    return Math.round((bootNs + this.offsetNs) / 1000);
  }

  /** Events in the order they are complete; a multi-target attempt waits for its end. */
  push(records: readonly RawRecord[]): SigScopeEvent[] {
    const out: SigScopeEvent[] = [];
    for (const record of records) this.pushOne(record, out);
    return out;
  }

  /** Attempts still waiting for their end (at stop): their return value stays unknown. */
  flush(): SigScopeEvent[] {
    const out: SigScopeEvent[] = [];
    for (const events of this.pendingAttempts.values()) out.push(...events);
    this.pendingAttempts.clear();
    return out;
  }

  private pushOne(r: RawRecord, out: SigScopeEvent[]): void {
    switch (r.kind) {
      case Kind.SIGNAL: {
        const event = this.signal(r);
        if (r.flags & Flag.MULTI) {
          const key = attemptKey(r);
          const list = this.pendingAttempts.get(key);
          if (list) list.push(event);
          else this.pendingAttempts.set(key, [event]);
        } else {
          out.push(event);
        }
        return;
      }
      case Kind.ATTEMPT_END: {
        const key = attemptKey(r);
        const list = this.pendingAttempts.get(key);
        this.pendingAttempts.delete(key);
        if (list) {
          for (const event of list) {
            event.ret = r.ret;
            event.errno = r.ret < 0 ? errnoName(-r.ret) : null;
            out.push(event);
          }
        } else if (r.ret < 0) {
          // Its targets were filtered out, but the attempt failed: say so.
          out.push(this.signal({ ...r, flags: r.flags | Flag.NO_SIGNAL }));
        }
        return;
      }
      case Kind.FORK:
      case Kind.TASK:
        this.remember(r.target, false);
        out.push(this.lifecycle(r));
        return;
      case Kind.EXEC:
        this.remember(r.target, false);
        out.push(this.lifecycle(r));
        return;
      case Kind.EXIT:
        this.remember(r.target, true);
        out.push(this.lifecycle(r));
        return;
      default:
        throw new Error(`Unknown record kind ${r.kind}.`);
    }
  }

  private remember(task: RawTask, exited: boolean): void {
    this.byPid.set(task.tgid, { start: micros(task.startNs), comm: task.comm, exited });
  }

  private signal(r: RawRecord): SignalEvent {
    const ts = this.wallMicros(r.tsNs);
    const kernel = (r.flags & Flag.KERNEL) !== 0;
    const generated = (r.flags & Flag.NO_SIGNAL) === 0;
    const retKnown = (r.flags & Flag.RET_KNOWN) !== 0;
    const sender = kernel ? KERNEL_TASK : taskRef(r.sender);
    let target: TaskRef | null = r.flags & Flag.TARGET_KNOWN ? taskRef(r.target) : null;
    const pidfd = r.syscall === 6;
    if (!target && !kernel && !pidfd) target = this.namedTarget(r);
    return {
      type: 'signal',
      time: new Date(ts / 1000).toISOString(),
      ts,
      sig: r.sig,
      signal: signalName(r.sig),
      origin: kernel ? 'kernel' : 'user',
      syscall: kernel ? null : SYSCALLS[r.syscall] ?? null,
      code: generated ? r.code : null,
      codeName: generated ? siCodeName(r.sig, r.code) : null,
      errno: retKnown && r.ret < 0 ? errnoName(-r.ret) : null,
      ret: kernel || !retKnown ? null : r.ret,
      result: generated ? RESULTS[r.result] ?? null : null,
      requested: kernel || pidfd || r.syscall === 0 ? null : r.requested,
      requestedTgid: kernel ? null : r.syscall === 3 || r.syscall === 5 || pidfd ? r.requestedTgid : null,
      sender,
      target,
      context: kernel && r.sender.tgid !== 0 ? taskRef(r.sender) : null,
      senderNsPid: !kernel && r.senderNsPid && r.senderNsPid !== r.sender.tgid ? r.senderNsPid : null,
      targetNsPid: target && r.targetNsPid && r.targetNsPid !== r.target.tgid ? r.targetNsPid : null,
      uid: kernel ? null : r.uid,
      group: (r.flags & Flag.GROUP) !== 0,
    };
  }

  /**
   * The process a failed attempt or a signal-0 probe named: only a plain
   * positive pid in the global namespace can be looked up.
   */
  private namedTarget(r: RawRecord): TaskRef | null {
    const inChildNamespace = r.senderNsPid !== 0 && r.senderNsPid !== r.sender.tgid;
    const pid = r.syscall === 3 || r.syscall === 5 ? r.requestedTgid : r.requested;
    if (pid <= 0 || inChildNamespace) return null;
    const known = this.byPid.get(pid);
    if (!known || known.exited) return null;
    return { pid, tid: r.syscall === 2 || r.syscall === 3 || r.syscall === 5 ? r.requested : pid, comm: known.comm, start: known.start };
  }

  private lifecycle(r: RawRecord): SigScopeEvent {
    const ts = this.wallMicros(r.tsNs);
    const base = {
      time: new Date(ts / 1000).toISOString(),
      ts,
      pid: r.target.tgid,
      tid: r.target.tid,
      comm: r.target.comm,
      start: micros(r.target.startNs),
      uid: r.uid,
    };
    const nsPid = r.nsPid && r.nsPid !== r.target.tgid ? r.nsPid : null;
    switch (r.kind) {
      case Kind.FORK:
        return {
          ...base, type: 'fork', ppid: r.sender.tgid, parentStart: micros(r.sender.startNs),
          parentComm: r.sender.comm, nsPid,
        } satisfies ForkEvent;
      case Kind.EXEC:
        return {
          ...base, type: 'exec', filename: r.filename, truncated: (r.flags & Flag.TRUNCATED) !== 0,
        } satisfies ExecEvent;
      case Kind.EXIT: {
        const sig = r.exitCode & 0x7f;
        return {
          ...base, type: 'exit',
          exitCode: sig ? null : (r.exitCode >> 8) & 0xff,
          exitSignal: sig ? signalName(sig) : null,
          exitSig: sig || null,
          core: (r.exitCode & 0x80) !== 0,
        } satisfies ExitEvent;
      }
      default:
        return {
          ...base, type: 'process', ppid: r.ppid, parentStart: micros(r.parentStartNs), nsPid,
        } satisfies ProcessSnapshotEvent;
    }
  }
}

function micros(ns: number): number {
  return Math.floor(ns / 1000);
}

function taskRef(t: RawTask): TaskRef {
  return { pid: t.tgid, tid: t.tid, comm: t.comm, start: micros(t.startNs) };
}

function attemptKey(r: RawRecord): string {
  return `${r.sender.tid}:${r.attempt}`;
}
