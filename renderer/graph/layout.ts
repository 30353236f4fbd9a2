// A force layout that stays calm while a capture runs: once a node has
// settled it is pinned where it is, so only newcomers move; a node that is
// filtered out and comes back returns to its old place.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';

export interface GraphNode extends SimulationNodeDatum {
  key: string;
  x: number;
  y: number;
  /** Pinned by the layout once settled, or by the user after a drag. */
  settled: boolean;
}

export interface GraphLink extends SimulationLinkDatum<GraphNode> {
  source: GraphNode;
  target: GraphNode;
}

const SETTLE_ALPHA = 0.03;

export class GraphLayout {
  /** Every node ever placed, so a node that comes back keeps its place. */
  private readonly placed = new Map<string, GraphNode>();
  active: GraphNode[] = [];
  private links: GraphLink[] = [];
  private readonly sim: Simulation<GraphNode, GraphLink>;
  private readonly linkForce = forceLink<GraphNode, GraphLink>([]).distance(90).strength(0.2);
  private running = false;

  constructor() {
    this.sim = forceSimulation<GraphNode, GraphLink>([])
      .alphaDecay(0.035)
      .alphaMin(0.005)
      .velocityDecay(0.45)
      .force('charge', forceManyBody<GraphNode>().strength(-260).distanceMax(600).theta(0.95))
      .force('collide', forceCollide<GraphNode>(26).strength(0.7).iterations(1))
      .force('link', this.linkForce)
      .force('x', forceX<GraphNode>(0).strength(0.03))
      .force('y', forceY<GraphNode>(0).strength(0.045))
      .stop();
  }

  get moving(): boolean {
    return this.running;
  }

  node(key: string): GraphNode | undefined {
    return this.placed.get(key);
  }

  isActive(key: string): boolean {
    const n = this.placed.get(key);
    return !!n && this.activeSet.has(n);
  }

  private activeSet = new Set<GraphNode>();

  /** Sets which nodes and links are shown. Newcomers are placed beside a neighbour already shown. */
  setGraph(nodeKeys: Iterable<string>, links: readonly { source: string; target: string }[]): void {
    const neighbours = new Map<string, string[]>();
    for (const l of links) {
      if (l.source === l.target) continue;
      push(neighbours, l.source, l.target);
      push(neighbours, l.target, l.source);
    }
    const next: GraphNode[] = [];
    const fresh: GraphNode[] = [];
    for (const key of nodeKeys) {
      let n = this.placed.get(key);
      if (!n) {
        n = { key, x: NaN, y: NaN, settled: false };
        this.placed.set(key, n);
        fresh.push(n);
      }
      next.push(n);
    }
    const extent = this.extent();
    // Place newcomers: beside a placed neighbour, else on the rim of what is there.
    for (let pass = 0; pass < 3; pass++) {
      for (const n of fresh) {
        if (!Number.isNaN(n.x)) continue;
        const anchor = (neighbours.get(n.key) ?? []).map((k) => this.placed.get(k)).find((m) => m && !Number.isNaN(m.x));
        if (anchor) {
          const a = Math.random() * Math.PI * 2;
          n.x = anchor.x + Math.cos(a) * 45;
          n.y = anchor.y + Math.sin(a) * 45;
        } else if (pass === 2 || extent.r === 0) {
          const a = Math.random() * Math.PI * 2;
          const r = extent.r === 0 ? Math.sqrt(fresh.length) * 12 * Math.random() : extent.r + 60;
          n.x = extent.cx + Math.cos(a) * r;
          n.y = extent.cy + Math.sin(a) * r;
        }
      }
    }
    this.active = next;
    this.activeSet = new Set(next);
    const linkList: GraphLink[] = [];
    for (const l of links) {
      const s = this.placed.get(l.source);
      const t = this.placed.get(l.target);
      if (s && t && s !== t) linkList.push({ source: s, target: t });
    }
    this.links = linkList;
    this.sim.nodes(this.active);
    this.linkForce.links(this.links);
    if (fresh.length > 0) {
      const allFresh = fresh.length === next.length;
      this.sim.alpha(allFresh ? 1 : Math.max(this.sim.alpha(), 0.4));
      this.running = true;
    }
  }

  /** Advances the layout within a time budget; returns true when nodes moved. */
  step(budgetMs: number): boolean {
    if (!this.running) return false;
    const t0 = performance.now();
    do {
      this.sim.tick();
      if (this.sim.alpha() < SETTLE_ALPHA) {
        this.settleAll();
        this.running = false;
        break;
      }
    } while (performance.now() - t0 < budgetMs);
    return true;
  }

  /** Runs the layout to rest at once (for big graphs loaded whole). */
  settleNow(maxTicks = 400): void {
    for (let i = 0; i < maxTicks && this.running; i++) this.step(0);
    this.settleAll();
    this.running = false;
  }

  private settleAll(): void {
    for (const n of this.active) {
      if (!n.settled) {
        n.settled = true;
        n.fx = n.x;
        n.fy = n.y;
      }
    }
  }

  drag(n: GraphNode, x: number, y: number): void {
    n.x = x;
    n.y = y;
    n.fx = x;
    n.fy = y;
    n.settled = true;
  }

  extent(): { cx: number; cy: number; r: number; minX: number; minY: number; maxX: number; maxY: number } {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of this.active) {
      if (Number.isNaN(n.x)) continue;
      if (n.x < minX) minX = n.x;
      if (n.x > maxX) maxX = n.x;
      if (n.y < minY) minY = n.y;
      if (n.y > maxY) maxY = n.y;
    }
    if (minX === Infinity) return { cx: 0, cy: 0, r: 0, minX: 0, minY: 0, maxX: 0, maxY: 0 };
    return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, r: Math.max(maxX - minX, maxY - minY) / 2, minX, minY, maxX, maxY };
  }
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
