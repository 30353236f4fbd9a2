// `sigscope`: the command line. trace and record run the helper directly (they
// are started as root); serve runs the browser mode; no command starts the app.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureOptions, SigScopeEvent } from '../common/events';
import { TABLE_HEADER, formatRow } from '../common/format';
import { VERSION } from '../common/version';
import { HelperClient, canCaptureDirectly } from '../node/helperClient';
import { exportCommand, printCommand } from '../node/recording/commands';
import { RecordingFileWriter } from '../node/recording/file';
import { EXPORT_FORMATS, type ExportFormat } from '../common/export';
import { UsageError, parseArgs, pidArg, positiveNumber, signalList, type ParsedArgs } from './args';


const USAGE = `sigscope ${VERSION}: who sent which signal to whom, and what came of it.

Usage:
  sigscope                         start the desktop app
  sigscope trace [options]         print signals live (needs root)
  sigscope record --out FILE [options]
                                   write a recording (needs root), see docs/recording-format.md
  sigscope print FILE [--json] [--lifecycle]
                                   print a recording as trace prints live events
  sigscope export FILE --format csv|ndjson|perfetto --out OUT
                                   convert a recording (perfetto: opens in ui.perfetto.dev)
  sigscope serve [--port N]        the app in a browser, on 127.0.0.1 (for machines without a display)

Options for trace and record:
  --signal LIST     only these signals: names or numbers, e.g. TERM,KILL,9
  --pid PID         only signals that PID sent or received
  --failed          only attempts that failed (EPERM, ESRCH, ...)
  --no-kernel       leave out signals the kernel sent (faults, SIGCHLD, timers)
  --no-sigchld      leave out SIGCHLD
  --duration SECS   stop after SECS seconds (default: until Ctrl-C)
  --json            (trace) one JSON object per line, see docs/json.md
  --lifecycle       (trace) also show fork, exec and every exit (an exit
                    caused by a signal is always shown)
  --no-syscalls     leave the signal syscalls untraced: no failed attempts, no
                    requested pid or return value, and no cost to other syscalls
  --raw-tp          attach to the raw syscall tracepoints (no tracefs needed)
`;

function captureOptions(args: ParsedArgs): CaptureOptions & { syscallAttach?: 'raw_tp' | 'none' } {
  const options: CaptureOptions & { syscallAttach?: 'raw_tp' | 'none' } = {};
  const signals = args.flags.get('--signal');
  if (typeof signals === 'string') options.signals = signalList(signals);
  const pid = args.flags.get('--pid');
  if (typeof pid === 'string') options.pid = pidArg(pid);
  if (args.flags.has('--failed')) options.failedOnly = true;
  if (args.flags.has('--no-kernel')) options.kernel = false;
  if (args.flags.has('--no-sigchld')) options.sigchld = false;
  if (args.flags.has('--raw-tp')) options.syscallAttach = 'raw_tp';
  if (args.flags.has('--no-syscalls')) {
    if (options.syscallAttach) throw new UsageError('--no-syscalls and --raw-tp exclude each other.');
    if (options.failedOnly) throw new UsageError('--failed needs the syscalls traced; drop --no-syscalls.');
    options.syscallAttach = 'none';
  }
  const ring = args.flags.get('--ring');
  if (typeof ring === 'string') options.ringBytes = positiveNumber('--ring', ring);
  return options;
}

function requirePrivileges(command: string): void {
  if (canCaptureDirectly()) return;
  process.stderr.write(
    `sigscope ${command}: capturing signals needs root (or CAP_BPF and CAP_PERFMON).\n` +
      `Run it with sudo:  sudo npx sigscope ${command} ...\n` +
      `or start the desktop app (sigscope), which asks for administrator rights.\n`,
  );
  process.exit(77);
}

interface Counts {
  signals: number;
  failed: number;
  lifecycle: number;
}

function count(events: SigScopeEvent[], counts: Counts): void {
  for (const e of events) {
    if (e.type === 'signal') {
      counts.signals++;
      if (e.errno) counts.failed++;
    } else if (e.type !== 'process') {
      counts.lifecycle++;
    }
  }
}

