// Starts the privileged helper and speaks its protocol: commands go in as
// JSON frames, record batches come out and are decoded into events here, on
// the unprivileged side.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Assembler } from '../common/assemble';
import type { CaptureState, HelperError } from '../common/bridge';
import type { CaptureFilters, CaptureOptions, CaptureStats, ProcessInfo } from '../common/events';
import { decodeBatch } from '../common/record';
import {
  FRAME_EVENTS,
  FRAME_JSON,
  FrameReader,
  decodeJson,
  encodeJson,
  type HelperMessage,
} from '../common/protocol';

export type Launcher = 'direct' | 'pkexec' | 'sudo';

export interface HelperLaunchOptions {
  helperPath?: string;
  launcher?: Launcher | 'auto';
  /** The Node.js binary that runs the helper (default: this one). */
  nodePath?: string;
}

export function defaultHelperPath(): string {
  return path.join(__dirname, '..', 'helper', 'main.js');
}

/** Whether this process may load eBPF programs itself (root, or CAP_BPF and CAP_PERFMON). */
export function canCaptureDirectly(): boolean {
  if (process.geteuid?.() === 0) return true;
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const eff = /^CapEff:\s+([0-9a-f]+)/m.exec(status);
    if (!eff) return false;
    const caps = BigInt(`0x${eff[1]}`);
    const has = (n: number) => (caps >> BigInt(n)) & 1n;
    return has(21) === 1n || (has(38) === 1n && has(39) === 1n); // SYS_ADMIN, or PERFMON + BPF
  } catch {
    return false;
  }
}

/**
 * The command that runs the helper itself. In the installed app that is the
 * wrapper in resources/helper (the path the polkit action names); under
 * Electron, Electron's own Node.js; otherwise this Node.js.
 */
export function helperRuntime(opts: HelperLaunchOptions = {}): string[] {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const wrapper = resources ? path.join(resources, 'helper', 'sigscope-helper') : null;
  if (!opts.helperPath && !opts.nodePath && wrapper && fs.existsSync(wrapper)) return [wrapper];
  const helperPath = opts.helperPath ?? defaultHelperPath();
  if (process.versions.electron && !opts.nodePath) {
    // pkexec and sudo clear the environment, so the variable goes on the command line.
    return ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', process.execPath, helperPath];
  }
  return [opts.nodePath ?? process.execPath, helperPath];
}

/** The command line that starts the helper with each launcher. */
export function helperCommand(launcher: Launcher, runtime: string[]): string[] {
  switch (launcher) {
    case 'direct':
      return runtime;
    case 'sudo':
      return ['sudo', '-n', '--', ...runtime];
    case 'pkexec':
      return ['pkexec', ...runtime];
  }
}

interface PendingCommand {
  resolve: (message: HelperMessage) => void;
  reject: (error: Error) => void;
}

export class HelperClient extends EventEmitter {
  private readonly child: ChildProcess;
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, PendingCommand>();
  private nextId = 1;
  private assembler: Assembler | null = null;
  private state: CaptureState = 'idle';
  private exited = false;
  private stderrTail = '';
  readonly launcher: Launcher;
  /** Set once the helper said hello. */
  readonly ready: Promise<void>;
  lastStats: CaptureStats | null = null;

  static launch(opts: HelperLaunchOptions = {}): HelperClient {
    const launcher = !opts.launcher || opts.launcher === 'auto'
      ? (canCaptureDirectly() ? 'direct' : 'pkexec')
      : opts.launcher;
    return new HelperClient(
      helperCommand(launcher, helperRuntime(opts)),
      launcher,
    );
  }

