// The graph and the timelines as they are on screen, drawn again as SVG
// elements: real vectors with text labels, for papers, tickets and slides.
// Reads what the canvases show (node positions from the graph's layout, the
// timeline's time range and scroll) and draws it the way they do.
import type { SignalEvent } from '../../electron/common/events';
import type { EdgeAggregate, ProcessRecord, Session } from '../../electron/common/session';
import { isFailed, lowerBound, upperBound } from '../../electron/common/session';
import { linkWidth, nodeLabel, type GraphCanvas } from '../graph/graphCanvas';
import { clockTime, duration } from '../model/format';
import { shortSignal, signalColour, signalLabel } from '../model/signalInfo';
import { missingLabel, signalPasses, type Filters, type VisibleGraph } from '../model/view';
import { GUTTER, LANE, RULER, timeTicks, type TimelineCanvas } from '../timeline/timelineCanvas';

const BG = '#0d1117';
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\"";

export function escapeXml(text: string): string {
  // Control characters are not allowed in XML 1.0: a comm can hold them.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const n2 = (v: number) => (Math.round(v * 100) / 100).toString();

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${n2(x)}" y="${n2(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Roughly how wide 11 px text is, for deciding where labels fit (no canvas to measure with). */
function textWidth(s: string, px = 11): number {
  return s.length * px * 0.58;
}

export interface GraphScene {
  session: Session;
  graph: VisibleGraph;
  view: Pick<GraphCanvas, 'layout' | 'screenPointOfNode'>;
  width: number;
  height: number;
  selectedProcess: string | null;
}

interface Link {
  edge: EdgeAggregate;
  failed: boolean;
  count: number;
  bend: number;
  s: [number, number];
  t: [number, number];
}

function radius(p: ProcessRecord | undefined): number {
  if (!p) return 6;
  if (p.kind === 'kernel') return 11;
  return Math.min(16, 5 + Math.sqrt(p.sent + p.received) * 0.9);
}

/** The view's zoom: from two nodes' world and screen positions (the canvas keeps its transform to itself). */
function viewScale(scene: GraphScene): number {
  const nodes = scene.view.layout.active.filter((n) => !Number.isNaN(n.x));
  for (let i = 1; i < nodes.length; i++) {
    const a = nodes[0];
    const b = nodes[i];
    if (Math.abs(b.x - a.x) < 1) continue;
    const pa = scene.view.screenPointOfNode(a.key);
    const pb = scene.view.screenPointOfNode(b.key);
    if (pa && pb) return (pb[0] - pa[0]) / (b.x - a.x);
  }
  return 1;
}

/** The graph's SVG elements, in the view's pixels. */
export function graphSvgBody(scene: GraphScene): string {
  const { session, graph, view, width, height } = scene;
  const k = viewScale(scene);
  const out: string[] = [`<rect width="${n2(width)}" height="${n2(height)}" fill="${BG}"/>`];
  const point = (key: string) => view.screenPointOfNode(key);
  // One line per edge part (delivered, failed); parallel lines between a pair fan out, as on screen.
  const links: Link[] = [];
  const byPair = new Map<string, Link[]>();
  for (const edge of graph.edges) {
    const s = point(edge.senderKey);
    const t = point(edge.targetKey);
    if (!s || !t) continue;
    const parts: [boolean, number][] = [];
    if (edge.count - edge.failed > 0) parts.push([false, edge.count - edge.failed]);
    if (edge.failed > 0) parts.push([true, edge.failed]);
    for (const [failed, count] of parts) {
      const link: Link = { edge, failed, count, bend: 0, s, t };
      links.push(link);
      const pair = edge.senderKey < edge.targetKey ? `${edge.senderKey}|${edge.targetKey}` : `${edge.targetKey}|${edge.senderKey}`;
      const group = byPair.get(pair);
      if (group) group.push(link);
      else byPair.set(pair, [link]);
    }
  }
  for (const group of byPair.values()) {
    if (group.length === 1 && group[0].edge.senderKey !== group[0].edge.targetKey) continue;
    group.sort((a, b) => a.edge.sig - b.edge.sig || Number(a.failed) - Number(b.failed));
    group.forEach((l, i) => {
      const flip = l.edge.senderKey < l.edge.targetKey ? 1 : -1;
      l.bend = (i - (group.length - 1) / 2) * 22 * flip * k;
      if (l.edge.senderKey === l.edge.targetKey) l.bend = (18 + i * 10) * k;
    });
  }
  const focus = scene.selectedProcess;
  const control = (l: Link): [number, number] => {
    const mx = (l.s[0] + l.t[0]) / 2;
    const my = (l.s[1] + l.t[1]) / 2;
    const dx = l.t[0] - l.s[0];
    const dy = l.t[1] - l.s[1];
    const len = Math.hypot(dx, dy) || 1;
    return [mx - (dy / len) * l.bend * 2, my + (dx / len) * l.bend * 2];
  };
  const edgeLabels: string[] = [];
  out.push('<g class="edges" fill="none" stroke-linecap="round">');
  for (const l of links) {
    const colour = signalColour(l.edge.sig);
    const dim = focus !== null && l.edge.senderKey !== focus && l.edge.targetKey !== focus;
    const dash = l.failed ? ' stroke-dasharray="6 4"' : '';
    const opacity = dim ? 0.18 : 0.85;
    // Full names in the export: there is room, and the file is read without a legend.
    const name = signalLabel(l.edge.sig, l.edge.signal);
    if (l.edge.senderKey === l.edge.targetKey) {
      const r = l.bend;
      out.push(`<circle cx="${n2(l.s[0] + r)}" cy="${n2(l.s[1] - r)}" r="${n2(r)}" stroke="${colour}" stroke-width="${linkWidth(l.count)}" stroke-opacity="${opacity}"${dash}><title>${escapeXml(name)}</title></circle>`);
      edgeLabels.push(text(l.s[0] + r * 2 + 4, l.s[1] - r, name, `fill="${colour}" font-size="10"`));
      continue;
    }
    const [cx, cy] = l.bend === 0 ? [(l.s[0] + l.t[0]) / 2, (l.s[1] + l.t[1]) / 2] : control(l);
    const d = l.bend === 0 ? `M${n2(l.s[0])},${n2(l.s[1])}L${n2(l.t[0])},${n2(l.t[1])}` : `M${n2(l.s[0])},${n2(l.s[1])}Q${n2(cx)},${n2(cy)} ${n2(l.t[0])},${n2(l.t[1])}`;
    out.push(`<path d="${d}" stroke="${colour}" stroke-width="${linkWidth(l.count)}" stroke-opacity="${opacity}"${dash}><title>${escapeXml(`${name} × ${l.count}${l.failed ? ' failed' : ''}`)}</title></path>`);
    // Arrowhead at the target's rim, along the line's last direction.
    const from = l.bend === 0 ? l.s : [cx, cy];
    const dx = l.t[0] - from[0];
    const dy = l.t[1] - from[1];
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const rim = radius(session.getProcess(l.edge.targetKey)) * k + 2;
    const tipX = l.t[0] - ux * rim;
    const tipY = l.t[1] - uy * rim;
    const size = 8 + linkWidth(l.count);
    const bx = tipX - ux * size;
    const by = tipY - uy * size;
    out.push(`<path d="M${n2(tipX)},${n2(tipY)}L${n2(bx - uy * size * 0.45)},${n2(by + ux * size * 0.45)}L${n2(bx + uy * size * 0.45)},${n2(by - ux * size * 0.45)}Z" fill="${colour}" stroke="none" fill-opacity="${dim ? 0.2 : 0.95}"/>`);
    // The signal's name beside the line: colour never carries the meaning alone.
    const mid: [number, number] = l.bend === 0 ? [(l.s[0] + l.t[0]) / 2, (l.s[1] + l.t[1]) / 2] : [0.25 * l.s[0] + 0.5 * cx + 0.25 * l.t[0], 0.25 * l.s[1] + 0.5 * cy + 0.25 * l.t[1]];
    const label = `${name}${l.failed ? ' ✕' : ''}${l.count > 1 ? ` ×${l.count}` : ''}`;
    edgeLabels.push(text(mid[0] + 4, mid[1] - 4, label, `fill="${colour}" font-size="10" stroke="${BG}" stroke-width="3" paint-order="stroke"${dim ? ' fill-opacity="0.4"' : ''}`));
  }
  out.push('</g>');
  out.push(`<g class="edge-labels" ${FONT}>`, ...edgeLabels, '</g>');

  // Nodes, styled as on screen; every one labelled "comm pid".
  out.push(`<g class="nodes" ${FONT}>`);
  for (const node of view.layout.active) {
    const p = session.getProcess(node.key);
    const at = point(node.key);
    if (!p || !at) continue;
    const [x, y] = at;
    if (x < -60 || y < -60 || x > width + 60 || y > height + 60) continue;
    const r = radius(p) * k;
    const exited = p.exitTs !== null;
    const [fill, stroke, dash] =
      p.kind === 'missing' ? ['none', '#8b949e', true]
      : p.kind === 'kernel' ? ['#4a3413', '#f5a524', false]
      : exited ? ['#262b33', '#6e7681', false]
      : p.reusedPidOf ? ['#1f3a5f', '#a5d6ff', true]
      : ['#1f3a5f', '#58a6ff', false];
    const selected = node.key === focus;
    const strokeAttrs = `fill="${fill}" stroke="${selected ? '#ffffff' : stroke}" stroke-width="${selected ? 3 : 1.5}"${dash ? ' stroke-dasharray="3 2"' : ''}`;
    const label = nodeLabel(p);
    out.push(`<g class="process" data-key="${escapeXml(node.key)}"><title>${escapeXml(label)}</title>`);
    if (p.kind === 'kernel') out.push(`<rect x="${n2(x - r)}" y="${n2(y - r)}" width="${n2(2 * r)}" height="${n2(2 * r)}" ${strokeAttrs}/>`);
    else out.push(`<circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(r)}" ${strokeAttrs}/>`);
    if (exited && p.kind === 'process') {
      const c = r * 0.45;
      out.push(`<path d="M${n2(x - c)},${n2(y - c)}L${n2(x + c)},${n2(y + c)}M${n2(x + c)},${n2(y - c)}L${n2(x - c)},${n2(y + c)}" stroke="#8b949e" stroke-width="1.2"/>`);
    }
    const colour = selected ? '#ffffff' : exited || p.kind === 'missing' ? '#8b949e' : p.kind === 'kernel' ? '#f5c46b' : '#e6edf3';
    out.push(text(x, y + r + 13, label, `text-anchor="middle" font-size="11" fill="${colour}" stroke="${BG}" stroke-width="3" paint-order="stroke"`));
    out.push('</g>');
  }
  out.push('</g>');
  return out.join('\n');
}

export interface TimelineScene {
  session: Session;
  lanes: string[];
  filters: Filters;
  view: Pick<TimelineCanvas, 't0' | 't1' | 'scrollY'>;
  width: number;
  height: number;
  selectedProcess: string | null;
  selectedSignal: number | null;
  capturing: boolean;
  replay: { startTs: number; endTs: number; cursor: number } | null;
}

/** The timelines' SVG elements, in the view's pixels. */
export function timelineSvgBody(scene: TimelineScene): string {
  const { session, lanes, filters, width: W, height: H } = scene;
  const { t0, t1, scrollY } = scene.view;
  const plot = Math.max(1, W - GUTTER);
  const xOf = (ts: number) => GUTTER + ((ts - t0) / (t1 - t0)) * plot;
  const laneY = (i: number) => RULER + i * LANE - scrollY;
  const first = Math.max(0, Math.floor(scrollY / LANE));
  const last = Math.min(lanes.length, Math.ceil((scrollY + H - RULER) / LANE));
  const nowTs = scene.capturing ? Math.max(Date.now() * 1000, session.lastTs) : scene.replay ? scene.replay.cursor : session.lastTs;
  const out: string[] = [`<rect width="${n2(W)}" height="${n2(H)}" fill="${BG}"/>`];
  out.push(`<defs><clipPath id="tl-plot"><rect x="${GUTTER}" y="${RULER}" width="${n2(plot)}" height="${n2(H - RULER)}"/></clipPath></defs>`);
  const ticks = timeTicks(t0, t1, Math.max(2, Math.floor(plot / 110)));
  out.push(`<g class="grid" stroke="#1c2430">`);
  for (const t of ticks.values) {
    const x = xOf(t);
    if (x >= GUTTER) out.push(`<line x1="${n2(x)}" y1="${RULER}" x2="${n2(x)}" y2="${n2(H)}"/>`);
  }
  out.push('</g>');

  out.push(`<g class="lanes" ${FONT} font-size="11">`);
  for (let i = first; i < last; i++) {
    const key = lanes[i];
    const p = session.getProcess(key);
    if (!p) continue;
    const y = laneY(i);
    const mid = y + LANE / 2;
    if (key === scene.selectedProcess) out.push(`<rect x="0" y="${n2(y)}" width="${n2(W)}" height="${LANE}" fill="#1a2b45"/>`);
    else if (i % 2) out.push(`<rect x="0" y="${n2(y)}" width="${n2(W)}" height="${LANE}" fill="#10151d"/>`);
    out.push(`<g clip-path="url(#tl-plot)">`);
    out.push(lifespan(session, p, mid, nowTs, xOf, W));
    out.push(marks(session, p, mid, filters, scene.selectedSignal, t0, t1, plot, xOf));
    out.push('</g>');
  }
  out.push('</g>');

  if (scene.selectedSignal !== null) out.push(arrow(session, lanes, scene.selectedSignal, laneY, xOf, W, H));

  if (scene.replay) {
    const x = xOf(scene.replay.cursor);
    const xEnd = Math.min(W, xOf(scene.replay.endTs));
    const from = Math.max(GUTTER, x);
    if (xEnd > from) out.push(`<rect x="${n2(from)}" y="${RULER}" width="${n2(xEnd - from)}" height="${n2(H - RULER)}" fill="#0d1117" fill-opacity="0.55"/>`);
    if (x >= GUTTER && x <= W) out.push(`<line class="replay-cursor" x1="${n2(x)}" y1="0" x2="${n2(x)}" y2="${n2(H)}" stroke="#e3b341" stroke-width="2"/>`);
  }

  // Gutter: one label per lane, "comm" and its pid.
  out.push(`<rect x="0" y="${RULER}" width="${GUTTER}" height="${n2(H - RULER)}" fill="#0b0f15"/>`);
  out.push(`<g class="lane-labels" ${FONT} font-size="11" dominant-baseline="middle">`);
  for (let i = first; i < last; i++) {
    const p = session.getProcess(lanes[i]);
    if (!p) continue;
    const y = laneY(i) + LANE / 2;
    if (p.key === scene.selectedProcess) out.push(`<rect x="0" y="${n2(laneY(i))}" width="${GUTTER}" height="${LANE}" fill="#1a2b45"/><rect x="0" y="${n2(laneY(i))}" width="3" height="${LANE}" fill="#58a6ff"/>`);
    const colour = p.exitTs !== null || p.kind === 'missing' ? '#8b949e' : p.kind === 'kernel' ? '#f5c46b' : '#e6edf3';
    let name = p.kind === 'kernel' ? 'kernel' : p.kind === 'missing' ? missingLabel(p.pid) : p.comm;
    const room = GUTTER - 80;
    while (name.length > 1 && textWidth(name) > room) name = name.slice(0, -2) + '…';
    out.push(text(10, y, name, `fill="${colour}"`));
    if (p.kind === 'process') out.push(text(GUTTER - 10, y, `${p.pid}${p.reusedPidOf ? ' ↻' : ''}${p.exitTs !== null ? ' ✕' : ''}`, 'fill="#8b949e" text-anchor="end"'));
  }
  out.push('</g>');
  out.push(`<line x1="${GUTTER + 0.5}" y1="0" x2="${GUTTER + 0.5}" y2="${n2(H)}" stroke="#30363d"/>`);

  // Ruler with wall-clock ticks.
  out.push(`<rect width="${n2(W)}" height="${RULER}" fill="#161b22"/><line x1="0" y1="${RULER - 0.5}" x2="${n2(W)}" y2="${RULER - 0.5}" stroke="#30363d"/>`);
  out.push(`<g class="ruler" ${FONT} font-size="11" dominant-baseline="middle">`);
  out.push(text(10, RULER / 2, `${lanes.length} lane${lanes.length === 1 ? '' : 's'} · span ${duration(t1 - t0)}`, 'fill="#8b949e"'));
  for (const t of ticks.values) {
    const x = xOf(t);
    if (x < GUTTER + 4) continue;
    out.push(`<rect x="${n2(Math.round(x))}" y="${RULER - 6}" width="1" height="6" fill="#c9d1d9"/>`);
    out.push(text(x + 3, RULER / 2 - 1, ticks.format(t), 'fill="#c9d1d9"'));
  }
  out.push('</g>');
  return out.join('\n');
}

function lifespan(session: Session, p: ProcessRecord, mid: number, nowTs: number, xOf: (ts: number) => number, W: number): string {
  if (p.kind !== 'process') return '';
  const out: string[] = [];
  const startWall = session.startWallUs(p);
  const x0 = Math.max(GUTTER, xOf(startWall ?? p.firstTs));
  const x1 = Math.min(W, xOf(p.exitTs ?? nowTs));
  if (x1 < GUTTER || x0 > W) return '';
  out.push(`<rect x="${n2(x0)}" y="${n2(mid - 2)}" width="${n2(Math.max(1, x1 - x0))}" height="4" fill="${p.exitTs !== null ? '#2d333b' : '#243b5a'}"/>`);
  if (startWall !== null && p.forkTs !== null) out.push(`<rect x="${n2(xOf(p.forkTs) - 1)}" y="${n2(mid - 7)}" width="2" height="14" fill="#6cb6ff"/>`);
  for (const ex of p.execs) out.push(`<rect x="${n2(xOf(ex.ts) - 0.5)}" y="${n2(mid - 6)}" width="1.5" height="12" fill="#d2a8ff"><title>exec</title></rect>`);
  if (p.exitTs !== null) {
    const x = xOf(p.exitTs);
    const words = p.exitSignal ? `${p.exitSignal}${p.core ? ' core' : ''}` : `exit ${p.exitCode ?? '?'}`;
    out.push(`<rect x="${n2(x - 1)}" y="${n2(mid - 7)}" width="2.5" height="14" fill="${p.exitSignal ? '#f85149' : '#8b949e'}"/>`);
    out.push(text(x + 4, mid, words, `fill="${p.exitSignal ? '#ff7b72' : '#8b949e'}" dominant-baseline="middle"`));
  }
  return out.join('');
}

function marks(
  session: Session, p: ProcessRecord, mid: number, filters: Filters, selected: number | null,
  t0: number, t1: number, plot: number, xOf: (ts: number) => number,
): string {
  const list = p.signalIndices;
  if (list.length === 0) return '';
  const signals = session.signals;
  const out: string[] = [];
  let i = lowerBound(list, signals, t0);
  const hi = upperBound(list, signals, t1);
  const usPerPx = (t1 - t0) / plot;
  let lastLabelEnd = -Infinity;
  while (i < hi) {
    const index = list[i];
    const e: SignalEvent = signals[index];
    if (!signalPasses(e, filters)) {
      i++;
      continue;
    }
    const x = xOf(e.ts);
    const sent = session.keyOfSender(e) === p.key;
    const colour = signalColour(e.sig);
    const failed = isFailed(e);
    const d = sent ? `M${n2(x)},${n2(mid - 11)}L${n2(x - 4.5)},${n2(mid - 3)}L${n2(x + 4.5)},${n2(mid - 3)}Z` : `M${n2(x)},${n2(mid + 11)}L${n2(x - 4.5)},${n2(mid + 3)}L${n2(x + 4.5)},${n2(mid + 3)}Z`;
    const name = shortSignal(signalLabel(e.sig, e.signal));
    out.push(`<path d="${d}" ${failed ? `fill="none" stroke="${colour}" stroke-width="1.5"` : `fill="${colour}"`}><title>${escapeXml(`${name} ${sent ? 'sent' : 'received'} at ${clockTime(e.ts, true)}`)}</title></path>`);
    if (index === selected) out.push(`<rect x="${n2(x - 7)}" y="${n2(mid - 12)}" width="14" height="24" fill="none" stroke="#ffffff" stroke-width="2"/>`);
    if (x - 6 > lastLabelEnd) {
      const next = i + 1 < hi ? xOf(signals[list[i + 1]].ts) : Infinity;
      const label = name + (failed ? ` ✕ ${e.errno ?? ''}` : '');
      const w = textWidth(label);
      if (next - x > w + 12) {
        out.push(text(x + 6, sent ? mid - 6 : mid + 7, label, `fill="${colour}" dominant-baseline="middle"`));
        lastLabelEnd = x + 6 + w;
      }
    }
    // One mark per pixel column, as on screen.
    const nextTs = e.ts + usPerPx;
    let j = i + 1;
    while (j < hi && signals[list[j]].ts < nextTs) j++;
    i = j;
  }
  return out.join('');
}

function arrow(session: Session, lanes: string[], index: number, laneY: (i: number) => number, xOf: (ts: number) => number, W: number, H: number): string {
  const e = session.signals[index];
  if (!e) return '';
  const si = lanes.indexOf(session.keyOfSender(e));
  const ti = lanes.indexOf(session.keyOfTarget(e));
  const x = xOf(e.ts);
  if (x < GUTTER || x > W) return '';
  const clampY = (y: number) => Math.min(H - 4, Math.max(RULER + 4, y));
  const y0 = si >= 0 ? clampY(laneY(si) + LANE / 2 - 6) : RULER + 4;
  const y1 = ti >= 0 ? clampY(laneY(ti) + LANE / 2 + (ti > si ? -8 : 8)) : H - 4;
  const colour = signalColour(e.sig);
  const dir = y1 >= y0 ? 1 : -1;
  const label = `${signalLabel(e.sig, e.signal)}${isFailed(e) ? ` failed: ${e.errno}` : ''} · ${clockTime(e.ts, true)}`;
  const ly = (y0 + y1) / 2;
  const w = textWidth(label, 11) + 10;
  return [
    `<g class="selected-signal" ${FONT}>`,
    `<line x1="${n2(x)}" y1="${n2(y0)}" x2="${n2(x)}" y2="${n2(y1)}" stroke="#ffffff" stroke-width="4"/>`,
    `<line x1="${n2(x)}" y1="${n2(y0)}" x2="${n2(x)}" y2="${n2(y1)}" stroke="${colour}" stroke-width="2"${isFailed(e) ? ' stroke-dasharray="5 3"' : ''}/>`,
    `<path d="M${n2(x)},${n2(y1 + dir * 2)}L${n2(x - 6)},${n2(y1 - dir * 8)}L${n2(x + 6)},${n2(y1 - dir * 8)}Z" fill="${colour}"/>`,
    `<rect x="${n2(x + 8.5)}" y="${n2(ly - 8.5)}" width="${n2(w)}" height="17" fill="#0d1117" fill-opacity="0.93" stroke="${colour}"/>`,
    text(x + 13, ly, label, 'fill="#ffffff" font-size="11" font-weight="bold" dominant-baseline="middle"'),
    '</g>',
  ].join('');
}

/** A whole SVG document: the graph above the timelines, as on screen. Either may be left out. */
export function sceneSvg(parts: { graph?: GraphScene; timeline?: TimelineScene; title?: string }): string {
  const width = Math.max(parts.graph?.width ?? 0, parts.timeline?.width ?? 0);
  const gh = parts.graph?.height ?? 0;
  const th = parts.timeline?.height ?? 0;
  const height = gh + th;
  const body: string[] = [];
  if (parts.title) body.push(`<title>${escapeXml(parts.title)}</title>`);
  if (parts.graph) body.push(`<svg class="graph" x="0" y="0" width="${n2(parts.graph.width)}" height="${n2(gh)}" overflow="hidden">`, graphSvgBody(parts.graph), '</svg>');
  if (parts.timeline) body.push(`<svg class="timeline" x="0" y="${n2(gh)}" width="${n2(parts.timeline.width)}" height="${n2(th)}" overflow="hidden">`, timelineSvgBody(parts.timeline), '</svg>');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n2(width)}" height="${n2(height)}" viewBox="0 0 ${n2(width)} ${n2(height)}">`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
