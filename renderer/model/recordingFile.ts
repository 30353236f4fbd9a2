// Reads a recording in the JSON Lines form (`sigscope capture --json`): one
// event or process-info object a line. A file is untrusted: a damaged line is
// reported with its number, and the lines before it still open.
import type { ProcessInfo, SigScopeEvent } from '../../electron/common/events';
import type { Recording } from './demoRecording';

export interface ParsedRecording extends Recording {
  /** The first problem, with its line number; what came before it is in events. */
  error: string | null;
}

const EVENT_TYPES = new Set(['signal', 'fork', 'exec', 'exit', 'process']);

export function parseJsonLines(name: string, text: string): ParsedRecording {
  const events: SigScopeEvent[] = [];
  const infos: ProcessInfo[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      return { name, events, infos, error: `line ${i + 1}: not JSON (${(err as Error).message})` };
    }
    const problem = check(value);
    if (problem) return { name, events, infos, error: `line ${i + 1}: ${problem}` };
    const v = value as { type: string };
    if (v.type === 'process-info') infos.push(value as ProcessInfo);
    else if (EVENT_TYPES.has(v.type)) events.push(value as SigScopeEvent);
  }
  events.sort((a, b) => a.ts - b.ts);
  return { name, events, infos, error: events.length === 0 && infos.length === 0 ? 'no events in this file' : null };
}

function isTask(t: unknown): boolean {
  if (typeof t !== 'object' || t === null) return false;
  const r = t as Record<string, unknown>;
  return typeof r.pid === 'number' && typeof r.start === 'number' && typeof r.tid === 'number';
}

function check(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string') return 'no "type"';
  if (v.type === 'process-info') {
    return typeof v.pid === 'number' && typeof v.start === 'number' ? null : 'process-info without pid and start';
  }
  if (!EVENT_TYPES.has(v.type)) return null; // other types (stats, say) are skipped
  if (typeof v.ts !== 'number' || !Number.isFinite(v.ts)) return 'no numeric "ts"';
  if (v.type === 'signal') {
    if (typeof v.sig !== 'number') return 'signal without "sig"';
    if (!isTask(v.sender)) return 'signal without a valid "sender"';
    if (v.target !== null && !isTask(v.target)) return 'signal with an invalid "target"';
    if (typeof v.signal !== 'string') return 'signal without "signal" name';
    if (v.origin !== 'user' && v.origin !== 'kernel') return 'signal with an unknown "origin"';
    return null;
  }
  return typeof v.pid === 'number' && typeof v.start === 'number' ? null : `${v.type} without pid and start`;
}