  constructor(argv: string[], launcher: Launcher = 'direct') {
    super();
    this.launcher = launcher;
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.ready = new Promise((resolve, reject) => {
      this.once('hello', () => resolve());
      this.once('exit', () => reject(this.exitError()));
    });
    this.ready.catch(() => undefined);
    this.child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.child.stdin!.on('error', () => undefined); // reported through 'exit'
    this.child.on('error', (error) => this.onExit(null, error));
    this.child.on('exit', (code) => this.onExit(code));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get captureState(): CaptureState {
    return this.state;
  }

  async start(options: CaptureOptions): Promise<void> {
    await this.ready;
    this.setState('starting');
    try {
      const started = await this.command({ command: 'start', options });
      this.setState('capturing');
      this.emit('started', started);
    } catch (error) {
      this.setState('error');
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.setState('stopping');
    await this.command({ command: 'stop' });
    this.setState('stopped');
  }

  async setFilters(filters: CaptureFilters): Promise<void> {
    await this.command({ command: 'set-filters', filters });
  }

  async stats(): Promise<CaptureStats | null> {
    await this.command({ command: 'stats' });
    return this.lastStats;
  }

  /** Closes the helper's stdin: it stops capturing, detaches everything and exits. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.once('exit', () => resolve()));
    this.child.stdin!.end();
    await exited;
  }

  /** Sends raw bytes (tests of the helper's input handling). */
  writeRaw(bytes: Uint8Array): void {
    this.child.stdin!.write(bytes);
  }

  private command(body: Record<string, unknown>): Promise<HelperMessage> {
    if (this.exited) return Promise.reject(this.exitError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(encodeJson({ id, ...body }));
    });
  }

  private setState(state: CaptureState): void {
    this.state = state;
    this.emit('state', state);
  }

  private onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      this.emit('helper-error', { code: 'internal', message: `The helper sent a damaged frame: ${(error as Error).message}` });
      this.child.kill();
      return;
    }
    for (const frame of frames) {
      if (frame.type === FRAME_EVENTS) this.onEvents(frame.payload);
      else if (frame.type === FRAME_JSON) this.onMessage(decodeJson(frame.payload) as HelperMessage);
    }
  }

  private onEvents(payload: Uint8Array): void {
    if (!this.assembler) {
      this.emit('helper-error', { code: 'internal', message: 'The helper sent events before saying capture had started; they were discarded.' });
      return;
    }
    const events = this.assembler.push(decodeBatch(payload));
    if (events.length) this.emit('events', events);
  }

  private onMessage(message: HelperMessage): void {
    switch (message.type) {
      case 'hello':
        this.emit('hello', message);
        return;
      case 'started':
        // Now, not when the promise settles: the snapshot's records follow in the same chunk.
        this.assembler = new Assembler(message.clock);
        this.settle(message.id, message);
        return;
      case 'ok':
        this.settle(message.id, message);
        return;
      case 'stopped': {
        this.lastStats = message.stats;
        const rest = this.assembler?.flush() ?? [];
        if (rest.length) this.emit('events', rest);
        this.emit('stats', message.stats);
        return;
      }
      case 'stats':
        this.lastStats = message;
        this.emit('stats', message);
        return;
      case 'process-info':
        this.emit('process-info', message as ProcessInfo);
        return;
      case 'error': {
        const error: HelperError = { code: message.code, message: message.message, hint: message.hint };
        if (message.id !== null && this.pending.has(message.id)) {
          const p = this.pending.get(message.id)!;
          this.pending.delete(message.id);
          p.reject(Object.assign(new Error(message.message), error));
        }
        this.emit('helper-error', error);
        return;
      }
    }
  }

  private settle(id: number, message: HelperMessage): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(message);
  }

  private exitError(): Error & HelperError {
    const tail = this.stderrTail.trim();
    if (this.launcher === 'pkexec' && /dismissed|Not authorized|cancel/i.test(tail)) {
      return Object.assign(new Error('Authentication was cancelled: capture needs administrator rights.'), {
        code: 'cancelled', message: 'Authentication was cancelled: capture needs administrator rights.',
        hint: 'Start the capture again and enter an administrator password, or open a recording instead.',
      });
    }
    if (this.launcher === 'sudo' && /password is required|not allowed|may not run/i.test(tail)) {
      const message = 'sudo would not start the helper without a password.';
      return Object.assign(new Error(message), {
        code: 'not-permitted', message, hint: 'Allow it in sudoers (NOPASSWD for the SigScope helper), or use pkexec.',
      });
    }
    const message = `The capture helper exited${tail ? `: ${tail.split('\n').slice(-3).join(' ')}` : '.'}`;
    return Object.assign(new Error(message), { code: 'helper-exited', message });
  }

  private onExit(code: number | null, spawnError?: Error): void {
    if (this.exited) return;
    this.exited = true;
    let error: Error & HelperError = this.exitError();
    if (spawnError) {
      const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      const message = missing && this.launcher === 'pkexec'
        ? 'pkexec is not installed, so SigScope cannot ask for administrator rights.'
        : `Could not start the capture helper: ${spawnError.message}`;
      error = Object.assign(new Error(message), {
        code: missing && this.launcher === 'pkexec' ? 'no-pkexec' : 'helper-exited', message,
        hint: missing && this.launcher === 'pkexec' ? 'Install polkit (apt-get install pkexec), or run SigScope as root.' : undefined,
      });
    }
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    if (this.state === 'starting' || this.state === 'capturing') {
      this.emit('helper-error', { code: error.code, message: error.message, hint: error.hint });
      this.setState('error');
    }
    this.emit('exit', code);
  }
}
