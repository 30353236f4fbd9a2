// How `sigscope trace` and `sigscope print` show events to a person.
import type { SigScopeEvent, SignalEvent, TaskRef } from './events';

export const TABLE_HEADER =
  'TIME          SENDER                    SIGNAL      TARGET                    RESULT        SYSCALL';

function clock(ts: number): string {
  const d = new Date(ts / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function who(task: TaskRef | null, fallback: string): string {
  if (!task) return fallback;
  if (task.pid === 0) return 'kernel';
  return `${task.pid} ${task.comm}`;
}

function cell(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)}… ` : text.padEnd(width + 1);
}

function outcome(e: SignalEvent): string {
  if (e.errno) return e.errno;
  if (e.result) return e.result;
  return e.sig === 0 ? 'exists' : 'ok';
}

function target(e: SignalEvent): string {
  if (e.target) {
    const t = who(e.target, '');
    return e.targetNsPid ? `${t} (ns ${e.targetNsPid})` : t;
  }
  if (e.requested === null) return '?';
  if (e.requested === -1) return 'all (-1)';
  if (e.requested === 0) return 'own group (0)';
  if (e.requested < 0) return `group ${-e.requested}`;
  return `${e.requested} ?`;
}

export function formatRow(e: SigScopeEvent): string | null {
  if (e.type === 'signal') {
    const sender = e.origin === 'kernel'
      ? e.context ? `kernel (${e.context.pid} ${e.context.comm})` : 'kernel'
      : who(e.sender, '?');
    return (
      cell(clock(e.ts), 13) + cell(sender, 25) + cell(e.signal, 11) + cell(target(e), 25) +
      cell(outcome(e), 13) + (e.syscall ?? '-')
    );
  }
  if (e.type === 'fork') return `${cell(clock(e.ts), 13)}${cell(`${e.ppid} ${e.parentComm}`, 25)}${cell('fork', 11)}${e.pid} ${e.comm}`;
  if (e.type === 'exec') return `${cell(clock(e.ts), 13)}${cell(`${e.pid} ${e.comm}`, 25)}${cell('exec', 11)}${e.filename}`;
  if (e.type === 'exit') {
    const how = e.exitSignal ? `killed by ${e.exitSignal}${e.core ? ' (core dumped)' : ''}` : `exit ${e.exitCode}`;
    return `${cell(clock(e.ts), 13)}${cell(`${e.pid} ${e.comm}`, 25)}${cell('exit', 11)}${how}`;
  }
  return null;
}
