// The live signal graph, drawn on a canvas so that thousands of processes
// stay smooth. Processes are nodes, one edge per (sender, target, signal),
// its thickness by count and its colour by signal, the signal's name written
// beside it. Failed attempts are dashed; exited processes are grey and
// crossed; the kernel is a square.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { ApplySummary, EdgeAggregate, ProcessRecord, Session } from '../../electron/common/session';
import { isFailed } from '../../electron/common/session';
import { shortSignal, signalColour, signalLabel } from '../model/signalInfo';
import { missingLabel, type VisibleGraph } from '../model/view';
import { GraphLayout, type GraphNode } from './layout';
import { sizeCanvas } from '../canvasSize';

/** One drawn line: the successful part of an edge, or its failed part (dashed). */
export interface VisualLink {
  edge: EdgeAggregate;
  failed: boolean;
  count: number;
  /** Perpendicular offset for parallel links between the same pair, in world units. */
  bend: number;
  source: GraphNode;
  target: GraphNode;
}

export interface GraphHit {
  kind: 'node' | 'link';
  key: string;
  link?: VisualLink;
  node?: GraphNode;
}

export interface GraphCallbacks {
  onSelectProcess(key: string | null): void;
  onSelectEdge(key: string): void;
  onHover(hit: GraphHit | null, clientX: number, clientY: number): void;
  /** The user moved the view; stop fitting automatically. */
  onUserView?(): void;
}

export interface Highlight {
  process: string | null;
  edge: string | null;
  signal: { edgeKey: string; failed: boolean } | null;
}

const PULSE_MS = 900;
const BG = '#0d1117';
/** The view counts as moving until it has been still this long; then the scene is drawn sharp for it. */
const SETTLE_MS = 120;
/** The scene image reaches this fraction of the view's size beyond each side, so panning shows what was off screen. */
const SCENE_MARGIN = 0.25;
/** While moving, the scene image may be enlarged up to this factor before it is drawn afresh. */
const MAX_STRETCH = 2.5;

/** The scene (edges, nodes, labels) as an image, and the view it was drawn for. */
class SceneImage {
  readonly canvas = document.createElement('canvas');
  valid = false;
  k = 1;
  x = 0;
  y = 0;
  /** Margin in CSS pixels. */
  mx = 0;
  my = 0;
  private w = 0;
  private h = 0;

  take(k: number, x: number, y: number, mx: number, my: number, w: number, h: number): void {
    Object.assign(this, { k, x, y, mx, my, w, h, valid: true });
  }

  exact(t: { k: number; x: number; y: number }): boolean {
    return t.k === this.k && t.x === this.x && t.y === this.y;
  }

  /** Whether the image, moved and scaled to view t, fills a view of this size without stretching too far. */
  covers(t: { k: number; x: number; y: number }, width: number, height: number): boolean {
    const r = t.k / this.k;
    if (r > MAX_STRETCH) return false;
    const ox = t.x - (this.x + this.mx) * r;
    const oy = t.y - (this.y + this.my) * r;
    return ox <= 0 && oy <= 0 && ox + this.w * r >= width && oy + this.h * r >= height;
  }
}

