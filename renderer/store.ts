// The renderer's state: the session (mutable, versioned), what is selected,
// the filters and the timeline's view. Views subscribe to slices; the graph
// and timeline canvases also listen to `feed` to animate what just arrived.
import { create } from 'zustand';
import type { CaptureStatus, SigScopeBridge } from '../electron/common/bridge';
import type { ProcessInfo, SigScopeEvent } from '../electron/common/events';
import { Session, type ApplySummary } from '../electron/common/session';
import type { Recording } from './model/demoRecording';
import { ReplayCursor, ReplayData } from './model/replay';
import { SIGCHLD } from './model/signalInfo';
import { findProcesses, signalPasses, visibleGraph, type Filters, type TimeWindow } from './model/view';
import { views } from './views';

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
  /** A recording (or the demo) being replayed: where the scrubber is. */
  replay: ReplayState | null;
  /** A recording file being opened: the progress bar. */
  opening: { name: string; fraction: number; events: number } | null;
  /** The export dialog is open. */
  exporting: boolean;
}

export interface ReplayState {
  name: string;
  startTs: number;
  endTs: number;
  /** The time shown (µs since the epoch). */
  cursor: number;
  playing: boolean;
  speed: number;
  /** Events that have happened by the cursor, of all. */
  applied: number;
  total: number;
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
  replay: null,
  opening: null,
  exporting: false,
}));

let bridge: SigScopeBridge | null = null;
const arrivals: { at: number; n: number }[] = [];
/** The recording being replayed, and the session built from it up to the cursor. */
let replayData: ReplayData | null = null;
let replayCursor: ReplayCursor | null = null;
/** A live capture's events as they came, so that the view can be exported. */
let liveEvents: SigScopeEvent[] = [];
let liveInfos: ProcessInfo[] = [];
let playFrame = 0;
/** The process whose signals next/previous step through. */
let stepProcess: string | null = null;

/** What is shown, as events: the recording replayed, or what this capture has received. */
export function shownEvents(): { name: string; events: readonly SigScopeEvent[]; infos: readonly ProcessInfo[] } | null {
  const s = useApp.getState();
  if (replayData) return { name: replayData.name, events: replayData.events, infos: replayData.infos };
  if (s.source.kind === 'live') return { name: 'capture', events: liveEvents, infos: liveInfos };
  return null;
}

export function getBridge(): SigScopeBridge | null {
  return bridge;
}

