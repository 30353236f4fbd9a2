// Runs the real helper (as these tests run: root) and collects what it reports.
import type { ProcessInfo, SigScopeEvent, SignalEvent } from '../../electron/common/events';
import type { ProbeOpenOptions } from '../../electron/node/probe';
import { HelperClient } from '../../electron/node/helperClient';
import type { HelperError } from '../../electron/common/bridge';

export class Capture {
  readonly events: SigScopeEvent[] = [];
  readonly processInfo: ProcessInfo[] = [];
  readonly errors: HelperError[] = [];
  private waiters: { match: (e: SigScopeEvent) => boolean; resolve: (e: SigScopeEvent) => void }[] = [];

  constructor(readonly client: HelperClient) {
    client.on('events', (events: SigScopeEvent[]) => {
      for (const e of events) {
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(e)) return true;
          w.resolve(e);
          return false;
        });
      }
    });
    client.on('process-info', (info: ProcessInfo) => this.processInfo.push(info));
    client.on('helper-error', (e: HelperError) => this.errors.push(e));
  }

  /** The first event (already seen or still to come) that matches, or a timeout error naming what was awaited. */
  waitFor(match: (e: SigScopeEvent) => boolean, what: string, timeoutMs = 5000): Promise<SigScopeEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.events.length} events.`));
      }, timeoutMs);
      const done = (e: SigScopeEvent) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  signals(match: (e: SignalEvent) => boolean = () => true): SignalEvent[] {
    return this.events.filter((e): e is SignalEvent => e.type === 'signal' && match(e));
  }

  /** Stops capturing and lets the helper exit. */
  async close(): Promise<void> {
    await this.client.stop().catch(() => undefined);
    await this.client.close();
  }
}

export async function startCapture(options: ProbeOpenOptions = {}): Promise<Capture> {
  const client = HelperClient.launch({ launcher: 'direct' });
  const capture = new Capture(client);
  await client.start(options);
  return capture;
}

export const isRoot = process.geteuid?.() === 0;