/** Runs a capture until Ctrl-C or --duration, feeding events to the sink. */
async function capture(
  args: ParsedArgs,
  onEvents: (events: SigScopeEvent[]) => void,
  onStarted: (client: HelperClient, info: unknown) => void,
): Promise<{ client: HelperClient; counts: Counts }> {
  const options = captureOptions(args);
  const duration = args.flags.get('--duration');
  const seconds = typeof duration === 'string' ? positiveNumber('--duration', duration) : null;
  const client = HelperClient.launch({ launcher: 'direct' });
  const counts: Counts = { signals: 0, failed: 0, lifecycle: 0 };
  client.on('events', (events: SigScopeEvent[]) => {
    count(events, counts);
    onEvents(events);
  });
  client.on('helper-error', (e: { message: string }) => {
    if (client.captureState === 'capturing') process.stderr.write(`sigscope: helper: ${e.message}\n`);
  });
  client.once('started', (info) => onStarted(client, info));
  await client.start(options);
  // Decoding and writing can lag a storm without losing anything (it queues);
  // taking CPU from the processes being watched would change what is seen.
  try {
    os.setPriority(process.pid, 10);
  } catch {
    // stay at normal priority
  }

  await new Promise<void>((resolve) => {
    const finish = () => resolve();
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    client.once('exit', finish);
    if (seconds !== null) setTimeout(finish, seconds * 1000).unref();
  });
  await client.stop().catch(() => undefined);
  await client.close();
  return { client, counts };
}

function summary(client: HelperClient, counts: Counts): string {
  const stats = client.lastStats;
  const drops = stats?.drops ?? 0;
  const lost = drops
    ? `${drops} LOST: the ring buffer was full (per CPU: ${stats!.dropsPerCpu.join(', ')}); try --ring with a larger power of two`
    : '0 lost';
  return `sigscope: ${counts.signals} signals (${counts.failed} failed attempts), ${counts.lifecycle} fork/exec/exit; ${stats?.events ?? 0} kernel records, ${lost}\n`;
}

async function trace(args: ParsedArgs): Promise<number> {
  requirePrivileges('trace');
  const json = args.flags.has('--json');
  const lifecycle = args.flags.has('--lifecycle');
  const pid = args.flags.get('--pid');
  // The kernel filters signals by pid; fork, exec and exit are filtered here.
  const onlyPid = typeof pid === 'string' ? Number(pid) : null;
  if (!json) process.stdout.write(`${TABLE_HEADER}\n`);
  const { client, counts } = await capture(args, (events) => {
    let out = '';
    for (const e of events) {
      if (e.type === 'process') continue;
      if (e.type !== 'signal' && onlyPid !== null && e.pid !== onlyPid && !(e.type === 'fork' && e.ppid === onlyPid)) continue;
      if (json) out += `${JSON.stringify(e)}\n`;
      // A process that a signal ended answers "who killed it?": always shown.
      else if (e.type === 'signal' || lifecycle || (e.type === 'exit' && e.exitSignal)) out += `${formatRow(e)}\n`;
    }
    if (out) process.stdout.write(out);
  }, () => undefined);
  process.stderr.write(summary(client, counts));
  return (client.lastStats?.drops ?? 0) > 0 ? 2 : 0;
}

