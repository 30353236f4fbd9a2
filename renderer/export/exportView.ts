// File → Export…: the current graph and timeline view as SVG or PNG, and the
// events shown as CSV, NDJSON or a Perfetto trace (electron/common/export).
// Files are handed to the browser's downloads (in the desktop app, Electron
// asks where to save them).
import type { ProcessInfo, SigScopeEvent } from '../../electron/common/events';
import { exportRecording, type ExportFormat } from '../../electron/common/export';
import { FORMAT_NAME, FORMAT_VERSION, StoredRecording, type RecordingNote } from '../../electron/common/recording';
import { VERSION } from '../../electron/common/version';
import { timelineLanes, visibleGraph } from '../model/view';
import { shownEvents, useApp } from '../store';
import { views } from '../views';
import { sceneSvg, type GraphScene, type TimelineScene } from './sceneSvg';

export type ImageScope = 'both' | 'graph' | 'timeline';

/** A file name for what is shown: sigscope-<source>-<time>.<ext>. */
export function exportName(ext: string): string {
  const s = useApp.getState();
  const base = (s.replay?.name ?? (s.source.kind === 'live' ? 'capture' : s.source.name || 'view')).replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, '').replace(/:/g, '-');
  return `${base.startsWith('sigscope') ? base : `sigscope-${base}`}-${stamp}.${ext}`;
}

function cssSize(canvas: HTMLCanvasElement): { width: number; height: number } {
  const r = canvas.getBoundingClientRect();
  return { width: Math.round(r.width), height: Math.round(r.height) };
}

/** The scene as it is on screen, for the SVG. */
export function currentScenes(scope: ImageScope): { graph?: GraphScene; timeline?: TimelineScene } {
  const s = useApp.getState();
  const graph = visibleGraph(s.session, s.filters, s.timeWindow, [s.selectedProcess]);
  const out: { graph?: GraphScene; timeline?: TimelineScene } = {};
  if (scope !== 'timeline' && views.graph) {
    out.graph = { session: s.session, graph, view: views.graph, ...cssSize(views.graph.canvas), selectedProcess: s.selectedProcess };
  }
  if (scope !== 'graph' && views.timeline) {
    const capturing = s.status.state === 'capturing' || s.status.state === 'starting' || s.status.state === 'stopping';
    out.timeline = {
      session: s.session,
      lanes: timelineLanes(s.session, graph.nodeKeys),
      filters: s.filters,
      view: views.timeline,
      ...cssSize(views.timeline.canvas),
      selectedProcess: s.selectedProcess,
      selectedSignal: s.selectedSignal,
      capturing,
      replay: s.replay ? { startTs: s.replay.startTs, endTs: s.replay.endTs, cursor: s.replay.cursor } : null,
    };
  }
  return out;
}

export function viewSvg(scope: ImageScope): string {
  const s = useApp.getState();
  return sceneSvg({ ...currentScenes(scope), title: `SigScope: ${s.replay?.name ?? s.source.name ?? ''}` });
}

/** The canvases' pixels (at the screen's pixel ratio), stacked as on screen. */
export function viewPng(scope: ImageScope): Promise<Blob> {
  const canvases = [scope !== 'timeline' ? views.graph?.canvas : undefined, scope !== 'graph' ? views.timeline?.canvas : undefined].filter(
    (c): c is HTMLCanvasElement => !!c && c.width > 0 && c.height > 0,
  );
  if (canvases.length === 0) return Promise.reject(new Error('Nothing is drawn yet.'));
  const out = document.createElement('canvas');
  out.width = Math.max(...canvases.map((c) => c.width));
  out.height = canvases.reduce((h, c) => h + c.height, 0);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const c of canvases) {
    ctx.drawImage(c, 0, y);
    y += c.height;
  }
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The image could not be made.'))), 'image/png'));
}

/** The events shown, as a Recording the exporters read (they only iterate it). */
export function shownRecording(events: readonly SigScopeEvent[], infos: readonly ProcessInfo[]): StoredRecording {
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    if (e.ts < min) min = e.ts;
    if (e.ts > max) max = e.ts;
  }
  const list = events as SigScopeEvent[];
  const notes: RecordingNote[] = infos.map((value) => ({ at: 0, kind: 'process-info', value }));
  const started = Number.isFinite(min) ? min : Date.now() * 1000;
  const header = {
    format: FORMAT_NAME, formatVersion: FORMAT_VERSION, sigscope: VERSION, host: '', kernel: '', clock: null, options: {},
    started: new Date(started / 1000).toISOString(), startedTs: started,
  };
  const blocks = list.length ? [{ offset: -1, firstEvent: 0, count: list.length, minTs: min, maxTs: max, load: async () => list }] : [];
  return new StoredRecording('sigscope-recording', header, blocks, notes, true, null, min, max);
}

export const EVENT_FORMATS: { format: ExportFormat; label: string; ext: string; type: string }[] = [
  { format: 'csv', label: 'CSV', ext: 'csv', type: 'text/csv' },
  { format: 'ndjson', label: 'NDJSON', ext: 'ndjson', type: 'application/x-ndjson' },
  { format: 'perfetto', label: 'Perfetto trace', ext: 'perfetto.json', type: 'application/json' },
];

export async function eventsBlob(format: ExportFormat): Promise<Blob> {
  const shown = shownEvents();
  if (!shown || shown.events.length === 0) throw new Error('There are no events to export: open a recording, the demo, or capture first.');
  const parts: string[] = [];
  await exportRecording(shownRecording(shown.events, shown.infos), format, { write: (text) => void parts.push(text) });
  return new Blob(parts, { type: EVENT_FORMATS.find((f) => f.format === format)!.type });
}

/** Hands a file to the browser's downloads. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
