// The renderer's state: the session (mutable, versioned), what is selected,
// the filters and the timeline's view. Views subscribe to slices; the graph
// and timeline canvases also listen to `feed` to animate what just arrived.
import { create } from 'zustand';
import type { CaptureStatus, SigScopeBridge } from '../electron/common/bridge';
import type { ProcessInfo, SigScopeEvent } from '../electron/common/events';
import { Session, type ApplySummary } from '../electron/common/session';
import type { Recording } from './model/demoRecording';
import { SIGCHLD } from './model/signalInfo';
import { findProcesses, visibleGraph, type Filters, type TimeWindow } from './model/view';

export type SourceKind = 'none' | 'demo' | 'recording' | 'live';

type FeedListener = (summary: ApplySummary) => void;
const feedListeners = new Set<FeedListener>();
/** New events as they are applied, for animation. */
export const feed = {
  subscribe(l: FeedListener): () => void {
    feedListeners.add(l);
    return () => feedListeners.delete(l);
  },
};

export interface AppState {
  session: Session;
  version: number;
  source: { kind: SourceKind; name: string };
  status: CaptureStatus;
  bridgeMode: 'desktop' | 'browser' | 'offline';
  /** Signals per second over the last second. */
  rate: number;
  filters: Filters;
  timeWindow: TimeWindow;
  selectedProcess: string | null;
  selectedEdge: string | null;
  /** Index into session.signals. */
  selectedSignal: number | null;
  /** Bumped to ask the graph and timeline to bring the selection into view. */
  revealNonce: number;
  /** The timeline follows "now". */
  live: boolean;
  notice: { text: string; tone: 'info' | 'error' } | null;
  busy: boolean;
}

export const DEFAULT_FILTERS: Filters = { hiddenSignals: [SIGCHLD], user: true, kernel: true, failedOnly: false };

const IDLE: CaptureStatus = { state: 'idle', stats: null, error: null };

export const useApp = create<AppState>(() => ({
  session: new Session(),
  version: 0,
  source: { kind: 'none', name: '' },
  status: IDLE,
  bridgeMode: 'offline',
  rate: 0,
  filters: DEFAULT_FILTERS,
  timeWindow: null,
  selectedProcess: null,
  selectedEdge: null,
  selectedSignal: null,
  revealNonce: 0,
  live: true,
  notice: null,
  busy: false,
}));

let bridge: SigScopeBridge | null = null;
const arrivals: { at: number; n: number }[] = [];

function applyToSession(events: SigScopeEvent[]): void {
  const { session } = useApp.getState();
  const summary = session.applyEvents(events);
  if (summary.signalCount > 0 && useApp.getState().source.kind === 'live') arrivals.push({ at: performance.now(), n: summary.signalCount });
  useApp.setState({ version: session.version });
  for (const l of feedListeners) l(summary);
}

