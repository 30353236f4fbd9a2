// The real helper behind a CaptureService, for tests that drive the service
// (or the server) and need to know exactly what the helper reported: every
// launch is kept, with everything it emitted, in order.
import { spawn, type ChildProcess } from 'node:child_process';
import type { CaptureStats, ProcessInfo, SigScopeEvent, SignalEvent } from '../../electron/common/events';
import { HelperClient } from '../../electron/node/helperClient';
import type { CaptureStarted } from '../../electron/node/sessionRecorder';

export const needsRoot = process.geteuid?.() !== 0 && 'needs root (the helper loads eBPF programs)';

export interface HelperRun {
  client: HelperClient;
  started: CaptureStarted | null;
  events: SigScopeEvent[];
  infos: ProcessInfo[];
  stats: CaptureStats[];
}

/** Launches the helper directly (as root) and records what each one emitted. */
export class HelperTap {
  readonly runs: HelperRun[] = [];

  readonly launch = (): HelperClient => {
    const client = HelperClient.launch({ launcher: 'direct' });
    const run: HelperRun = { client, started: null, events: [], infos: [], stats: [] };
    // Registered before the service's own listeners: by the time an emit returns, both have seen it.
    client.on('started', (s: CaptureStarted) => (run.started = s));
    client.on('events', (events: SigScopeEvent[]) => {
      for (const e of events) run.events.push(e);
    });
    client.on('process-info', (info: ProcessInfo) => run.infos.push(info));
    client.on('stats', (stats: CaptureStats) => run.stats.push(stats));
    this.runs.push(run);
    return client;
  };

  get last(): HelperRun {
    const run = this.runs.at(-1);
    if (!run) throw new Error('no helper was launched');
    return run;
  }
}

export async function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A `sleep 30` that has exec'd (so it is "sleep" to the kernel); killed by the caller or at exit. */
export async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  return child as ChildProcess & { pid: number };
}

/** Signal events sent by one process to another, picked out of everything the machine did. */
export function signalsBetween(events: readonly SigScopeEvent[], sender: number, target: number): SignalEvent[] {
  return events.filter((e): e is SignalEvent => e.type === 'signal' && e.sender.pid === sender && e.target?.pid === target);
}

/** A plain copy (drops undefined fields, as JSON does), for deepEqual across the file format. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