/** The replay's events (tests and the export read them). */
export function currentReplay(): ReplayData | null {
  return replayData;
}

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
        for (const e of events) liveEvents.push(e);
        applyToSession(events);
      }),
      b.onProcessInfo((infos: ProcessInfo[]) => {
        if (useApp.getState().source.kind !== 'live') return;
        for (const i of infos) liveInfos.push(i);
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
    actions.pauseReplay();
    replayData = null;
    replayCursor = null;
    liveEvents = [];
    liveInfos = [];
    useApp.setState({
      replay: null,
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

  /** Shows a recording (or the demo) whole, ready to replay. */
  loadRecording(rec: Recording, kind: SourceKind = 'recording'): void {
    actions.reset(kind, rec.name);
    const data = new ReplayData(rec.name, rec.events, rec.infos);
    replayData = data;
    replayCursor = new ReplayCursor(data);
    replayCursor.moveTo(data.events.length);
    const session = replayCursor.session;
    useApp.setState({
      session,
      version: session.version,
      replay: { name: rec.name, startTs: data.startTs, endTs: data.endTs, cursor: data.endTs, playing: false, speed: 10, applied: data.events.length, total: data.events.length },
    });
    // A new recording is shown whole, even after the view was moved for the last one.
    views.graph?.resumeAutoFit();
  },

  /** Shows the recording as it stood at `ts`. */
  seekReplay(ts: number): void {
    const s = useApp.getState();
    if (!replayData || !replayCursor || !s.replay) return;
    const cursor = Math.max(replayData.startTs, Math.min(ts, replayData.endTs));
    const { rebuilt, summary } = replayCursor.moveTo(replayData.countAt(cursor));
    const session = replayCursor.session;
    const patch: Partial<AppState> = { session, version: session.version, replay: { ...s.replay, cursor, applied: replayCursor.applied } };
    if (rebuilt) {
      // The selection is kept when it still exists at this time.
      if (s.selectedSignal !== null && s.selectedSignal >= session.signals.length) patch.selectedSignal = null;
      if (s.selectedEdge && !session.edges.has(s.selectedEdge)) patch.selectedEdge = null;
    }
    useApp.setState(patch);
    if (summary) for (const l of feedListeners) l(summary);
  },

  playReplay(): void {
    const s = useApp.getState();
    if (!s.replay || s.replay.playing) return;
    // Played to the end: start again from the beginning.
    if (s.replay.cursor >= s.replay.endTs) actions.seekReplay(s.replay.startTs);
    useApp.setState({ replay: { ...useApp.getState().replay!, playing: true }, live: true });
    let last = performance.now();
    const tick = (now: number) => {
      const r = useApp.getState().replay;
      if (!r || !r.playing) return;
      const next = r.cursor + (now - last) * 1000 * r.speed;
      last = now;
      actions.seekReplay(next);
      if (next >= r.endTs) {
        actions.pauseReplay();
        return;
      }
      playFrame = requestAnimationFrame(tick);
    };
    playFrame = requestAnimationFrame(tick);
  },
  pauseReplay(): void {
    cancelAnimationFrame(playFrame);
    const r = useApp.getState().replay;
    if (r?.playing) useApp.setState({ replay: { ...r, playing: false } });
  },
  togglePlay(): void {
    if (useApp.getState().replay?.playing) actions.pauseReplay();
    else actions.playReplay();
  },
  setReplaySpeed(speed: number): void {
    const r = useApp.getState().replay;
    if (r) useApp.setState({ replay: { ...r, speed } });
  },

  /**
   * Next (1) or previous (-1) signal the selected process sent or received,
   * among those the filters show: the replay moves to it and selects it.
   * Returns false when there is none.
   */
  stepSignal(dir: 1 | -1): boolean {
    const s = useApp.getState();
    if (!replayData || !replayCursor || !s.replay) return false;
    const key = s.selectedProcess ?? (s.selectedSignal !== null ? stepProcess : null);
    if (!key) {
      actions.notify('Select a process first: next and previous step through its signals.');
      return false;
    }
    const session = s.session;
    const current = s.selectedSignal !== null ? session.signals[s.selectedSignal] : undefined;
    const at = current ? replayData.events.indexOf(current) : -1;
    const from = at >= 0 ? at : dir === 1 ? replayCursor.applied - 1 : replayCursor.applied;
    const i = replayData.findSignal(from, dir, (e) => (session.keyOfSender(e) === key || session.keyOfTarget(e) === key) && signalPasses(e, s.filters));
    if (i < 0) {
      actions.notify(dir === 1 ? 'No later signal for this process.' : 'No earlier signal for this process.');
      return false;
    }
    const event = replayData.events[i];
    actions.pauseReplay();
    // Apply exactly up to this signal, so that it is the newest one shown.
    const { summary } = replayCursor.moveTo(i + 1);
    const next = replayCursor.session;
    const index = next.signals.lastIndexOf(event as (typeof next.signals)[number]);
    stepProcess = key;
    useApp.setState({
      session: next,
      version: next.version,
      replay: { ...useApp.getState().replay!, cursor: event.ts, applied: replayCursor.applied, playing: false },
      notice: null,
    });
    if (summary) for (const l of feedListeners) l(summary);
    // Keep the process selected (the panel stays on it) and highlight the signal.
    useApp.setState({ selectedProcess: key, selectedEdge: null });
    actions.selectSignal(index >= 0 ? index : null, true);
    return true;
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

  showExport(open: boolean): void {
    useApp.setState({ exporting: open });
  },

  notify(text: string, tone: 'info' | 'error' = 'info'): void {
    useApp.setState({ notice: { text, tone } });
  },
  dismissNotice(): void {
    useApp.setState({ notice: null });
  },
};
