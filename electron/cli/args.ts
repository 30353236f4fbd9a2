// Command-line parsing for `sigscope`: small, strict, with messages that say what to type.
import { parseSignal } from '../common/signals';

export class UsageError extends Error {}

export interface ParsedArgs {
  command: string;
  flags: Map<string, string | true>;
  /** Arguments that are not options, e.g. the FILE of `print FILE`. */
  positional: string[];
}

const VALUE_FLAGS = new Set(['--signal', '--pid', '--duration', '--out', '--port', '--format', '--ring']);
const BOOLEAN_FLAGS = new Set(['--json', '--failed', '--no-kernel', '--no-sigchld', '--lifecycle', '--help', '-h', '--raw-tp', '--no-syscalls', '--no-open']);

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'app', ...rest] = argv;
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value.`);
      flags.set(name, value);
    } else if (BOOLEAN_FLAGS.has(arg)) {
      flags.set(arg, true);
    } else if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
    } else {
      throw new UsageError(`Unknown option '${arg}'. Try 'sigscope --help'.`);
    }
  }
  return { command, flags, positional };
}

export function signalList(text: string): number[] {
  return text.split(',').map((part) => {
    const sig = parseSignal(part);
    if (sig === null || sig > 63) throw new UsageError(`--signal: '${part}' is not a signal (use names like TERM,KILL or numbers 0-63).`);
    return sig;
  });
}

export function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: '${text}' is not a positive number.`);
  return n;
}

export function pidArg(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--pid: '${text}' is not a process id.`);
  return n;
}