async function record(args: ParsedArgs): Promise<number> {
  const out = args.flags.get('--out');
  if (typeof out !== 'string') throw new UsageError('record needs --out FILE.');
  requirePrivileges('record');
  fs.closeSync(fs.openSync(out, 'w')); // fail before capturing when the file can't be written
  const options = captureOptions(args);
  let writer: RecordingFileWriter | null = null;
  let early: SigScopeEvent[] = [];
  let writeError: Error | null = null;
  const write = (run: (w: RecordingFileWriter) => void) => {
    if (!writer || writeError) return;
    try {
      run(writer);
    } catch (error) {
      writeError = error as Error;
      process.stderr.write(`sigscope record: cannot write ${out}: ${writeError.message}\n`);
      process.kill(process.pid, 'SIGTERM');
    }
  };
  const { client, counts } = await capture(
    args,
    (events) => {
      if (writer) write((w) => w.addEvents(events));
      else early.push(...events);
    },
    (c, started) => {
      const s = started as { clock: { bootNs: number; realtimeNs: number } | null; syscallAttach: string };
      const now = Date.now();
      writer = new RecordingFileWriter(out, {
        sigscope: VERSION, host: os.hostname(), kernel: os.release(), clock: s.clock ?? null, options,
        syscallAttach: s.syscallAttach, started: new Date(now).toISOString(), startedTs: now * 1000,
      });
      write((w) => w.addEvents(early));
      early = [];
      c.on('process-info', (info) => write((w) => w.addProcessInfo(info)));
      c.on('stats', (stats) => write((w) => w.addStats(stats)));
    },
  );
  write((w) => w.close());
  process.stderr.write(summary(client, counts));
  if (writeError) return 1;
  return (client.lastStats?.drops ?? 0) > 0 ? 2 : 0;
}

function recordingFile(args: ParsedArgs, command: string): string {
  const [file, ...extra] = args.positional;
  if (!file) throw new UsageError(`${command} needs a recording file: sigscope ${command} FILE.`);
  if (extra.length) throw new UsageError(`${command} takes one file, not '${extra.join(' ')}'.`);
  return file;
}

function exportArgs(args: ParsedArgs): { file: string; format: ExportFormat; out: string } {
  const file = recordingFile(args, 'export');
  const format = args.flags.get('--format');
  if (typeof format !== 'string' || !EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}.`);
  }
  const out = args.flags.get('--out');
  if (typeof out !== 'string') throw new UsageError('export needs --out FILE (- for stdout).');
  return { file, format: format as ExportFormat, out };
}

async function serve(args: ParsedArgs): Promise<number> {
  const port = args.flags.get('--port');
  const serverModule = path.join(__dirname, '..', 'server', 'server.js');
  if (!fs.existsSync(serverModule)) throw new Error('The browser mode is not built: run npm run build.');
  const { startServer } = require(serverModule);
  await startServer({ port: typeof port === 'string' ? positiveNumber('--port', port) : 0 });
  return new Promise(() => undefined); // until Ctrl-C
}

function app(): Promise<number> {
  let electron: string;
  try {
    electron = require('electron') as unknown as string;
  } catch {
    process.stderr.write('sigscope: Electron is not installed (npm install fetches it).\nOn a machine without a display, use: sigscope serve\n');
    return Promise.resolve(1);
  }
  if (typeof electron !== 'string' || !fs.existsSync(electron)) {
    process.stderr.write('sigscope: the Electron binary is missing (its download failed or was skipped).\nRun `npm install` with network access, or use the browser mode: sigscope serve\n');
    return Promise.resolve(1);
  }
  const child = spawn(electron, [path.join(__dirname, '..', '..', '..')], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

export async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
    if (args.flags.has('--help') || args.flags.has('-h') || args.command === 'help' || args.command === '--help' || args.command === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.positional.length && args.command !== 'print' && args.command !== 'export') {
      throw new UsageError(`Unexpected argument '${args.positional[0]}'. Try 'sigscope --help'.`);
    }
    switch (args.command) {
      case 'trace':
        return await trace(args);
      case 'record':
        return await record(args);
      case 'print':
        return await printCommand(recordingFile(args, 'print'), { json: args.flags.has('--json'), lifecycle: args.flags.has('--lifecycle') });
      case 'export': {
        const { file, format, out } = exportArgs(args);
        return await exportCommand(file, format, out);
      }
      case 'serve':
        return await serve(args);
      case 'app':
        return await app();
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      default:
        throw new UsageError(`Unknown command '${args.command}'. Try 'sigscope --help'.`);
    }
  } catch (error) {
    const e = error as Error & { hint?: string };
    process.stderr.write(`sigscope: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
    return error instanceof UsageError ? 64 : 1;
  }
}
