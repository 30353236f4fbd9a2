// The events every side of SigScope speaks: the kernel's records decoded and
// joined, as the CLI prints them (`--json`), as recordings store them and as
// the renderer draws them. docs/json.md is the public description; add fields
// freely, never change or remove one.

/** A process (or one of its threads) at the moment of an event. */
export interface TaskRef {
  /** Process id (tgid), global pid namespace. 0 for the kernel. */
  pid: number;
  /** Thread id. */
  tid: number;
  comm: string;
  /** Process start, microseconds since boot. With `pid` it is the identity. */
  start: number;
}

export type Origin = 'user' | 'kernel';
export type SignalResult = 'delivered' | 'ignored' | 'pending' | 'overflow' | 'lost-info';
export type SyscallName =
  | 'kill'
  | 'tkill'
  | 'tgkill'
  | 'rt_sigqueueinfo'
  | 'rt_tgsigqueueinfo'
  | 'pidfd_send_signal';

export interface SignalEvent {
  type: 'signal';
  /** ISO-8601 wall clock. */
  time: string;
  /** Wall clock, microseconds since the Unix epoch. */
  ts: number;
  sig: number;
  /** Name such as "SIGTERM"; "0" for the signal-0 probe. */
  signal: string;
  origin: Origin;
  /** null for kernel-originated signals. */
  syscall: SyscallName | null;
  /** si_code as a number and as a name such as "SI_USER". null when no signal was generated. */
  code: number | null;
  codeName: string | null;
  /** Error name such as "EPERM"; null on success. */
  errno: string | null;
  /** Syscall return value; null for kernel-originated signals. */
  ret: number | null;
  /** null when no signal was generated. */
  result: SignalResult | null;
  /** The pid argument as the sender passed it (may be -pgid, 0 or -1); null for kernel signals. */
  requested: number | null;
  /** tgkill / rt_tgsigqueueinfo: the tgid argument; pidfd_send_signal: the pidfd. */
  requestedTgid: number | null;
  /** The sender; for kernel-originated signals { pid: 0, comm: "kernel" }. */
  sender: TaskRef;
  /** The target; null when the attempt named no existing process (ESRCH, kill(-1) reaching nobody). */
  target: TaskRef | null;
  /** Kernel-originated only: the task that was running when the kernel sent it (the faulting or exiting task). */
  context: TaskRef | null;
  /** Sender's and target's pid in their own pid namespaces, where they differ from the global pid. */
  senderNsPid: number | null;
  targetNsPid: number | null;
  /** The sender's uid. */
  uid: number | null;
  /** Sent to the whole thread group rather than one thread. */
  group: boolean;
}

export interface LifecycleBase {
  time: string;
  ts: number;
  pid: number;
  tid: number;
  comm: string;
  start: number;
  uid: number;
}

export interface ForkEvent extends LifecycleBase {
  type: 'fork';
  ppid: number;
  parentStart: number;
  parentComm: string;
  nsPid: number | null;
}

export interface ExecEvent extends LifecycleBase {
  type: 'exec';
  filename: string;
  /** true when the kernel record held only the start of the filename. */
  truncated: boolean;
}

export interface ExitEvent extends LifecycleBase {
  type: 'exit';
  /** Exit status when the process exited; null when a signal ended it. */
  exitCode: number | null;
  /** Name of the signal that ended it; null when it exited. */
  exitSignal: string | null;
  exitSig: number | null;
  core: boolean;
}

/** A process already alive when capture started. */
export interface ProcessSnapshotEvent extends LifecycleBase {
  type: 'process';
  ppid: number;
  parentStart: number;
  nsPid: number | null;
}

export type LifecycleEvent = ForkEvent | ExecEvent | ExitEvent | ProcessSnapshotEvent;
export type SigScopeEvent = SignalEvent | LifecycleEvent;

/** What the helper learned from /proc when it first saw a process. */
export interface ProcessInfo {
  type: 'process-info';
  pid: number;
  start: number;
  comm: string;
  cmdline: string[];
  exe: string | null;
  uid: number | null;
  user: string | null;
  ppid: number | null;
  cgroup: string | null;
  container: string | null;
  unit: string | null;
  /** Why /proc could not be read (the process had already exited, say). */
  error?: string;
}

export interface CaptureStats {
  type: 'stats';
  /** Records read from the ring buffer. */
  events: number;
  /** Records the kernel could not write (ring buffer full), per CPU. */
  dropsPerCpu: number[];
  drops: number;
  batches: number;
  bytes: number;
}

/** Filters applied in the kernel; change them while capturing. */
export interface CaptureFilters {
  /** Signal numbers to capture (0 is the signal-0 probe). Empty or absent: all. */
  signals?: number[];
  /** Only events whose sender or target is this process (tgid). */
  pid?: number;
  failedOnly?: boolean;
  /** Capture kernel-originated signals. Default true. */
  kernel?: boolean;
  /** Capture SIGCHLD. Default true. */
  sigchld?: boolean;
}

export interface CaptureOptions extends CaptureFilters {
  /** Emit fork/exec/exit records. Default true. */
  lifecycle?: boolean;
  /** Take a snapshot of live processes at start. Default true. */
  snapshot?: boolean;
  /** Ring buffer size in bytes (a power of two). */
  ringBytes?: number;
}

export function processKey(pid: number, start: number): string {
  return `${pid}@${start}`;
}

export const KERNEL_TASK: TaskRef = Object.freeze({ pid: 0, tid: 0, comm: 'kernel', start: 0 });
