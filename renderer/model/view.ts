// What the filters leave visible: the edges and processes of the graph, and
// the test a single signal must pass to be drawn in a timeline or a table.
import type { SignalEvent } from '../../electron/common/events';
import { KERNEL_KEY, isFailed, type EdgeAggregate, type Session } from '../../electron/common/session';

export interface Filters {
  /** Signal numbers not shown (SIGCHLD by default: counted, not drawn). */
  hiddenSignals: number[];
  user: boolean;
  kernel: boolean;
  failedOnly: boolean;
}

export type TimeWindow = [number, number] | null;

export interface VisibleGraph {
  edges: EdgeAggregate[];
  nodeKeys: Set<string>;
}

export function signalPasses(e: SignalEvent, f: Filters): boolean {
  if (f.hiddenSignals.includes(e.sig)) return false;
  if (e.origin === 'kernel' ? !f.kernel : !f.user) return false;
  if (f.failedOnly && !isFailed(e)) return false;
  return true;
}

export function visibleGraph(session: Session, f: Filters, window: TimeWindow, extra: readonly (string | null)[]): VisibleGraph {
  const hidden = new Set(f.hiddenSignals);
  const source = window ? session.edgesInWindow(window[0], window[1]).values() : session.edges.values();
  const edges: EdgeAggregate[] = [];
  const nodeKeys = new Set<string>();
  for (const e of source) {
    if (hidden.has(e.sig)) continue;
    if (!((f.user && e.origin.user > 0) || (f.kernel && e.origin.kernel > 0))) continue;
    if (f.failedOnly && e.failed === 0) continue;
    edges.push(e);
    nodeKeys.add(e.senderKey);
    nodeKeys.add(e.targetKey);
  }
  for (const k of extra) if (k && session.processes.has(k)) nodeKeys.add(k);
  return { edges, nodeKeys };
}

/** Processes matching a "Find process" query (a pid, or part of a name or command line), best first. */
export function findProcesses(session: Session, query: string, visible: Set<string>): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const pid = /^\d+$/.test(q) ? Number(q) : null;
  const hits = [];
  for (const p of session.processes.values()) {
    if (p.kind === 'missing') continue;
    let score = 0;
    if (pid !== null) {
      if (p.pid === pid) score = 100;
      else continue;
    } else {
      const comm = p.comm.toLowerCase();
      if (comm === q) score = 80;
      else if (comm.startsWith(q)) score = 60;
      else if (comm.includes(q)) score = 40;
      else if (p.kind === 'kernel' && 'kernel'.includes(q)) score = 40;
      else if (p.cmdline && p.cmdline.join(' ').toLowerCase().includes(q)) score = 20;
      else continue;
    }
    if (visible.has(p.key)) score += 10;
    if (p.exitTs === null) score += 5;
    hits.push({ key: p.key, score, last: p.lastTs, pidOrder: p.pid });
  }
  hits.sort((a, b) => b.score - a.score || b.last - a.last || a.pidOrder - b.pidOrder);
  return hits.map((h) => h.key);
}

export function processLabel(session: Session, key: string): string {
  const p = session.getProcess(key);
  if (!p) return key;
  if (p.kind === 'kernel') return 'kernel';
  if (p.kind === 'missing') return missingLabel(p.pid);
  return `${p.comm} ${p.pid}`;
}

export { KERNEL_KEY };

/** What a kill() that reached nobody named: a pid, a process group, or everyone. */
export function missingLabel(pid: number): string {
  if (pid === -1) return 'kill(-1): no process it may signal';
  if (pid === 0) return 'own process group (empty)';
  if (pid < -1) return `no process in group ${-pid}`;
  return `no such process (pid ${pid})`;
}

/** The timeline's lanes for the processes in view: the kernel first, then by first appearance. */
export function timelineLanes(session: Session, nodeKeys: Iterable<string>): string[] {
  const keys = [...nodeKeys];
  keys.sort((a, b) => {
    if (a === KERNEL_KEY) return -1;
    if (b === KERNEL_KEY) return 1;
    const pa = session.getProcess(a);
    const pb = session.getProcess(b);
    return (pa?.firstTs ?? 0) - (pb?.firstTs ?? 0) || (pa?.pid ?? 0) - (pb?.pid ?? 0);
  });
  return keys;
}
