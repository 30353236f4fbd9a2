import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../electron/common/session';
import { isFailed } from '../../electron/common/session';
import { count, duration } from '../model/format';
import { signalColour, signalLabel } from '../model/signalInfo';
import { processLabel, type VisibleGraph } from '../model/view';
import { GraphCanvas, type GraphHit } from '../graph/graphCanvas';
import { actions, feed, useApp } from '../store';
import { registerView } from '../views';

interface Tip {
  hit: GraphHit;
  x: number;
  y: number;
}

export function GraphView({ graph, session }: { graph: VisibleGraph; session: Session }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<GraphCanvas | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  const selectedProcess = useApp((s) => s.selectedProcess);
  const selectedEdge = useApp((s) => s.selectedEdge);
  const selectedSignal = useApp((s) => s.selectedSignal);
  const revealNonce = useApp((s) => s.revealNonce);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const view = new GraphCanvas(canvas, {
      onSelectProcess: (key) => (key ? actions.selectProcess(key) : actions.clearSelection()),
      onSelectEdge: (key) => actions.selectEdge(key),
      onHover: (hit, x, y) => setTip(hit ? { hit, x, y } : null),
    });
    viewRef.current = view;
    registerView('graph', view);
    const ro = new ResizeObserver(() => {
      const r = hostRef.current!.getBoundingClientRect();
      view.resize(r.width, r.height, window.devicePixelRatio || 1);
    });
    ro.observe(hostRef.current!);
    const off = feed.subscribe((summary) => view.pulse(summary));
    return () => {
      ro.disconnect();
      off();
      view.dispose();
    };
  }, []);

  useEffect(() => {
    viewRef.current?.setGraph(session, graph);
  }, [graph, session]);

  useEffect(() => {
    let signal = null;
    if (selectedSignal !== null) {
      const e = session.signals[selectedSignal];
      if (e) signal = { edgeKey: `${session.keyOfSender(e)}>${session.keyOfTarget(e)}#${e.sig}`, failed: isFailed(e) };
    }
    viewRef.current?.setHighlight({ process: selectedProcess, edge: selectedEdge, signal });
  }, [selectedProcess, selectedEdge, selectedSignal, session]);

  useEffect(() => {
    if (revealNonce === 0) return;
    const s = useApp.getState();
    if (s.selectedSignal !== null) {
      const e = session.signals[s.selectedSignal];
      if (e) viewRef.current?.centreOn([session.keyOfSender(e), session.keyOfTarget(e)]);
    } else if (s.selectedProcess) viewRef.current?.centreOn([s.selectedProcess]);
  }, [revealNonce, session]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const view = viewRef.current;
    if (!view) return;
    const step = 60;
    const nodes = [...graph.nodeKeys].sort((a, b) => (session.getProcess(a)?.pid ?? 0) - (session.getProcess(b)?.pid ?? 0));
    switch (e.key) {
      case 'ArrowLeft': view.panBy(step, 0); break;
      case 'ArrowRight': view.panBy(-step, 0); break;
      case 'ArrowUp': view.panBy(0, step); break;
      case 'ArrowDown': view.panBy(0, -step); break;
      case '+': case '=': view.zoomBy(1.25); break;
      case '-': view.zoomBy(0.8); break;
      case '0': view.resumeAutoFit(); break;
      case ']': case '[': {
        if (nodes.length === 0) return;
        const i = selectedProcess ? nodes.indexOf(selectedProcess) : -1;
        const next = e.key === ']' ? (i + 1) % nodes.length : (i - 1 + nodes.length) % nodes.length;
        actions.selectProcess(nodes[next], true);
        break;
      }
      default: return;
    }
    e.preventDefault();
  };

  const legend = legendEntries(graph);

  return (
    <section className="panel graph-panel" aria-label="Signal graph" data-panel="graph">
      <div className="panel-title">
        <h2>Graph</h2>
        <span className="muted">{count(graph.nodeKeys.size)} processes · {count(graph.edges.length)} edges</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => viewRef.current?.resumeAutoFit()} title="Fit the whole graph in view (key 0)">Fit graph</button>
      </div>
      <div className="graph-host" ref={hostRef}>
        <canvas
          ref={canvasRef}
          tabIndex={0}
          role="img"
          aria-label="Signal graph: processes and the signals between them. Arrow keys pan, + and - zoom, [ and ] step through processes."
          onKeyDown={onKeyDown}
          data-testid="graph-canvas"
        />
        {legend.length > 0 && (
          <ul className="legend" aria-label="Signals in the graph">
            {legend.map(([sig, name, n]) => (
              <li key={sig}>
                <span className="swatch" style={{ background: signalColour(sig) }} />
                {name} <span className="muted">{count(n)}</span>
              </li>
            ))}
            <li className="muted legend-key">solid: delivered · dashed: failed · ✕ grey: exited · □ kernel</li>
          </ul>
        )}
        {tip && <Tooltip tip={tip} session={session} />}
      </div>
    </section>
  );
}

function legendEntries(graph: VisibleGraph): [number, string, number][] {
  const m = new Map<number, [string, number]>();
  for (const e of graph.edges) {
    const cur = m.get(e.sig);
    if (cur) cur[1] += e.count;
    else m.set(e.sig, [signalLabel(e.sig, e.signal), e.count]);
  }
  return [...m.entries()].sort((a, b) => b[1][1] - a[1][1]).slice(0, 10).map(([sig, [name, n]]) => [sig, name, n]);
}

function Tooltip({ tip, session }: { tip: Tip; session: Session }) {
  const style = { left: tip.x + 14, top: tip.y + 14 };
  if (tip.hit.kind === 'node') {
    const p = session.getProcess(tip.hit.key);
    if (!p) return null;
    return (
      <div className="tooltip" style={style} role="tooltip">
        <strong>{processLabel(session, p.key)}</strong>
        {p.kind === 'process' && <div className="muted">identity {p.pid}@{p.start}</div>}
        {p.cmdline && <div className="mono">{p.cmdline.join(' ')}</div>}
        {p.user && <div>user {p.user}</div>}
        <div>sent {count(p.sent)}{p.failedSent ? ` (${count(p.failedSent)} failed)` : ''} · received {count(p.received)}</div>
        {p.exitTs !== null && <div>exited: {p.exitSignal ? `${p.exitSignal}${p.core ? ' (core dumped)' : ''}` : `code ${p.exitCode}`}</div>}
        {p.reusedPidOf && <div className="warn">PID {p.pid} was reused: this is not the process that held it before.</div>}
      </div>
    );
  }
  const link = tip.hit.link!;
  const e = link.edge;
  return (
    <div className="tooltip" style={style} role="tooltip">
      <strong>{processLabel(session, e.senderKey)} → {processLabel(session, e.targetKey)}</strong>
      <div>
        <span className="swatch" style={{ background: signalColour(e.sig) }} /> {signalLabel(e.sig, e.signal)} × {count(e.count)}
        {e.failed > 0 && <> · {count(e.failed)} failed ({Object.entries(e.errnos).map(([k, v]) => `${k} ${v}`).join(', ')})</>}
      </div>
      <div className="muted">{Object.entries(e.results).map(([k, v]) => `${k} ${v}`).join(' · ')}</div>
      <div className="muted">over {duration(e.lastTs - e.firstTs)} · {e.origin.kernel ? 'kernel' : 'user'} origin</div>
    </div>
  );
}
