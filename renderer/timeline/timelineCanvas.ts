// Timelines: a lane per process, time across. Each lane shows the process's
// lifespan (start, exec, exit with its code or signal) and a mark per signal
// sent (above the line, pointing up) and received (below, pointing down). The
// selected signal gets an arrow from the sender's lane to the target's.
// Wheel zooms, drag pans, W/A/S/D as in Perfetto; dragging on the ruler
// brushes a time window.
import type { ProcessRecord, Session } from '../../electron/common/session';
import { isFailed, lowerBound, upperBound } from '../../electron/common/session';
import { clockTime, duration } from '../model/format';
import { shortSignal, signalColour, signalLabel } from '../model/signalInfo';
import { missingLabel, signalPasses, type Filters, type TimeWindow } from '../model/view';
import { sizeCanvas } from '../canvasSize';

export const GUTTER = 200;
export const RULER = 28;
export const LANE = 26;
const BG = '#0d1117';

export interface TimelineCallbacks {
  onSelectProcess(key: string): void;
  onSelectSignal(index: number): void;
  onWindow(window: TimeWindow): void;
  /** The user took over the view (live following stops). */
  onUserView(): void;
}

export interface TimelineInput {
  session: Session;
  lanes: string[];
  filters: Filters;
  window: TimeWindow;
  selectedProcess: string | null;
  selectedSignal: number | null;
  live: boolean;
  /** Live capture (follow the wall clock) rather than a finished recording. */
  capturing: boolean;
  /** Replaying a recording: its whole time range and the time shown. */
  replay?: { startTs: number; endTs: number; cursor: number } | null;
}

