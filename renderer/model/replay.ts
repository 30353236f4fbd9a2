// A recording in memory, replayed: the session as it stood at any time. Going
// forward applies the events in between; going back rebuilds the session from
// the start (the graph keeps its layout, which is keyed by process).
import type { ProcessInfo, SigScopeEvent, SignalEvent } from '../../electron/common/events';
import { Session, type ApplySummary } from '../../electron/common/session';

export const REPLAY_SPEEDS = [1, 2, 5, 10, 20, 50, 100] as const;

export class ReplayData {
  /** reach[i]: the largest ts among events 0..i (events are in file order, nearly time order). */
  private readonly reach: Float64Array;
  readonly startTs: number;
  readonly endTs: number;

  constructor(
    readonly name: string,
    readonly events: readonly SigScopeEvent[],
    readonly infos: readonly ProcessInfo[],
  ) {
    this.reach = new Float64Array(events.length);
    let max = -Infinity;
    let min = Infinity;
    for (let i = 0; i < events.length; i++) {
      const ts = events[i].ts;
      if (ts > max) max = ts;
      if (ts < min) min = ts;
      this.reach[i] = max;
    }
    this.startTs = events.length ? min : 0;
    this.endTs = events.length ? max : 0;
  }

  /** How many events (from the start, in file order) have happened by `ts`. */
  countAt(ts: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.reach[mid] <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The index of the next (dir 1) or previous (dir -1) signal after or before
   * event index `from` that `matches`, or -1.
   */
  findSignal(from: number, dir: 1 | -1, matches: (e: SignalEvent) => boolean): number {
    for (let i = from + dir; i >= 0 && i < this.events.length; i += dir) {
      const e = this.events[i];
      if (e.type === 'signal' && matches(e)) return i;
    }
    return -1;
  }
}

/** A session built from a replay, and how many of its events it holds. */
export class ReplayCursor {
  session: Session;
  applied = 0;

  constructor(private readonly data: ReplayData) {
    this.session = ReplayCursor.fresh(data);
  }

  private static fresh(data: ReplayData): Session {
    const session = new Session();
    session.applyProcessInfo(data.infos);
    return session;
  }

  /**
   * Moves to `count` events applied. Going forward returns what was applied
   * (the graph pulses the edges it crossed); going back rebuilds the session.
   */
  moveTo(count: number): { rebuilt: boolean; summary: ApplySummary | null } {
    const target = Math.max(0, Math.min(count, this.data.events.length));
    if (target === this.applied) return { rebuilt: false, summary: null };
    if (target > this.applied) {
      const summary = this.session.applyEvents(this.data.events.slice(this.applied, target));
      this.applied = target;
      return { rebuilt: false, summary };
    }
    this.session = ReplayCursor.fresh(this.data);
    this.applied = 0;
    // Rebuilt in one go: no pulses for events that are already history.
    const CHUNK = 50_000;
    for (let i = 0; i < target; i += CHUNK) this.session.applyEvents(this.data.events.slice(i, Math.min(target, i + CHUNK)));
    this.applied = target;
    return { rebuilt: true, summary: null };
  }
}
