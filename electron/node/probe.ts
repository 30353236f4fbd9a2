// The JavaScript face of the native addon: finds the .node, checks every
// argument before it crosses into C++, and types what comes back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureFilters, CaptureOptions } from '../common/events';
import type { ClockMapping } from '../common/assemble';

export interface ProbeStats {
  events: number;
  batches: number;
  bytes: number;
  pendingBatches: number;
  /** The reader is leaving records in the ring: JavaScript has 64 MiB it has not passed on, or hold(true). */
  held: boolean;
  syscallAttach: string;
  dropsPerCpu: number[];
}

export interface OpenResult {
  syscallAttach: 'tracepoint' | 'raw_tp' | 'none';
  mountedTracefs: boolean;
  ringBytes: number;
}

interface NativeFilter {
  signalsLow?: number;
  signalsHigh?: number;
  pid?: number;
  failedOnly?: boolean;
  noKernel?: boolean;
  noSigchld?: boolean;
  lifecycle?: boolean;
}

interface NativeProbe {
  open(options: object, filter: NativeFilter): OpenResult;
  start(onBatch: (batch: ArrayBuffer) => void): void;
  snapshot(): ArrayBuffer;
  hold(held: boolean): void;
  setFilter(filter: NativeFilter): void;
  stats(): ProbeStats;
  stop(): void;
  destroy(): void;
}

interface NativeModule {
  Probe: new () => NativeProbe;
  haveKernelBtf(): boolean;
  clocks(): ClockMapping;
  /** Keeps only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH; returns their names. */
  dropPrivileges(): string[];
  recordSize: number;
}

export type SyscallAttach = 'auto' | 'tracepoint' | 'raw_tp' | 'none';

export interface ProbeOpenOptions extends CaptureOptions {
  syscallAttach?: SyscallAttach;
  pollMs?: number;
  wakeupBytes?: number;
}

let native: NativeModule | null = null;

export function addonPath(): string {
  const candidates = [
    process.env.SIGSCOPE_ADDON,
    path.join(__dirname, 'sigscope.node'), // the bundled helper (build/helper, resources/helper)
    path.join(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'sigscope.node'),
    path.join((process as { resourcesPath?: string }).resourcesPath ?? '', 'native', 'sigscope.node'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw Object.assign(
      new Error(`SigScope's native addon is not built (looked in ${candidates.join(', ')}).`),
      { code: 'internal', hint: 'Run `npm run build` in the SigScope folder.' },
    );
  }
  return found;
}

export function loadNative(): NativeModule {
  if (!native) native = require(addonPath()) as NativeModule;
  return native;
}

export class ArgumentError extends Error {
  readonly code = 'bad-command';
}

function checkSignals(signals: unknown): number[] | undefined {
  if (signals === undefined) return undefined;
  if (!Array.isArray(signals)) throw new ArgumentError('signals must be a list of signal numbers.');
  for (const s of signals) {
    if (!Number.isInteger(s) || s < 0 || s > 63) {
      throw new ArgumentError(`signals: ${JSON.stringify(s)} is not a signal number from 0 to 63.`);
    }
  }
  return signals as number[];
}

function checkBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ArgumentError(`${name} must be true or false.`);
  return value;
}

/** Validates filters and turns them into what the addon takes; throws ArgumentError. */
export function toNativeFilter(filters: CaptureFilters & { lifecycle?: boolean }): NativeFilter {
  if (typeof filters !== 'object' || filters === null) throw new ArgumentError('filters must be an object.');
  const out: NativeFilter = {};
  const signals = checkSignals(filters.signals);
  if (signals !== undefined) {
    let low = 0;
    let high = 0;
    if (signals.length === 0) {
      low = 0xffffffff;
      high = 0xffffffff;
    }
    for (const s of signals) {
      if (s < 32) low = (low | (1 << s)) >>> 0;
      else high = (high | (1 << (s - 32))) >>> 0;
    }
    out.signalsLow = low;
    out.signalsHigh = high;
  }
  if (filters.pid !== undefined) {
    if (!Number.isInteger(filters.pid) || filters.pid < 0 || filters.pid > 0x3fffffff) {
      throw new ArgumentError(`pid: ${JSON.stringify(filters.pid)} is not a process id.`);
    }
    out.pid = filters.pid;
  }
  const failedOnly = checkBoolean('failedOnly', filters.failedOnly);
  if (failedOnly !== undefined) out.failedOnly = failedOnly;
  const kernel = checkBoolean('kernel', filters.kernel);
  if (kernel !== undefined) out.noKernel = !kernel;
  const sigchld = checkBoolean('sigchld', filters.sigchld);
  if (sigchld !== undefined) out.noSigchld = !sigchld;
  const lifecycle = checkBoolean('lifecycle', filters.lifecycle);
  if (lifecycle !== undefined) out.lifecycle = lifecycle;
  return out;
}

export function checkOpenOptions(options: ProbeOpenOptions): object {
  const out: Record<string, unknown> = {};
  if (options.ringBytes !== undefined) {
    const n = options.ringBytes;
    if (!Number.isInteger(n) || n < 4096 || n > 1 << 30 || (n & (n - 1)) !== 0) {
      throw new ArgumentError('ringBytes must be a power of two from 4096 to 1 GiB.');
    }
    out.ringBytes = n;
  }
  if (options.syscallAttach !== undefined) {
    if (!['auto', 'tracepoint', 'raw_tp', 'none'].includes(options.syscallAttach)) {
      throw new ArgumentError('syscallAttach must be auto, tracepoint, raw_tp or none.');
    }
    out.syscallAttach = options.syscallAttach;
  }
  if (options.pollMs !== undefined) {
    if (!Number.isInteger(options.pollMs) || options.pollMs < 1 || options.pollMs > 1000) {
      throw new ArgumentError('pollMs must be from 1 to 1000.');
    }
    out.pollMs = options.pollMs;
  }
  if (options.wakeupBytes !== undefined) {
    if (!Number.isInteger(options.wakeupBytes) || options.wakeupBytes < 0) {
      throw new ArgumentError('wakeupBytes must be a whole number of bytes.');
    }
    out.wakeupBytes = options.wakeupBytes;
  }
  return out;
}

/** One capture: open (load) → start (attach, drain) → stop → destroy. */
export class Probe {
  private readonly probe: NativeProbe;
  private stopped = false;

  constructor() {
    this.probe = new (loadNative().Probe)();
  }

  open(options: ProbeOpenOptions): OpenResult {
    const nativeOptions = checkOpenOptions(options);
    const filter = toNativeFilter({ ...options, lifecycle: options.lifecycle });
    return this.probe.open(nativeOptions, filter);
  }

  start(onBatch: (batch: ArrayBuffer) => void): void {
    this.probe.start(onBatch);
  }

  snapshot(): ArrayBuffer {
    return this.probe.snapshot();
  }

  setFilters(filters: CaptureFilters): void {
    this.probe.setFilter(toNativeFilter(filters));
  }

  /** While held, the ring buffer is not drained: the kernel counts what does not fit. */
  hold(held: boolean): void {
    this.probe.hold(held);
  }

  stats(): ProbeStats {
    return this.probe.stats();
  }

  /** Detaches, then resolves once every batch still queued has been handed over. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.probe.stop();
    while (this.probe.stats().pendingBatches > 0) await new Promise((r) => setImmediate(r));
  }

  destroy(): void {
    this.probe.destroy();
  }
}
