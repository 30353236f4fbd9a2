// The privileged helper. It captures and forwards, nothing else: it never
// writes files and never runs commands. Its only channel is stdin/stdout
// (docs/helper-protocol.md), and it exits, detaching everything, as soon as
// stdin closes.
import * as os from 'node:os';
import type { CaptureStats, ProcessInfo } from '../common/events';
import {
  FRAME_EVENTS,
  FRAME_JSON,
  FrameError,
  FrameReader,
  MAX_COMMAND_BYTES,
  PROTOCOL_VERSION,
  decodeJson,
  encodeFrame,
  encodeJson,
  type HelperMessage,
} from '../common/protocol';
import { parseCommand, CommandError } from './commands';
import { IdentityScanner } from './identities';
import { loadNative, Probe } from '../node/probe';
import { VERSION } from '../common/version';
import { readProcess } from './procfs';


/**
 * The reader thread (started above, at normal priority) keeps the ring buffer
 * drained; forwarding and /proc reading can wait. Lowering this thread only
 * (Linux priorities are per thread) lets a signal storm keep its CPU while it
 * is being watched; what the storm produces queues here, it is not lost.
 */
function yieldToTheObserved(): void {
  try {
    os.setPriority(process.pid, OBSERVER_NICE);
  } catch {
    // not permitted: stay at normal priority
  }
}

const OBSERVER_NICE = 10;
/** Output its reader has not taken yet, beyond which the helper holds the ring buffer. */
const MAX_UNSENT_BYTES = 32 * 1024 * 1024;

class Helper {
  private probe: Probe | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private readonly scanner = new IdentityScanner();
  private enrichQueue: { pid: number; start: number; comm: string }[] = [];
  private enriching = false;
  private exiting = false;
  private holding = false;
  /** Capabilities are dropped once a capture is attached, so a helper captures once. */
  private used = false;

  send(message: HelperMessage): void {
    process.stdout.write(encodeJson(message));
  }

  sendError(id: number | null, code: string, message: string, hint?: string): void {
    this.send({ type: 'error', id, code, message, ...(hint ? { hint } : {}) });
  }

  async handle(payloadType: number, payload: Uint8Array): Promise<void> {
    if (payloadType !== FRAME_JSON) {
      this.sendError(null, 'bad-command', `Frame type 0x${payloadType.toString(16)} is not a command; commands are JSON frames (type 0x4a).`);
      return;
    }
    let raw: unknown;
    try {
      raw = decodeJson(payload);
    } catch (error) {
      this.sendError(null, 'bad-command', `A command frame is not valid JSON: ${(error as Error).message}`);
      return;
    }
    let command;
    try {
      command = parseCommand(raw);
    } catch (error) {
      const e = error as CommandError;
      this.sendError(e.id ?? null, 'bad-command', e.message);
      return;
    }
    try {
      switch (command.command) {
        case 'start':
          return await this.start(command.id, command.options);
        case 'stop':
          await this.stop();
          return this.send({ type: 'ok', id: command.id });
        case 'set-filters':
          if (!this.probe) {
            return this.sendError(command.id, 'not-capturing', 'Filters can only be changed while capturing.', 'Start a capture first.');
          }
          this.probe.setFilters(command.filters);
          return this.send({ type: 'ok', id: command.id });
        case 'stats':
          this.send(this.stats());
          return this.send({ type: 'ok', id: command.id });
      }
    } catch (error) {
      const e = error as Error & { code?: string; hint?: string };
      this.sendError(command.id, e.code ?? 'internal', e.message, e.hint);
    }
  }