export class TimelineCanvas {
  t0 = 0;
  t1 = 1;
  scrollY = 0;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private input: TimelineInput | null = null;
  private dirty = true;
  private raf = 0;
  private drag: { kind: 'pan' | 'brush'; x: number; y: number; t0: number; t1: number; scrollY: number; moved: boolean; from: number } | null = null;
  private brushPreview: [number, number] | null = null;
  private hasView = false;
  readonly frameTimes: number[] = [];
  recordFrames = false;
  /**
   * Called after each drawn frame with the newest signal index on screen, and
   * the newest per lane drawn (lane key → index, -1 when the lane shows no
   * mark), for the latency benchmark.
   */
  onFrameDrawn: ((newestIndex: number, newestByLane: Map<string, number>) => void) | null = null;
  private disposed = false;
  /** Widths of the signal labels beside marks (few distinct texts, measured again and again). */
  private readonly textWidths = new Map<string, number>();

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly callbacks: TimelineCallbacks,
  ) {
    canvas.addEventListener('wheel', this.onWheel, { passive: false });
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('keydown', this.onKey);
    this.loop();
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.raf);
  }

  resize(width: number, height: number, dpr: number): void {
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    sizeCanvas(this.canvas, width, height, dpr);
    this.invalidate();
  }

  setInput(input: TimelineInput): void {
    this.input = input;
    if (!this.hasView && input.session.lastTs > 0) {
      this.hasView = true;
      this.followLive();
    }
    this.invalidate();
  }

  invalidate(): void {
    this.dirty = true;
  }

  get plotWidth(): number {
    return Math.max(1, this.width - GUTTER);
  }

  xOf(ts: number): number {
    return GUTTER + ((ts - this.t0) / (this.t1 - this.t0)) * this.plotWidth;
  }

  tsOf(x: number): number {
    return this.t0 + ((x - GUTTER) / this.plotWidth) * (this.t1 - this.t0);
  }

  /** Live mode: show the whole recording, or the last stretch up to now while capturing. */
  followLive(): void {
    const s = this.input?.session;
    if (!s || s.lastTs < 0 || s.firstTs === Infinity) return;
    if (this.input!.capturing) {
      const now = Math.max(Date.now() * 1000, s.lastTs);
      const span = Math.min(Math.max(this.t1 - this.t0, 5_000_000), 120_000_000);
      const span2 = this.hasLiveSpan ? span : 30_000_000;
      this.hasLiveSpan = true;
      this.t1 = now + span2 * 0.04;
      this.t0 = this.t1 - span2;
    } else {
      // A replay shows the whole recording while the cursor moves through it.
      const replay = this.input!.replay;
      const first = replay ? replay.startTs : s.firstTs;
      const last = replay ? replay.endTs : s.lastTs;
      const span = Math.max(last - first, 1_000_000);
      this.t0 = first - span * 0.02;
      this.t1 = last + span * 0.04;
    }
    this.invalidate();
  }
  private hasLiveSpan = false;

  setView(t0: number, t1: number): void {
    this.t0 = t0;
    this.t1 = Math.max(t1, t0 + 10);
    this.invalidate();
  }

  zoomAt(x: number, factor: number): void {
    const anchor = this.tsOf(Math.max(GUTTER, x));
    const span = Math.min(Math.max((this.t1 - this.t0) * factor, 20), 7 * 24 * 3600 * 1_000_000);
    const frac = (anchor - this.t0) / (this.t1 - this.t0);
    this.t0 = anchor - span * frac;
    this.t1 = this.t0 + span;
    this.invalidate();
  }

  panBy(px: number): void {
    const dt = (px / this.plotWidth) * (this.t1 - this.t0);
    this.t0 += dt;
    this.t1 += dt;
    this.invalidate();
  }

  scrollBy(dy: number): void {
    const lanes = this.input?.lanes.length ?? 0;
    const max = Math.max(0, lanes * LANE - (this.height - RULER));
    this.scrollY = Math.min(max, Math.max(0, this.scrollY + dy));
    this.invalidate();
  }

  /** Brings a lane into view. */
  revealLane(key: string): void {
    const i = this.input?.lanes.indexOf(key) ?? -1;
    if (i < 0) return;
    const top = i * LANE;
    const visible = this.height - RULER;
    if (top < this.scrollY || top + LANE > this.scrollY + visible) this.scrollBy(top - this.scrollY - visible / 3);
  }

  /** Shows a stretch of time (an edge's first to last signal) and a lane. */
  revealRange(from: number, to: number, laneKey: string): void {
    const span = Math.max(to - from, 1_000_000);
    this.t0 = from - span * 0.15;
    this.t1 = to + span * 0.15;
    this.revealLane(laneKey);
    this.invalidate();
  }

  /** Brings a signal into view: centred, zoomed in enough to read it. */
  revealSignal(index: number): void {
    const s = this.input?.session;
    if (!s) return;
    const e = s.signals[index];
    if (!e) return;
    let span = this.t1 - this.t0;
    if (span > 20_000_000) span = 10_000_000;
    this.t0 = e.ts - span / 2;
    this.t1 = e.ts + span / 2;
    this.revealLane(s.keyOfSender(e));
    this.invalidate();
  }

  private loop = (): void => {
    if (this.disposed) return;
    this.raf = requestAnimationFrame(this.loop);
    if (this.input?.live && this.input.capturing) {
      this.followLive();
    }
    if (!this.dirty) return;
    this.dirty = false;
    const t0 = performance.now();
    this.draw();
    if (this.recordFrames) this.frameTimes.push(performance.now() - t0);
  };

  private laneAt(y: number): number {
    if (y < RULER) return -1;
    return Math.floor((y - RULER + this.scrollY) / LANE);
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    const input = this.input;
    if (!ctx || !input) return;
    const { session, lanes, filters } = input;
    const W = this.width;
    const H = this.height;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';

    const first = Math.max(0, Math.floor(this.scrollY / LANE));
    const last = Math.min(lanes.length, Math.ceil((this.scrollY + H - RULER) / LANE));
    const laneY = (i: number) => RULER + i * LANE - this.scrollY;
    const span = this.t1 - this.t0;
    const nowTs = input.capturing ? Math.max(Date.now() * 1000, session.lastTs) : input.replay ? input.replay.cursor : session.lastTs;
    let newestDrawn = -1;
    const byLane = this.onFrameDrawn ? new Map<string, number>() : null;

    // Time grid.
    const ticks = timeTicks(this.t0, this.t1, Math.max(2, Math.floor(this.plotWidth / 110)));
    ctx.strokeStyle = '#1c2430';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const t of ticks.values) {
      const x = Math.round(this.xOf(t)) + 0.5;
      ctx.moveTo(x, RULER);
      ctx.lineTo(x, H);
    }
    ctx.stroke();

    // Lanes.
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, RULER, W, H - RULER);
    ctx.clip();
    for (let i = first; i < last; i++) {
      const key = lanes[i];
      const p = session.getProcess(key);
      if (!p) continue;
      const y = laneY(i);
      const mid = y + LANE / 2;
      const selected = key === input.selectedProcess;
      if (selected) {
        ctx.fillStyle = '#1a2b45';
        ctx.fillRect(0, y, W, LANE);
      } else if (i % 2) {
        ctx.fillStyle = '#10151d';
        ctx.fillRect(0, y, W, LANE);
      }
      this.drawLifespan(ctx, session, p, mid, nowTs);
      const newest = this.drawMarks(ctx, session, p, mid, filters);
      byLane?.set(key, newest);
      newestDrawn = Math.max(newestDrawn, newest);
    }
    ctx.restore();

    // Arrow for the selected signal, sender's lane → target's lane.
    if (input.selectedSignal !== null) this.drawArrow(ctx, session, lanes, input.selectedSignal, laneY);

    // Brushed window.
    const win = this.brushPreview ?? input.window;
    if (win) {
      const x0 = Math.max(GUTTER, this.xOf(win[0]));
      const x1 = Math.min(W, this.xOf(win[1]));
      if (x1 > x0) {
        ctx.fillStyle = 'rgba(88,166,255,0.10)';
        ctx.fillRect(x0, 0, x1 - x0, H);
        ctx.strokeStyle = '#58a6ff';
        ctx.beginPath();
        ctx.moveTo(x0 + 0.5, 0);
        ctx.lineTo(x0 + 0.5, H);
        ctx.moveTo(x1 - 0.5, 0);
        ctx.lineTo(x1 - 0.5, H);
        ctx.stroke();
      }
    }

    // Replay: what is still to come is shaded; the cursor is the time shown.
    if (input.replay) {
      const x = this.xOf(input.replay.cursor);
      const xEnd = Math.min(W, this.xOf(input.replay.endTs));
      if (xEnd > Math.max(GUTTER, x)) {
        ctx.fillStyle = 'rgba(13,17,23,0.55)';
        ctx.fillRect(Math.max(GUTTER, x), RULER, xEnd - Math.max(GUTTER, x), H - RULER);
      }
      if (x >= GUTTER && x <= W) {
        ctx.fillStyle = '#e3b341';
        ctx.fillRect(Math.round(x) - 1, 0, 2, H);
      }
    }

    // "Now" line while capturing.
    if (input.capturing) {
      const x = this.xOf(Date.now() * 1000);
      if (x > GUTTER && x < W) {
        ctx.strokeStyle = '#3fb950';
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x + 0.5, RULER);
        ctx.lineTo(x + 0.5, H);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }

    // Gutter with lane labels.
    ctx.fillStyle = '#0b0f15';
    ctx.fillRect(0, RULER, GUTTER, H - RULER);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, RULER, GUTTER, H - RULER);
    ctx.clip();
    for (let i = first; i < last; i++) {
      const p = session.getProcess(lanes[i]);
      if (!p) continue;
      const y = laneY(i) + LANE / 2;
      const selected = p.key === input.selectedProcess;
      if (selected) {
        ctx.fillStyle = '#1a2b45';
        ctx.fillRect(0, laneY(i), GUTTER, LANE);
        ctx.fillStyle = '#58a6ff';
        ctx.fillRect(0, laneY(i), 3, LANE);
      }
      ctx.fillStyle = p.exitTs !== null || p.kind === 'missing' ? '#8b949e' : p.kind === 'kernel' ? '#f5c46b' : '#e6edf3';
      ctx.textAlign = 'left';
      const name = p.kind === 'kernel' ? 'kernel' : p.kind === 'missing' ? missingLabel(p.pid) : `${p.comm}`;
      ctx.fillText(ellipsize(ctx, name, GUTTER - 80), 10, y);
      ctx.textAlign = 'right';
      ctx.fillStyle = '#8b949e';
      const tag = p.kind === 'process' ? `${p.pid}${p.reusedPidOf ? ' ↻' : ''}${p.exitTs !== null ? ' ✕' : ''}` : '';
      ctx.fillText(tag, GUTTER - 10, y);
    }
    ctx.restore();
    ctx.strokeStyle = '#30363d';
    ctx.beginPath();
    ctx.moveTo(GUTTER + 0.5, 0);
    ctx.lineTo(GUTTER + 0.5, H);
    ctx.stroke();

    // Ruler.
    ctx.fillStyle = '#161b22';
    ctx.fillRect(0, 0, W, RULER);
    ctx.strokeStyle = '#30363d';
    ctx.beginPath();
    ctx.moveTo(0, RULER - 0.5);
    ctx.lineTo(W, RULER - 0.5);
    ctx.stroke();
    ctx.fillStyle = '#8b949e';
    ctx.textAlign = 'left';
    ctx.fillText(`${lanes.length} lane${lanes.length === 1 ? '' : 's'} · span ${duration(span)}`, 10, RULER / 2);
    ctx.fillStyle = '#c9d1d9';
    for (const t of ticks.values) {
      const x = this.xOf(t);
      if (x < GUTTER + 4) continue;
      ctx.fillRect(Math.round(x), RULER - 6, 1, 6);
      ctx.textAlign = 'left';
      ctx.fillText(ticks.format(t), x + 3, RULER / 2 - 1);
    }
    if (lanes.length === 0) {
      ctx.fillStyle = '#8b949e';
      ctx.textAlign = 'center';
      ctx.fillText('No processes in view. Signals appear here as lanes, one per process.', GUTTER + this.plotWidth / 2, RULER + 40);
    }
    if (byLane) this.onFrameDrawn?.(newestDrawn, byLane);
  }

  private drawLifespan(ctx: CanvasRenderingContext2D, session: Session, p: ProcessRecord, mid: number, nowTs: number): void {
    if (p.kind !== 'process') return;
    const startWall = session.startWallUs(p);
    const from = startWall ?? p.firstTs;
    const to = p.exitTs ?? nowTs;
    const x0 = Math.max(GUTTER, this.xOf(from));
    const x1 = Math.min(this.width, this.xOf(to));
    if (x1 < GUTTER || x0 > this.width) return;
    ctx.fillStyle = p.exitTs !== null ? '#2d333b' : '#243b5a';
    ctx.fillRect(x0, mid - 2, Math.max(1, x1 - x0), 4);
    // Start, exec and exit marks on the bar, with words when there is room.
    const pxPerUs = this.plotWidth / (this.t1 - this.t0);
    if (startWall !== null && p.forkTs !== null) {
      const x = this.xOf(p.forkTs);
      if (x >= GUTTER && x <= this.width) {
        ctx.fillStyle = '#6cb6ff';
        ctx.fillRect(x - 1, mid - 7, 2, 14);
      }
    }
    for (const ex of p.execs) {
      const x = this.xOf(ex.ts);
      if (x < GUTTER || x > this.width) continue;
      ctx.fillStyle = '#d2a8ff';
      ctx.fillRect(x - 0.5, mid - 6, 1.5, 12);
      if (pxPerUs * 1_000_000 > 200) {
        ctx.textAlign = 'left';
        ctx.fillText('exec', x + 3, mid - 7);
      }
    }
    if (p.exitTs !== null) {
      const x = this.xOf(p.exitTs);
      if (x >= GUTTER && x <= this.width + 60) {
        ctx.fillStyle = p.exitSignal ? '#f85149' : '#8b949e';
        ctx.fillRect(x - 1, mid - 7, 2.5, 14);
        const text = p.exitSignal ? `${p.exitSignal}${p.core ? ' core' : ''}` : `exit ${p.exitCode ?? '?'}`;
        ctx.textAlign = 'left';
        ctx.fillStyle = p.exitSignal ? '#ff7b72' : '#8b949e';
        ctx.fillText(text, x + 4, mid);
      }
    }
  }

  /**
   * Marks for one lane, one per pixel column at most. Returns the newest
   * signal index drawn (with the benchmark's hook set: or shown by the mark
   * of the pixel column it falls in).
   */
  private drawMarks(ctx: CanvasRenderingContext2D, session: Session, p: ProcessRecord, mid: number, filters: Filters): number {
    const list = p.signalIndices;
    if (list.length === 0) return -1;
    const signals = session.signals;
    let i = lowerBound(list, signals, this.t0);
    const hi = upperBound(list, signals, this.t1);
    const usPerPx = (this.t1 - this.t0) / this.plotWidth;
    let lastLabelEnd = -Infinity;
    let newest = -1;
    const selected = this.input?.selectedSignal ?? null;
    while (i < hi) {
      const index = list[i];
      const e = signals[index];
      if (!signalPasses(e, filters)) {
        i++;
        continue;
      }
      if (index > newest) newest = index;
      const x = this.xOf(e.ts);
      const sent = session.keyOfSender(e) === p.key;
      const colour = signalColour(e.sig);
      const failed = isFailed(e);
      ctx.beginPath();
      if (sent) {
        ctx.moveTo(x, mid - 11);
        ctx.lineTo(x - 4.5, mid - 3);
        ctx.lineTo(x + 4.5, mid - 3);
      } else {
        ctx.moveTo(x, mid + 11);
        ctx.lineTo(x - 4.5, mid + 3);
        ctx.lineTo(x + 4.5, mid + 3);
      }
      ctx.closePath();
      if (failed) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      } else {
        ctx.fillStyle = colour;
        ctx.fill();
      }
      if (index === selected) {
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 7, mid - 12, 14, 24);
      }
      // The name beside the mark when there is room: colour never works alone.
      if (x - 6 > lastLabelEnd) {
        const next = i + 1 < hi ? this.xOf(signals[list[i + 1]].ts) : Infinity;
        const text = shortSignal(signalLabel(e.sig, e.signal)) + (failed ? ` ✕ ${e.errno ?? ''}` : '');
        let w = this.textWidths.get(text);
        if (w === undefined) {
          w = ctx.measureText(text).width;
          if (this.textWidths.size > 500) this.textWidths.clear();
          this.textWidths.set(text, w);
        }
        if (next - x > w + 12) {
          ctx.fillStyle = colour;
          ctx.textAlign = 'left';
          ctx.fillText(text, x + 6, sent ? mid - 6 : mid + 7);
          lastLabelEnd = x + 6 + w;
        }
      }
      // Skip to the next pixel column: a lane never costs more than its width.
      const nextTs = e.ts + usPerPx;
      if (i + 1 < hi && signals[list[i + 1]].ts < nextTs) {
        let lo = i + 1;
        let h = hi;
        while (lo < h) {
          const m = (lo + h) >>> 1;
          if (signals[list[m]].ts < nextTs) lo = m + 1;
          else h = m;
        }
        // The skipped signals are shown by this column's mark (the latency benchmark counts them as drawn).
        if (this.onFrameDrawn) for (let j = i + 1; j < lo; j++) if (list[j] > newest && signalPasses(signals[list[j]], filters)) newest = list[j];
        i = lo;
      } else i++;
    }
    return newest;
  }

  private drawArrow(ctx: CanvasRenderingContext2D, session: Session, lanes: string[], index: number, laneY: (i: number) => number): void {
    const e = session.signals[index];
    if (!e) return;
    const si = lanes.indexOf(session.keyOfSender(e));
    const ti = lanes.indexOf(session.keyOfTarget(e));
    const x = this.xOf(e.ts);
    if (x < GUTTER || x > this.width) return;
    const clampY = (y: number) => Math.min(this.height - 4, Math.max(RULER + 4, y));
    const y0 = si >= 0 ? clampY(laneY(si) + LANE / 2 - 6) : RULER + 4;
    const y1 = ti >= 0 ? clampY(laneY(ti) + LANE / 2 + (ti > si ? -8 : 8)) : this.height - 4;
    const colour = signalColour(e.sig);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 4;
    ctx.beginPath();
    ctx.moveTo(x, y0);
    ctx.lineTo(x, y1);
    ctx.stroke();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    if (isFailed(e)) ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.moveTo(x, y0);
    ctx.lineTo(x, y1);
    ctx.stroke();
    ctx.setLineDash([]);
    const dir = y1 >= y0 ? 1 : -1;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, y1 + dir * 2);
    ctx.lineTo(x - 6, y1 - dir * 8);
    ctx.lineTo(x + 6, y1 - dir * 8);
    ctx.closePath();
    ctx.fill();
    const label = `${signalLabel(e.sig, e.signal)}${isFailed(e) ? ` failed: ${e.errno}` : ''} · ${clockTime(e.ts, true)}`;
    ctx.font = 'bold 11px system-ui, sans-serif';
    const w = ctx.measureText(label).width;
    const ly = (y0 + y1) / 2;
    ctx.fillStyle = '#0d1117ee';
    ctx.fillRect(x + 8, ly - 9, w + 10, 18);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 8.5, ly - 8.5, w + 9, 17);
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'left';
    ctx.fillText(label, x + 13, ly);
    ctx.font = '11px system-ui, sans-serif';
  }

  // ---- input ----

  private onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    if (e.shiftKey) {
      this.scrollBy(e.deltaY);
      return;
    }
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.panBy(e.deltaX);
    } else {
      this.zoomAt(e.offsetX, Math.exp(e.deltaY * 0.0015));
    }
    this.callbacks.onUserView();
  };

  private onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    this.canvas.focus();
    const brush = e.offsetY < RULER && e.offsetX > GUTTER;
    this.drag = { kind: brush ? 'brush' : 'pan', x: e.offsetX, y: e.offsetY, t0: this.t0, t1: this.t1, scrollY: this.scrollY, moved: false, from: this.tsOf(e.offsetX) };
    this.canvas.setPointerCapture(e.pointerId);
  };

  private onPointerMove = (e: PointerEvent): void => {
    const d = this.drag;
    if (!d) {
      this.canvas.style.cursor = e.offsetY < RULER && e.offsetX > GUTTER ? 'col-resize' : e.offsetX < GUTTER ? 'pointer' : 'grab';
      return;
    }
    const dx = e.offsetX - d.x;
    const dy = e.offsetY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 3) return;
    d.moved = true;
    if (d.kind === 'brush') {
      const to = this.tsOf(Math.max(GUTTER, Math.min(this.width, e.offsetX)));
      this.brushPreview = [Math.min(d.from, to), Math.max(d.from, to)];
      this.invalidate();
      return;
    }
    const dt = (dx / this.plotWidth) * (d.t1 - d.t0);
    this.t0 = d.t0 - dt;
    this.t1 = d.t1 - dt;
    this.scrollY = d.scrollY;
    this.scrollBy(-dy);
    this.callbacks.onUserView();
  };

  private onPointerUp = (e: PointerEvent): void => {
    const d = this.drag;
    this.drag = null;
    this.canvas.releasePointerCapture(e.pointerId);
    if (!d) return;
    if (d.kind === 'brush') {
      const win = this.brushPreview;
      this.brushPreview = null;
      if (d.moved && win && win[1] - win[0] > 0) this.callbacks.onWindow(win);
      else if (!d.moved) this.callbacks.onWindow(null);
      this.invalidate();
      return;
    }
    if (d.moved) return;
    this.click(e.offsetX, e.offsetY);
  };

  private click(x: number, y: number): void {
    const input = this.input;
    if (!input) return;
    const lane = this.laneAt(y);
    if (lane < 0 || lane >= input.lanes.length) return;
    const key = input.lanes[lane];
    if (x > GUTTER) {
      const hit = this.markAt(key, x);
      if (hit !== null) {
        this.callbacks.onSelectProcess(key);
        this.callbacks.onSelectSignal(hit);
        return;
      }
    }
    this.callbacks.onSelectProcess(key);
  }

  /** The visible mark nearest to x in a lane, within 6 px. */
  markAt(key: string, x: number): number | null {
    const input = this.input!;
    const p = input.session.getProcess(key);
    if (!p) return null;
    const signals = input.session.signals;
    const tol = (6 / this.plotWidth) * (this.t1 - this.t0);
    const ts = this.tsOf(x);
    let i = lowerBound(p.signalIndices, signals, ts - tol);
    const hi = upperBound(p.signalIndices, signals, ts + tol);
    let best: number | null = null;
    let bestD = Infinity;
    for (; i < hi; i++) {
      const e = signals[p.signalIndices[i]];
      if (!signalPasses(e, input.filters)) continue;
      const d = Math.abs(e.ts - ts);
      if (d < bestD) {
        bestD = d;
        best = p.signalIndices[i];
      }
    }
    return best;
  }

  private onKey = (e: KeyboardEvent): void => {
    const k = e.key.toLowerCase();
    const step = this.plotWidth * 0.15;
    switch (k) {
      case 'w':
        this.zoomAt(GUTTER + this.plotWidth / 2, 0.7);
        break;
      case 's':
        this.zoomAt(GUTTER + this.plotWidth / 2, 1 / 0.7);
        break;
      case 'a':
      case 'arrowleft':
        this.panBy(-step);
        break;
      case 'd':
      case 'arrowright':
        this.panBy(step);
        break;
      case 'arrowup':
        this.scrollBy(-LANE);
        e.preventDefault();
        return;
      case 'arrowdown':
        this.scrollBy(LANE);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.callbacks.onUserView();
  };
}

function ellipsize(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(t + '…').width > max) t = t.slice(0, -1);
  return t + '…';
}

/** Round tick positions for a time axis, labelled as wall-clock time. */
export function timeTicks(t0: number, t1: number, count: number): { values: number[]; format: (t: number) => string } {
  const span = (t1 - t0) / count;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 15e6, 3e7, 6e7, 12e7, 3e8, 6e8, 18e8, 36e8];
  const step = steps.find((s) => s >= span) ?? 36e8;
  const values: number[] = [];
  const offset = new Date().getTimezoneOffset() * 60e6;
  // Align to local wall-clock boundaries.
  let t = Math.ceil((t0 - offset) / step) * step + offset;
  for (let n = 0; t <= t1 && n < 200; t += step, n++) values.push(t);
  const format = (v: number) => {
    const d = new Date(Math.floor(v / 1000));
    const hms = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
    if (step >= 1e6) return hms;
    if (step >= 1e3) return `${hms}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    return `${hms}.${String(Math.floor(v % 1e6)).padStart(6, '0')}`;
  };
  return { values, format };
}
