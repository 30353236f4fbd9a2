import { useEffect, useMemo, useRef } from 'react';
import type { Session } from '../../electron/common/session';
import { duration } from '../model/format';
import { timelineLanes, type VisibleGraph } from '../model/view';
import { TimelineCanvas } from '../timeline/timelineCanvas';
import { actions, useApp } from '../store';
import { registerView } from '../views';

export function TimelineView({ graph, session, capturing }: { graph: VisibleGraph; session: Session; capturing: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<TimelineCanvas | null>(null);
  const filters = useApp((s) => s.filters);
  const timeWindow = useApp((s) => s.timeWindow);
  const selectedProcess = useApp((s) => s.selectedProcess);
  const selectedSignal = useApp((s) => s.selectedSignal);
  const live = useApp((s) => s.live);
  const version = useApp((s) => s.version);
  const revealNonce = useApp((s) => s.revealNonce);
  const replay = useApp((s) => s.replay);
  const replayStart = replay?.startTs;
  const replayEnd = replay?.endTs;
  const replayCursor = replay?.cursor;

  const lanes = useMemo(() => timelineLanes(session, graph.nodeKeys), [graph, session]);

  useEffect(() => {
    const view = new TimelineCanvas(canvasRef.current!, {
      onSelectProcess: (key) => actions.selectProcess(key),
      onSelectSignal: (index) => actions.selectSignal(index, false),
      onWindow: (w) => actions.setTimeWindow(w),
      onUserView: () => actions.setLive(false),
    });
    viewRef.current = view;
    registerView('timeline', view);
    const ro = new ResizeObserver(() => {
      const r = hostRef.current!.getBoundingClientRect();
      view.resize(r.width, r.height, window.devicePixelRatio || 1);
    });
    ro.observe(hostRef.current!);
    return () => {
      ro.disconnect();
      view.dispose();
    };
  }, []);

  useEffect(() => {
    const replayInput = replayStart !== undefined ? { startTs: replayStart, endTs: replayEnd!, cursor: replayCursor! } : null;
    viewRef.current?.setInput({ session, lanes, filters, window: timeWindow, selectedProcess, selectedSignal, live, capturing, replay: replayInput });
    if (live && !capturing) viewRef.current?.followLive();
  }, [session, lanes, filters, timeWindow, selectedProcess, selectedSignal, live, capturing, version, replayStart, replayEnd, replayCursor]);

  useEffect(() => {
    if (revealNonce === 0) return;
    const s = useApp.getState();
    if (s.selectedSignal !== null) viewRef.current?.revealSignal(s.selectedSignal);
    else if (s.selectedEdge) {
      const edge = session.edges.get(s.selectedEdge);
      if (edge) viewRef.current?.revealRange(edge.firstTs, edge.lastTs, edge.senderKey);
    } else if (s.selectedProcess) viewRef.current?.revealLane(s.selectedProcess);
  }, [revealNonce]);

  return (
    <section className="panel timeline-panel" aria-label="Timelines" data-panel="timeline">
      <div className="panel-title">
        <h2>Timelines</h2>
        <span className="muted hint">wheel or W/S zoom · drag or A/D pan · shift+wheel scrolls lanes · drag on the ruler to pick a time window</span>
        <span className="spacer" />
        {timeWindow && (
          <button type="button" className="small" onClick={() => actions.setTimeWindow(null)}>
            Clear time window ({duration(timeWindow[1] - timeWindow[0])})
          </button>
        )}
        <button
          type="button"
          className={`small ${live ? 'on' : ''}`}
          aria-pressed={live}
          onClick={() => {
            actions.setLive(!live);
            if (!live) viewRef.current?.followLive();
          }}
          title={capturing ? 'Follow the present moment; pausing the view never pauses the capture' : 'Show the whole recording'}
        >
          {live ? (capturing ? '● Following now' : 'Showing all') : capturing ? 'Follow now' : 'Show all'}
        </button>
      </div>
      <div className="timeline-host" ref={hostRef}>
        <canvas ref={canvasRef} tabIndex={0} aria-label="Timelines: one lane per process. W and S zoom, A and D pan, up and down scroll lanes." data-testid="timeline-canvas" />
      </div>
    </section>
  );
}
