import { useEffect, useMemo, useRef, useState } from 'react';
import { openRecordingFile } from '../model/openRecording';
import { visibleGraph } from '../model/view';
import { actions, useApp } from '../store';
import { DetailPanel } from './DetailPanel';
import { EmptyState } from './EmptyState';
import { ExportDialog } from './ExportDialog';
import { FiltersPanel } from './FiltersPanel';
import { GraphView } from './GraphView';
import { OpenProgress } from './OpenProgress';
import { ReplayBar } from './ReplayBar';
import { StatusBar } from './StatusBar';
import { TimelineView } from './TimelineView';
import { Toolbar } from './Toolbar';

/** Panels in F6 order. */
const PANELS = ['filters', 'graph', 'timeline', 'details'];

export function App() {
  const session = useApp((s) => s.session);
  const version = useApp((s) => s.version);
  const filters = useApp((s) => s.filters);
  const timeWindow = useApp((s) => s.timeWindow);
  const selectedProcess = useApp((s) => s.selectedProcess);
  const source = useApp((s) => s.source);
  const status = useApp((s) => s.status);
  const notice = useApp((s) => s.notice);
  const findRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const capturing = status.state === 'capturing' || status.state === 'starting' || status.state === 'stopping';

  const graph = useMemo(
    () => visibleGraph(session, filters, timeWindow, [selectedProcess]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, version, filters, timeWindow, selectedProcess],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === 'F6') {
        e.preventDefault();
        const current = (document.activeElement as HTMLElement | null)?.closest('[data-panel]')?.getAttribute('data-panel');
        const i = current ? PANELS.indexOf(current) : -1;
        const next = PANELS[(i + (e.shiftKey ? PANELS.length - 1 : 1) + PANELS.length) % PANELS.length];
        const panel = document.querySelector<HTMLElement>(`[data-panel="${next}"]`);
        const target = panel?.querySelector<HTMLElement>('canvas, input, button, tr[tabindex]') ?? panel;
        target?.focus();
      } else if ((e.key === '/' && !inField) || (e.key.toLowerCase() === 'f' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        findRef.current?.focus();
        findRef.current?.select();
      } else if (e.key === 'Escape' && !inField) {
        actions.clearSelection();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A recording file dropped anywhere on the window opens.
  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  const dropHandlers = {
    onDragEnter: (e: React.DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      dragDepth.current++;
      setDragging(true);
    },
    onDragOver: (e: React.DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (e: React.DragEvent) => {
      if (!hasFiles(e)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (e: React.DragEvent) => {
      e.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      const file = e.dataTransfer.files?.[0];
      if (file) void openRecordingFile(file);
    },
  };

  const empty = source.kind === 'none' && !capturing;
  return (
    <div className="app" {...dropHandlers}>
      <Toolbar findRef={findRef} />
      {notice && (
        <div className={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="small" onClick={() => actions.dismissNotice()} aria-label="Dismiss">Dismiss</button>
        </div>
      )}
      <main className="workspace">
        <FiltersPanel session={session} />
        <div className="centre">
          <GraphView graph={graph} session={session} />
          <ReplayBar />
          <TimelineView graph={graph} session={session} capturing={capturing} />
          {empty && <EmptyState />}
        </div>
        <DetailPanel session={session} />
      </main>
      <StatusBar />
      <ExportDialog />
      <OpenProgress />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>Drop a recording to open it</div>
        </div>
      )}
    </div>
  );
}