export const actions = {
  attachBridge(b: SigScopeBridge, mode: AppState['bridgeMode']): () => void {
    bridge = b;
    useApp.setState({ bridgeMode: mode });
    const offs = [
      b.onEvents((events) => {
        if (useApp.getState().source.kind !== 'live') return;
        applyToSession(events);
      }),
      b.onProcessInfo((infos: ProcessInfo[]) => {
        if (useApp.getState().source.kind !== 'live') return;
        const { session } = useApp.getState();
        session.applyProcessInfo(infos);
        useApp.setState({ version: session.version });
      }),
      b.onStatus((status) => useApp.setState({ status })),
    ];
    const timer = setInterval(() => {
      const now = performance.now();
      while (arrivals.length && arrivals[0].at < now - 1000) arrivals.shift();
      const rate = arrivals.reduce((n, a) => n + a.n, 0);
      if (rate !== useApp.getState().rate) useApp.setState({ rate });
    }, 500);
    return () => {
      offs.forEach((off) => off());
      clearInterval(timer);
    };
  },

  reset(kind: SourceKind, name: string): void {
    useApp.setState({
      session: new Session(),
      version: 0,
      source: { kind, name },
      selectedProcess: null,
      selectedEdge: null,
      selectedSignal: null,
      timeWindow: null,
      live: true,
      notice: null,
    });
  },

  loadRecording(rec: Recording, kind: SourceKind = 'recording'): void {
    actions.reset(kind, rec.name);
    const { session } = useApp.getState();
    session.applyProcessInfo(rec.infos);
    // Apply in slices so the feed sees batches like a live capture would.
    for (let i = 0; i < rec.events.length; i += 5000) applyToSession(rec.events.slice(i, i + 5000));
    useApp.setState({ version: session.version });
  },

  async startCapture(): Promise<void> {
    if (!bridge) return;
    const previous = useApp.getState().source.kind;
    if (previous !== 'live') actions.reset('live', 'Live capture');
    useApp.setState({ busy: true, notice: null });
    try {
      await bridge.startCapture({ lifecycle: true, snapshot: true });
    } catch (err) {
      const e = err as Error & { hint?: string };
      useApp.setState({ notice: { text: e.hint ? `${e.message} ${e.hint}` : e.message, tone: 'error' } });
      if (previous !== 'live' && useApp.getState().session.totalEvents === 0) useApp.setState({ source: { kind: 'none', name: '' } });
    } finally {
      useApp.setState({ busy: false });
    }
  },

  async stopCapture(): Promise<void> {
    if (!bridge) return;
    useApp.setState({ busy: true });
    try {
      await bridge.stopCapture();
    } catch (err) {
      useApp.setState({ notice: { text: (err as Error).message, tone: 'error' } });
    } finally {
      useApp.setState({ busy: false });
    }
  },

  toggleSignal(sig: number): void {
    const f = useApp.getState().filters;
    const hidden = f.hiddenSignals.includes(sig) ? f.hiddenSignals.filter((s) => s !== sig) : [...f.hiddenSignals, sig];
    useApp.setState({ filters: { ...f, hiddenSignals: hidden } });
  },
  setFilters(patch: Partial<Filters>): void {
    useApp.setState({ filters: { ...useApp.getState().filters, ...patch } });
  },
  setTimeWindow(window: TimeWindow): void {
    useApp.setState({ timeWindow: window });
  },
  setLive(live: boolean): void {
    if (useApp.getState().live !== live) useApp.setState({ live });
  },

  selectProcess(key: string | null, reveal = false): void {
    const s = useApp.getState();
    useApp.setState({
      selectedProcess: key,
      selectedEdge: null,
      selectedSignal: null,
      revealNonce: reveal ? s.revealNonce + 1 : s.revealNonce,
    });
  },
  /** Selecting an edge shows its events; the timeline moves to show them. */
  selectEdge(key: string | null): void {
    const s = useApp.getState();
    useApp.setState({ selectedEdge: key, selectedProcess: null, selectedSignal: null, revealNonce: s.revealNonce + 1, live: false });
  },
  /** Highlight one signal in graph and timeline; the panel stays where it is. */
  selectSignal(index: number | null, reveal = true): void {
    const s = useApp.getState();
    useApp.setState({ selectedSignal: index, revealNonce: reveal ? s.revealNonce + 1 : s.revealNonce, live: reveal ? false : s.live });
  },
  clearSelection(): void {
    useApp.setState({ selectedProcess: null, selectedEdge: null, selectedSignal: null });
  },

  /** "Find process": selects the best match and reports how many matched. */
  find(query: string): number {
    const s = useApp.getState();
    const visible = visibleGraph(s.session, s.filters, s.timeWindow, []).nodeKeys;
    const hits = findProcesses(s.session, query, visible);
    if (hits.length === 0) {
      useApp.setState({ notice: { text: `No process matches “${query}”.`, tone: 'info' } });
      return 0;
    }
    useApp.setState({ notice: null });
    actions.selectProcess(hits[0], true);
    return hits.length;
  },

  notify(text: string, tone: 'info' | 'error' = 'info'): void {
    useApp.setState({ notice: { text, tone } });
  },
  dismissNotice(): void {
    useApp.setState({ notice: null });
  },
};