export class GraphCanvas {
  readonly layout = new GraphLayout();
  private links: VisualLink[] = [];
  private readonly linkByEdge = new Map<string, VisualLink[]>();
  private session: Session | null = null;
  private transform: ZoomTransform = zoomIdentity;
  private readonly zoomBehaviour: ZoomBehavior<HTMLCanvasElement, unknown>;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private dirty = true;
  private raf = 0;
  private readonly scene = new SceneImage();
  private lastViewChange = -Infinity;
  /** Frames that drew the scene afresh, and frames that reused its image (for the benchmark). */
  sceneRenders = 0;
  sceneBlits = 0;
  private pulses: { link: VisualLink; t0: number }[] = [];
  private hover: GraphHit | null = null;
  private highlight: Highlight = { process: null, edge: null, signal: null };
  private autoFit = true;
  private dragging: GraphNode | null = null;
  private dragMoved = false;
  /** Frame times, for the benchmark. */
  readonly frameTimes: number[] = [];
  recordFrames = false;
  private disposed = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly callbacks: GraphCallbacks,
  ) {
    this.zoomBehaviour = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 8])
      .filter((event: Event) => {
        if (event.type === 'mousedown' || event.type === 'pointerdown' || event.type === 'touchstart') {
          const e = event as MouseEvent;
          if (e.button !== 0) return false;
          return !this.hitNode(e.offsetX, e.offsetY);
        }
        return !(event as MouseEvent).ctrlKey || event.type === 'wheel';
      })
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: Event | null }) => {
        this.transform = event.transform;
        if (event.sourceEvent) {
          this.autoFit = false;
          this.callbacks.onUserView?.();
        }
        this.lastViewChange = performance.now();
        this.dirty = true;
      });
    select(this.canvas).call(this.zoomBehaviour).on('dblclick.zoom', null);
    this.canvas.addEventListener('pointerdown', this.onPointerDown);
    this.canvas.addEventListener('pointermove', this.onPointerMove);
    this.canvas.addEventListener('pointerup', this.onPointerUp);
    this.canvas.addEventListener('pointerleave', () => {
      this.hover = null;
      this.callbacks.onHover(null, 0, 0);
      this.dirty = true;
    });
    this.canvas.addEventListener('click', this.onClick);
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
    if (this.autoFit) this.fit(false);
    this.invalidate();
  }

  /** The scene changed: draw it afresh on the next frame. */
  invalidate(): void {
    this.scene.valid = false;
    this.dirty = true;
  }

  setHighlight(h: Highlight): void {
    this.highlight = h;
    this.invalidate();
  }

  /** Replaces what is shown. */
  setGraph(session: Session, graph: VisibleGraph): void {
    this.session = session;
    this.layout.setGraph(
      graph.nodeKeys,
      graph.edges.map((e) => ({ source: e.senderKey, target: e.targetKey })),
    );
    // One visual link per edge part; parallel links between a pair fan out.
    const byPair = new Map<string, VisualLink[]>();
    this.links = [];
    this.linkByEdge.clear();
    for (const edge of graph.edges) {
      const source = this.layout.node(edge.senderKey)!;
      const target = this.layout.node(edge.targetKey)!;
      const parts: [boolean, number][] = [];
      if (edge.count - edge.failed > 0) parts.push([false, edge.count - edge.failed]);
      if (edge.failed > 0) parts.push([true, edge.failed]);
      for (const [failed, count] of parts) {
        const link: VisualLink = { edge, failed, count, bend: 0, source, target };
        this.links.push(link);
        const list = this.linkByEdge.get(edge.key);
        if (list) list.push(link);
        else this.linkByEdge.set(edge.key, [link]);
        const pair = edge.senderKey < edge.targetKey ? `${edge.senderKey}|${edge.targetKey}` : `${edge.targetKey}|${edge.senderKey}`;
        const group = byPair.get(pair);
        if (group) group.push(link);
        else byPair.set(pair, [link]);
      }
    }
    for (const group of byPair.values()) {
      if (group.length === 1 && group[0].source !== group[0].target) {
        // A lone link bends a little when the pair also talks the other way; otherwise straight.
        continue;
      }
      group.sort((a, b) => a.edge.sig - b.edge.sig || Number(a.failed) - Number(b.failed));
      group.forEach((l, i) => {
        // Keep the fan's orientation independent of each link's direction.
        const flip = l.edge.senderKey < l.edge.targetKey ? 1 : -1;
        l.bend = (i - (group.length - 1) / 2) * 22 * flip;
        if (l.source === l.target) l.bend = 18 + i * 10;
      });
    }
    this.invalidate();
  }

  /** New signals arrived: a pulse travels along each edge they crossed. */
  pulse(summary: ApplySummary): void {
    if (!this.session || summary.signalCount > 2000) return;
    const now = performance.now();
    for (const [edgeKey, index] of summary.touchedEdges) {
      const links = this.linkByEdge.get(edgeKey);
      if (!links) continue;
      const failed = isFailed(this.session.signals[index]);
      const link = links.find((l) => l.failed === failed) ?? links[0];
      this.pulses.push({ link, t0: now });
    }
    if (this.pulses.length > 400) this.pulses.splice(0, this.pulses.length - 400);
    this.dirty = true;
  }

  fit(animate = true): void {
    const e = this.layout.extent();
    if (this.width === 0) return;
    const pad = 60;
    const w = Math.max(e.maxX - e.minX, 1);
    const h = Math.max(e.maxY - e.minY, 1);
    const k = Math.min(2, Math.max(0.02, Math.min((this.width - pad * 2) / w, (this.height - pad * 2) / h)));
    const t = zoomIdentity.translate(this.width / 2 - e.cx * k, this.height / 2 - e.cy * k).scale(k);
    void animate;
    select(this.canvas).call(this.zoomBehaviour.transform, t);
  }

  resumeAutoFit(): void {
    this.autoFit = true;
    this.fit();
  }

  /** Centres the view on a process without changing the zoom. */
  centreOn(keys: string[]): void {
    const nodes = keys.map((k) => this.layout.node(k)).filter((n): n is GraphNode => !!n && !Number.isNaN(n.x));
    if (nodes.length === 0) return;
    const cx = nodes.reduce((s, n) => s + n.x, 0) / nodes.length;
    const cy = nodes.reduce((s, n) => s + n.y, 0) / nodes.length;
    const k = Math.max(this.transform.k, 0.6);
    this.autoFit = false;
    select(this.canvas).call(this.zoomBehaviour.transform, zoomIdentity.translate(this.width / 2 - cx * k, this.height / 2 - cy * k).scale(k));
  }

  panBy(dx: number, dy: number): void {
    this.autoFit = false;
    select(this.canvas).call(this.zoomBehaviour.translateBy, dx / this.transform.k, dy / this.transform.k);
  }

  zoomBy(factor: number): void {
    this.autoFit = false;
    select(this.canvas).call(this.zoomBehaviour.scaleBy, factor, [this.width / 2, this.height / 2]);
  }

  /** Sets the view directly (the benchmark pans and zooms with it). */
  setTransform(x: number, y: number, k: number): void {
    this.autoFit = false;
    select(this.canvas).call(this.zoomBehaviour.transform, zoomIdentity.translate(x, y).scale(k));
  }

  /** Where a process is drawn, in canvas pixels (tests click there). */
  screenPointOfNode(key: string): [number, number] | null {
    const n = this.layout.node(key);
    if (!n || !this.layout.isActive(key)) return null;
    return this.transform.apply([n.x, n.y]);
  }

  /** Midpoint of an edge's line, in canvas pixels. */
  /** Where along the edge (t from 0 at the sender to 1 at the target) it is on screen. */
  screenPointOfEdge(edgeKey: string, t = 0.5): [number, number] | null {
    const l = this.linkByEdge.get(edgeKey)?.[0];
    if (!l) return null;
    return this.transform.apply(this.pointAt(l, t));
  }

  get nodeCount(): number {
    return this.layout.active.length;
  }
  get linkCount(): number {
    return this.links.length;
  }
  get settled(): boolean {
    return !this.layout.moving;
  }

  // ---- frame loop ----

  private loop = (): void => {
    if (this.disposed) return;
    this.raf = requestAnimationFrame(this.loop);
    const moved = this.layout.step(this.layout.active.length > 2000 ? 12 : 6);
    if (moved && this.autoFit) this.fit(false);
    if (moved) this.invalidate();
    const now = performance.now();
    if (this.pulses.length > 0) this.dirty = true;
    // The view came to rest on a cached image taken at another view: draw it sharp.
    if (this.scene.valid && !this.scene.exact(this.transform) && now - this.lastViewChange >= SETTLE_MS) this.dirty = true;
    if (!this.dirty) return;
    this.dirty = false;
    const t0 = performance.now();
    this.draw(t0);
    if (this.recordFrames) this.frameTimes.push(performance.now() - t0);
  };

  private radius(p: ProcessRecord | undefined): number {
    if (!p) return 6;
    if (p.kind === 'kernel') return 11;
    return Math.min(16, 5 + Math.sqrt(p.sent + p.received) * 0.9);
  }

  /**
   * A frame: the scene (edges, nodes, labels) comes from a cached image while
   * the view moves, drawn with the transform from where it was taken to where
   * the view is now. It is drawn afresh when the data, the layout or the
   * highlight changed, when the view settles, or when the cached image no
   * longer covers the view or would be scaled too far. What animates or
   * follows the pointer (pulses, the selected signal's dot, hover) is drawn
   * over it every frame.
   */
  private draw(now: number): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx || !this.session) return;
    const moving = now - this.lastViewChange < SETTLE_MS;
    const t = this.transform;
    if (!this.scene.valid || (!moving && !this.scene.exact(t)) || (moving && !this.scene.covers(t, this.width, this.height))) {
      this.renderScene();
      this.sceneRenders++;
    } else this.sceneBlits++;
    const dpr = this.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    // Scene pixel = dpr * (world * k0 + t0 + margin); view pixel = dpr * (world * k + t).
    const s = this.scene;
    const r = t.k / s.k;
    const ox = t.x - (s.x + s.mx) * r;
    const oy = t.y - (s.y + s.my) * r;
    ctx.imageSmoothingEnabled = true;
    if (r === 1) ctx.drawImage(s.canvas, Math.round(dpr * ox), Math.round(dpr * oy));
    else ctx.drawImage(s.canvas, dpr * ox, dpr * oy, s.canvas.width * r, s.canvas.height * r);
    ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
    this.drawOverlay(ctx, now);
  }

  /** What changes from frame to frame without touching the scene. */
  private drawOverlay(ctx: CanvasRenderingContext2D, now: number): void {
    const session = this.session!;
    const k = this.transform.k;
    const hl = this.highlight;
    if (this.hover?.link) this.emphasise(ctx, this.hover.link, '#ffffffaa', linkWidth(this.hover.link.count) + 2, k);
    if (hl.signal) {
      const links = this.linkByEdge.get(hl.signal.edgeKey) ?? [];
      const l = links.find((x) => x.failed === hl.signal!.failed) ?? links[0];
      if (l) {
        const p = (now % 1400) / 1400;
        const pt = this.pointAt(l, p);
        ctx.fillStyle = '#ffffff';
        ctx.beginPath();
        ctx.arc(pt[0], pt[1], 5 / k, 0, Math.PI * 2);
        ctx.fill();
        this.dirty = true;
      }
    }
    // Pulses: a dot travelling sender → target for each new signal.
    if (this.pulses.length) {
      this.pulses = this.pulses.filter((p) => now - p.t0 < PULSE_MS);
      for (const p of this.pulses) {
        const t = (now - p.t0) / PULSE_MS;
        const pt = this.pointAt(p.link, Math.min(1, t * 1.4));
        ctx.globalAlpha = 1 - t;
        ctx.fillStyle = signalColour(p.link.edge.sig);
        ctx.beginPath();
        ctx.arc(pt[0], pt[1], (4 + 6 * t) / k, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    }
    // The hovered process: a ring, and its label even where the scene had no room for it.
    const n = this.hover?.kind === 'node' ? this.hover.node : undefined;
    if (n && this.layout.isActive(n.key) && !Number.isNaN(n.x)) {
      const p = session.getProcess(n.key);
      const r = this.radius(p);
      ctx.beginPath();
      ctx.arc(n.x, n.y, r + 4 / k, 0, Math.PI * 2);
      ctx.strokeStyle = '#ffffff99';
      ctx.lineWidth = 2 / k;
      ctx.stroke();
      if (p) {
        const label = nodeLabel(p);
        const ty = n.y + r + 3 / k;
        ctx.lineJoin = 'round';
        ctx.textBaseline = 'top';
        ctx.textAlign = 'center';
        ctx.font = `${11 / k}px system-ui, sans-serif`;
        ctx.strokeStyle = BG;
        ctx.lineWidth = 3 / k;
        ctx.strokeText(label, n.x, ty);
        ctx.fillStyle = n.key === hl.process ? '#ffffff' : p.exitTs !== null || p.kind === 'missing' ? '#8b949e' : p.kind === 'kernel' ? '#f5c46b' : '#e6edf3';
        ctx.fillText(label, n.x, ty);
      }
    }
  }

  private emphasise(ctx: CanvasRenderingContext2D, l: VisualLink, colour: string, width: number, k: number): void {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width / k;
    ctx.lineCap = 'round';
    ctx.setLineDash(l.failed ? [6 / k, 4 / k] : []);
    ctx.beginPath();
    this.tracePath(ctx, l);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /** Draws edges, nodes and labels into the scene image: the current view plus a margin. */
  private renderScene(): void {
    const sc = this.scene;
    const dpr = this.dpr;
    const mx = Math.round(this.width * SCENE_MARGIN);
    const my = Math.round(this.height * SCENE_MARGIN);
    const cw = Math.max(1, Math.round((this.width + 2 * mx) * dpr));
    const ch = Math.max(1, Math.round((this.height + 2 * my) * dpr));
    if (sc.canvas.width !== cw || sc.canvas.height !== ch) {
      sc.canvas.width = cw;
      sc.canvas.height = ch;
    }
    const ctx = sc.canvas.getContext('2d');
    if (!ctx) return;
    const { k, x, y } = this.transform;
    sc.take(k, x, y, mx, my, this.width + 2 * mx, this.height + 2 * my);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, cw, ch);
    this.drawScene(ctx, k, x + mx, y + my, this.width + 2 * mx, this.height + 2 * my);
  }

  private drawScene(ctx: CanvasRenderingContext2D, k: number, x: number, y: number, width: number, height: number): void {
    const session = this.session!;
    const dpr = this.dpr;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * x, dpr * y);

    // What is on screen, in world units, to skip what is not.
    const vx0 = -x / k - 40;
    const vy0 = -y / k - 40;
    const vx1 = (width - x) / k + 40;
    const vy1 = (height - y) / k + 40;
    const onScreen = (n: GraphNode) => n.x >= vx0 && n.x <= vx1 && n.y >= vy0 && n.y <= vy1;
    const linkOnScreen = (l: VisualLink) =>
      !(Math.max(l.source.x, l.target.x) < vx0 || Math.min(l.source.x, l.target.x) > vx1 || Math.max(l.source.y, l.target.y) < vy0 || Math.min(l.source.y, l.target.y) > vy1);

    const hl = this.highlight;
    const focus = hl.process;
    const many = this.links.length > 3000;

    // Edges, batched by style: one path per (colour, width, dash, dimmed).
    // Zoomed out over a big graph, every line is a 1 px straight hairline
    // without dashes: far cheaper to rasterise, and dashes and curves can't
    // be told apart at that size anyway.
    const visibleLinks: VisualLink[] = [];
    for (const l of this.links) if (linkOnScreen(l)) visibleLinks.push(l);
    const lod = visibleLinks.length > 3000 && k < 0.6;
    const batches = new Map<string, VisualLink[]>();
    for (const l of visibleLinks) {
      const w = lod ? 1 : linkWidth(l.count);
      const dim = focus !== null && l.edge.senderKey !== focus && l.edge.targetKey !== focus;
      const key = `${l.edge.sig}|${w}|${l.failed && !lod ? 1 : 0}|${dim ? 1 : 0}`;
      const b = batches.get(key);
      if (b) b.push(l);
      else batches.set(key, [l]);
    }
    ctx.lineCap = lod ? 'butt' : 'round';
    for (const [key, list] of batches) {
      const [sig, w, failed, dim] = key.split('|').map(Number);
      ctx.strokeStyle = signalColour(sig);
      ctx.globalAlpha = dim ? 0.18 : many ? 0.55 : 0.85;
      ctx.lineWidth = w / k;
      ctx.setLineDash(failed ? [6 / k, 4 / k] : []);
      ctx.beginPath();
      if (lod) {
        for (const l of list) {
          ctx.moveTo(l.source.x, l.source.y);
          ctx.lineTo(l.target.x, l.target.y);
        }
      } else for (const l of list) this.tracePath(ctx, l);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;

    // Arrowheads show direction; skipped when zoomed far out over a big graph.
    if (!lod && (!many || k > 0.5)) {
      const heads = new Map<string, VisualLink[]>();
      for (const l of visibleLinks) {
        const dim = focus !== null && l.edge.senderKey !== focus && l.edge.targetKey !== focus;
        const key = `${l.edge.sig}|${dim ? 1 : 0}`;
        const b = heads.get(key);
        if (b) b.push(l);
        else heads.set(key, [l]);
      }
      for (const [key, list] of heads) {
        const [sig, dim] = key.split('|').map(Number);
        ctx.fillStyle = signalColour(sig);
        ctx.globalAlpha = dim ? 0.2 : 0.95;
        ctx.beginPath();
        for (const l of list) this.traceArrow(ctx, l, this.radius(session.getProcess(l.edge.targetKey)), k);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    }

    // Highlights: the selected edge and the selected signal's edge (its moving dot, and hover, are drawn over the scene).
    if (hl.edge) for (const l of this.linkByEdge.get(hl.edge) ?? []) this.emphasise(ctx, l, '#ffffff', linkWidth(l.count) + 3, k);
    if (hl.signal) {
      const links = this.linkByEdge.get(hl.signal.edgeKey) ?? [];
      const l = links.find((x) => x.failed === hl.signal!.failed) ?? links[0];
      if (l) {
        this.emphasise(ctx, l, '#ffffff', linkWidth(l.count) + 4, k);
        this.emphasise(ctx, l, signalColour(l.edge.sig), linkWidth(l.count) + 1, k);
      }
    }

    // Nodes, batched by style: one fill and one stroke per style.
    const showAllLabels = k > 0.3 || this.layout.active.length < 200;
    const labelled: [GraphNode, ProcessRecord][] = [];
    const styles = new Map<string, { fill: string | null; stroke: string; width: number; dash: boolean; nodes: [GraphNode, number, boolean][] }>();
    const crosses: [GraphNode, number][] = [];
    for (const n of this.layout.active) {
      if (Number.isNaN(n.x) || !onScreen(n)) continue;
      const p = session.getProcess(n.key);
      if (!p) continue;
      const r = this.radius(p);
      const exited = p.exitTs !== null;
      const style =
        p.kind === 'missing' ? 'missing' : p.kind === 'kernel' ? 'kernel' : exited ? 'exited' : p.reusedPidOf ? 'reused' : 'alive';
      let bucket = styles.get(style);
      if (!bucket) {
        bucket =
          style === 'missing' ? { fill: null, stroke: '#8b949e', width: 1.5, dash: true, nodes: [] }
          : style === 'kernel' ? { fill: '#4a3413', stroke: '#f5a524', width: 1.5, dash: false, nodes: [] }
          : style === 'exited' ? { fill: '#262b33', stroke: '#6e7681', width: 1.5, dash: false, nodes: [] }
          : style === 'reused' ? { fill: '#1f3a5f', stroke: '#a5d6ff', width: 2.5, dash: true, nodes: [] }
          : { fill: '#1f3a5f', stroke: '#58a6ff', width: 1.5, dash: false, nodes: [] };
        styles.set(style, bucket);
      }
      bucket.nodes.push([n, r, p.kind === 'kernel']);
      if (exited && p.kind === 'process' && r * k > 4) crosses.push([n, r]);
      if (showAllLabels || n.key === focus || p.kind === 'kernel' || (p.sent + p.received > 50 && k > 0.2)) labelled.push([n, p]);
    }
    for (const b of styles.values()) {
      ctx.beginPath();
      for (const [n, r, square] of b.nodes) {
        if (square) ctx.rect(n.x - r, n.y - r, r * 2, r * 2);
        else {
          ctx.moveTo(n.x + r, n.y);
          ctx.arc(n.x, n.y, r, 0, Math.PI * 2);
        }
      }
      if (b.fill) {
        ctx.fillStyle = b.fill;
        ctx.fill();
      }
      ctx.strokeStyle = b.stroke;
      ctx.lineWidth = b.width / k;
      ctx.setLineDash(b.dash && !lod ? [3 / k, 2 / k] : []);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // A cross on exited processes, so "exited" doesn't rest on the grey alone.
    if (crosses.length) {
      ctx.beginPath();
      for (const [n, r] of crosses) {
        const c = r * 0.45;
        ctx.moveTo(n.x - c, n.y - c);
        ctx.lineTo(n.x + c, n.y + c);
        ctx.moveTo(n.x + c, n.y - c);
        ctx.lineTo(n.x - c, n.y + c);
      }
      ctx.strokeStyle = '#8b949e';
      ctx.lineWidth = 1.2 / k;
      ctx.stroke();
    }
    // A ring around the selected process.
    const fn = focus ? this.layout.node(focus) : undefined;
    if (fn && this.layout.isActive(fn.key) && !Number.isNaN(fn.x)) {
      ctx.beginPath();
      ctx.arc(fn.x, fn.y, this.radius(session.getProcess(fn.key)) + 4 / k, 0, Math.PI * 2);
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2 / k;
      ctx.stroke();
    }

    // Labels last, with a dark halo so they read over edges. Placed greedily,
    // most important first, and skipped where they would overlap.
    const placed = new LabelSpace();
    ctx.lineJoin = 'round';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    ctx.font = `${11 / k}px system-ui, sans-serif`;
    const weight = (p: ProcessRecord) =>
      (p.key === focus ? 1e9 : 0) + (p.kind === 'kernel' ? 1e7 : 0) + p.sent + p.received;
    labelled.sort((a, b) => weight(b[1]) - weight(a[1]));
    for (const [n, p] of labelled.slice(0, 600)) {
      const label = nodeLabel(p);
      const ty = n.y + this.radius(p) + 3 / k;
      const w = ctx.measureText(label).width;
      const sx = n.x * k + x;
      const sy = ty * k + y;
      if (!placed.tryPlace(sx - (w * k) / 2 - 2, sy, w * k + 4, 13) && p.key !== focus) continue;
      ctx.strokeStyle = BG;
      ctx.lineWidth = 3 / k;
      ctx.strokeText(label, n.x, ty);
      ctx.fillStyle = n.key === focus ? '#ffffff' : p.exitTs !== null || p.kind === 'missing' ? '#8b949e' : p.kind === 'kernel' ? '#f5c46b' : '#e6edf3';
      ctx.fillText(label, n.x, ty);
    }

    // Signal names on the edges, so that colour never carries meaning alone.
    if (k > 0.35 && visibleLinks.length < 2500) {
      ctx.font = `${10 / k}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';
      const order = visibleLinks.slice().sort((a, b) => {
        const fa = focus !== null && (a.edge.senderKey === focus || a.edge.targetKey === focus) ? 1 : 0;
        const fb = focus !== null && (b.edge.senderKey === focus || b.edge.targetKey === focus) ? 1 : 0;
        return fb - fa || b.count - a.count;
      });
      for (const l of order) {
        if (focus !== null && l.edge.senderKey !== focus && l.edge.targetKey !== focus) continue;
        const [mx, my] = this.pointAt(l, 0.5);
        let text = shortSignal(signalLabel(l.edge.sig, l.edge.signal));
        if (l.failed) text += ` ✕${Object.keys(l.edge.errnos)[0] ? ' ' + Object.keys(l.edge.errnos)[0] : ''}`;
        if (l.count > 1) text += ` ×${l.count}`;
        const w = ctx.measureText(text).width * k;
        if (!placed.tryPlace(mx * k + x - w / 2 - 2, my * k + y - 7, w + 4, 14)) continue;
        ctx.strokeStyle = BG;
        ctx.lineWidth = 3 / k;
        ctx.strokeText(text, mx, my);
        ctx.fillStyle = signalColour(l.edge.sig);
        ctx.fillText(text, mx, my);
      }
    }
  }

  /** Quadratic control point for a link, bent sideways by its fan offset. */
  private control(l: VisualLink): [number, number] {
    const { source: s, target: t } = l;
    const mx = (s.x + t.x) / 2;
    const my = (s.y + t.y) / 2;
    const dx = t.x - s.x;
    const dy = t.y - s.y;
    const len = Math.hypot(dx, dy) || 1;
    return [mx - (dy / len) * l.bend * 2, my + (dx / len) * l.bend * 2];
  }

  private tracePath(ctx: CanvasRenderingContext2D, l: VisualLink): void {
    if (l.source === l.target) {
      const r = l.bend;
      ctx.moveTo(l.source.x + r * 2, l.source.y - r);
      ctx.arc(l.source.x + r, l.source.y - r, r, 0, Math.PI * 2);
      return;
    }
    ctx.moveTo(l.source.x, l.source.y);
    if (l.bend === 0) ctx.lineTo(l.target.x, l.target.y);
    else {
      const [cx, cy] = this.control(l);
      ctx.quadraticCurveTo(cx, cy, l.target.x, l.target.y);
    }
  }

  private traceArrow(ctx: CanvasRenderingContext2D, l: VisualLink, targetR: number, k: number): void {
    if (l.source === l.target) return;
    const [cx, cy] = l.bend === 0 ? [l.source.x, l.source.y] : this.control(l);
    const dx = l.target.x - cx;
    const dy = l.target.y - cy;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const tipX = l.target.x - ux * (targetR + 1.5 / k);
    const tipY = l.target.y - uy * (targetR + 1.5 / k);
    const size = (6 + linkWidth(l.count)) / k;
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
    ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
    ctx.closePath();
  }

  private pointAt(l: VisualLink, t: number): [number, number] {
    if (l.source === l.target) {
      const a = t * Math.PI * 2;
      return [l.source.x + l.bend + Math.cos(a) * l.bend, l.source.y - l.bend + Math.sin(a) * l.bend];
    }
    if (l.bend === 0) return [l.source.x + (l.target.x - l.source.x) * t, l.source.y + (l.target.y - l.source.y) * t];
    const [cx, cy] = this.control(l);
    const u = 1 - t;
    return [u * u * l.source.x + 2 * u * t * cx + t * t * l.target.x, u * u * l.source.y + 2 * u * t * cy + t * t * l.target.y];
  }

  // ---- hit testing and pointer ----

  private toWorld(ox: number, oy: number): [number, number] {
    return this.transform.invert([ox, oy]);
  }

  hitNode(ox: number, oy: number): GraphNode | null {
    if (!this.session) return null;
    const [wx, wy] = this.toWorld(ox, oy);
    let best: GraphNode | null = null;
    let bestD = Infinity;
    const slack = 4 / this.transform.k;
    for (const n of this.layout.active) {
      const d = Math.hypot(n.x - wx, n.y - wy);
      const r = this.radius(this.session.getProcess(n.key)) + slack;
      if (d <= r && d < bestD) {
        best = n;
        bestD = d;
      }
    }
    return best;
  }

  hitTest(ox: number, oy: number): GraphHit | null {
    const node = this.hitNode(ox, oy);
    if (node) return { kind: 'node', key: node.key, node };
    const [wx, wy] = this.toWorld(ox, oy);
    const tolerance = 5 / this.transform.k;
    let best: VisualLink | null = null;
    let bestD = tolerance;
    for (const l of this.links) {
      const minX = Math.min(l.source.x, l.target.x) - Math.abs(l.bend) * 2 - tolerance;
      const maxX = Math.max(l.source.x, l.target.x) + Math.abs(l.bend) * 2 + tolerance;
      if (wx < minX || wx > maxX) continue;
      let px = l.source.x;
      let py = l.source.y;
      for (let i = 1; i <= 10; i++) {
        const [qx, qy] = this.pointAt(l, i / 10);
        const d = segmentDistance(wx, wy, px, py, qx, qy);
        if (d < bestD) {
          bestD = d;
          best = l;
        }
        px = qx;
        py = qy;
      }
    }
    return best ? { kind: 'link', key: best.edge.key, link: best } : null;
  }

  private onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    const n = this.hitNode(e.offsetX, e.offsetY);
    if (n) {
      this.dragging = n;
      this.dragMoved = false;
      this.canvas.setPointerCapture(e.pointerId);
    }
  };

  private onPointerMove = (e: PointerEvent): void => {
    if (this.dragging) {
      const [wx, wy] = this.toWorld(e.offsetX, e.offsetY);
      this.layout.drag(this.dragging, wx, wy);
      this.dragMoved = true;
      this.autoFit = false;
      this.invalidate();
      return;
    }
    const hit = this.hitTest(e.offsetX, e.offsetY);
    if (hit?.key !== this.hover?.key || hit?.link !== this.hover?.link) {
      this.hover = hit;
      this.dirty = true;
    }
    this.canvas.style.cursor = hit ? 'pointer' : 'grab';
    this.callbacks.onHover(hit, e.clientX, e.clientY);
  };

  private onPointerUp = (e: PointerEvent): void => {
    if (this.dragging) {
      this.canvas.releasePointerCapture(e.pointerId);
      if (!this.dragMoved) this.callbacks.onSelectProcess(this.dragging.key);
      this.dragging = null;
      this.suppressClick = true;
    }
  };

  private suppressClick = false;

  private onClick = (e: MouseEvent): void => {
    if (this.suppressClick) {
      this.suppressClick = false;
      return;
    }
    const hit = this.hitTest(e.offsetX, e.offsetY);
    if (!hit) this.callbacks.onSelectProcess(null);
    else if (hit.kind === 'node') this.callbacks.onSelectProcess(hit.key);
    else this.callbacks.onSelectEdge(hit.key);
  };
}

export function linkWidth(count: number): number {
  return Math.min(9, 1.25 + Math.round(Math.log2(count) * 1.1));
}

export function nodeLabel(p: ProcessRecord): string {
  if (p.kind === 'kernel') return 'kernel';
  if (p.kind === 'missing') return missingLabel(p.pid);
  return `${p.comm} ${p.pid}${p.reusedPidOf ? ' ↻ reused pid' : ''}${p.exitTs !== null ? ' (exited)' : ''}`;
}

/** Screen rectangles already taken by labels, bucketed on a coarse grid. */
class LabelSpace {
  private readonly cells = new Map<number, [number, number, number, number][]>();
  private static readonly CELL = 64;

  tryPlace(x: number, y: number, w: number, h: number): boolean {
    const c = LabelSpace.CELL;
    const x0 = Math.floor(x / c);
    const x1 = Math.floor((x + w) / c);
    const y0 = Math.floor(y / c);
    const y1 = Math.floor((y + h) / c);
    for (let cx = x0; cx <= x1; cx++)
      for (let cy = y0; cy <= y1; cy++)
        for (const r of this.cells.get(cx * 100003 + cy) ?? [])
          if (x < r[0] + r[2] && x + w > r[0] && y < r[1] + r[3] && y + h > r[1]) return false;
    const rect: [number, number, number, number] = [x, y, w, h];
    for (let cx = x0; cx <= x1; cx++)
      for (let cy = y0; cy <= y1; cy++) {
        const key = cx * 100003 + cy;
        const list = this.cells.get(key);
        if (list) list.push(rect);
        else this.cells.set(key, [rect]);
      }
    return true;
  }
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
