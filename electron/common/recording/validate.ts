// The least an event read from an untrusted file must look like before the
// rest of SigScope (formatRow, the session model, the exporters) touches it.

const EVENT_TYPES = new Set(['signal', 'fork', 'exec', 'exit', 'process']);

function isTask(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return typeof t.pid === 'number' && typeof t.tid === 'number' && typeof t.comm === 'string' && typeof t.start === 'number';
}

/** What is wrong with the event, or null when it can be used. */
export function eventProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'an event object';
  const e = value as Record<string, unknown>;
  if (typeof e.type !== 'string' || !EVENT_TYPES.has(e.type)) return 'an event type (signal, fork, exec, exit or process)';
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) return 'a numeric ts';
  if (typeof e.time !== 'string') return 'a string time';
  if (e.type === 'signal') {
    if (typeof e.sig !== 'number' || typeof e.signal !== 'string') return 'a signal number and name';
    if (!isTask(e.sender)) return 'a sender {pid, tid, comm, start}';
    if (e.target !== null && !isTask(e.target)) return 'a target {pid, tid, comm, start} or null';
    if (e.context !== null && e.context !== undefined && !isTask(e.context)) return 'a context {pid, tid, comm, start} or null';
  } else if (typeof e.pid !== 'number' || typeof e.comm !== 'string' || typeof e.start !== 'number') {
    return 'a pid, comm and start';
  }
  return null;
}