  private async start(id: number, options: Parameters<Probe['open']>[0]): Promise<void> {
    if (this.probe) {
      return this.sendError(id, 'already-capturing', 'A capture is already running in this helper.', 'Stop it first.');
    }
    if (this.used) {
      return this.sendError(id, 'helper-used',
        'This helper has already captured once and gave up its privileges afterwards.',
        'Start a new helper for the next capture.');
    }
    const probe = new Probe();
    let opened;
    try {
      opened = probe.open(options);
    } catch (error) {
      probe.destroy();
      throw error;
    }
    this.probe = probe;
    try {
      probe.start((batch) => this.forward(batch));
      yieldToTheObserved();
      // After attaching, so no process can slip between the list and the live events.
      const snapshot = options.snapshot === false ? new ArrayBuffer(0) : probe.snapshot();
      const clock = loadNative().clocks();
      // Everything that needs CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN is done.
      this.used = true;
      const kept = loadNative().dropPrivileges();
      this.send({
        type: 'started', id, syscallAttach: opened.syscallAttach, mountedTracefs: opened.mountedTracefs,
        ringBytes: opened.ringBytes, clock, snapshotProcesses: snapshot.byteLength / 128,
        capabilities: kept,
      });
      if (snapshot.byteLength) this.forward(snapshot);
    } catch (error) {
      this.probe = null;
      await probe.stop();
      probe.destroy();
      throw error;
    }
    this.statsTimer = setInterval(() => this.send(this.stats()), 1000);
  }

  private forward(batch: ArrayBuffer): void {
    process.stdout.write(encodeFrame(FRAME_EVENTS, new Uint8Array(batch)));
    // A reader that falls behind makes the helper hold the ring buffer rather
    // than queue without bound: what the kernel then cannot write it counts.
    if (!this.holding && this.probe && process.stdout.writableLength > MAX_UNSENT_BYTES) {
      const probe = this.probe;
      this.holding = true;
      probe.hold(true);
      process.stdout.once('drain', () => {
        this.holding = false;
        probe.hold(false);
      });
    }

    for (const identity of this.scanner.scan(batch)) this.enrichQueue.push(identity);
    if (this.enrichQueue.length && !this.enriching) {
      this.enriching = true;
      setImmediate(() => this.enrich());
    }
  }

  /** Reads the queued processes, a slice at a time (or all of them, at stop). */
  private enrich(deadline = Date.now() + 20): void {
    // Slices, so a burst of new processes never holds up the events.
    while (this.enrichQueue.length && Date.now() < deadline) {
      const { pid, start, comm } = this.enrichQueue.shift()!;
      const info: ProcessInfo = readProcess(pid, start, comm);
      this.send(info);
    }
    if (this.enrichQueue.length) setImmediate(() => this.enrich());
    else this.enriching = false;
  }

  stats(): CaptureStats {
    const s = this.probe?.stats();
    const dropsPerCpu = s?.dropsPerCpu ?? [];
    return {
      type: 'stats',
      events: s?.events ?? 0,
      dropsPerCpu,
      drops: dropsPerCpu.reduce((a, b) => a + b, 0),
      batches: s?.batches ?? 0,
      bytes: s?.bytes ?? 0,
    };
  }

  async stop(): Promise<void> {
    if (!this.probe) return;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    const probe = this.probe;
    await probe.stop();
    // Every process the capture saw is described before it is said to be over.
    this.enrich(Infinity);
    const stats = this.stats();
    this.probe = null;
    probe.destroy();
    this.send({ type: 'stopped', stats });
  }

  async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    try {
      await this.stop();
    } finally {
      process.stdout.write(new Uint8Array(0), () => process.exit(code));
      setTimeout(() => process.exit(code), 500).unref();
    }
  }
}

function main(): void {
  const helper = new Helper();
  const reader = new FrameReader(MAX_COMMAND_BYTES);
  let queue = Promise.resolve();

  process.stdout.on('error', () => void helper.exit(0)); // the reader went away
  process.stdin.on('data', (chunk: Buffer) => {
    let frames;
    try {
      frames = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      // The stream cannot be resynchronised: say so, and start afresh with the next bytes.
      helper.sendError(null, 'bad-frame', (error as FrameError).message);
      reader.reset();
      return;
    }
    for (const frame of frames) queue = queue.then(() => helper.handle(frame.type, frame.payload));
  });
  process.stdin.on('end', () => {
    if (reader.pending > 0) {
      helper.sendError(null, 'bad-frame', `The input ended inside a frame: ${reader.pending} bytes of it had arrived.`);
    }
    void queue.then(() => helper.exit(0));
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void helper.exit(0));

  helper.send({ type: 'hello', protocol: PROTOCOL_VERSION, version: VERSION, pid: process.pid });
}

main();
