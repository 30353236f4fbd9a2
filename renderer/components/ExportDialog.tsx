// File → Export…: the view as an image (SVG, PNG), the events as CSV, NDJSON
// or Perfetto, and the capture's recording.
import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../electron/common/export';
import { EVENT_FORMATS, download, eventsBlob, exportName, viewPng, viewSvg, type ImageScope } from '../export/exportView';
import { actions, getBridge, useApp } from '../store';

/** Save Recording As…: the desktop app asks where; the browser mode downloads it. */
export async function saveRecording(): Promise<void> {
  const bridge = getBridge();
  if (!bridge) return;
  try {
    const where = await bridge.saveRecording();
    if (where) actions.notify(`Recording saved: ${where}`);
  } catch (err) {
    actions.notify(`Could not save the recording: ${(err as Error).message}`, 'error');
  }
}

export async function exportImage(kind: 'svg' | 'png', scope: ImageScope): Promise<void> {
  const suffix = scope === 'both' ? '' : `-${scope}`;
  if (kind === 'svg') download(new Blob([viewSvg(scope)], { type: 'image/svg+xml' }), exportName(`${suffix ? suffix.slice(1) + '.' : ''}svg`));
  else download(await viewPng(scope), exportName(`${suffix ? suffix.slice(1) + '.' : ''}png`));
}

export function ExportDialog() {
  const open = useApp((s) => s.exporting);
  const recording = useApp((s) => s.status.recording);
  const bridgeMode = useApp((s) => s.bridgeMode);
  const [scope, setScope] = useState<ImageScope>('both');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    ref.current?.querySelector<HTMLElement>('button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') actions.showExport(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  if (!open) return null;
  const run = (job: () => Promise<void>) => {
    setError(null);
    job().then(
      () => actions.showExport(false),
      (err) => setError((err as Error).message),
    );
  };
  const events = (format: ExportFormat, ext: string) => run(async () => download(await eventsBlob(format), exportName(ext)));
  return (
    <div className="modal-backdrop" onClick={() => actions.showExport(false)}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="export-title" ref={ref} onClick={(e) => e.stopPropagation()} data-testid="export-dialog">
        <h2 id="export-title">Export</h2>
        <section>
          <h3>Image of the view</h3>
          <div className="row" role="radiogroup" aria-label="What to export">
            {(['both', 'graph', 'timeline'] as ImageScope[]).map((s) => (
              <label key={s} className="check">
                <input type="radio" name="scope" checked={scope === s} onChange={() => setScope(s)} />
                {s === 'both' ? 'Graph and timelines' : s === 'graph' ? 'Graph' : 'Timelines'}
              </label>
            ))}
          </div>
          <div className="row">
            <button type="button" onClick={() => run(() => exportImage('svg', scope))} data-testid="export-svg">SVG (vector, text labels)</button>
            <button type="button" onClick={() => run(() => exportImage('png', scope))} data-testid="export-png">PNG</button>
          </div>
        </section>
        <section>
          <h3>Events shown</h3>
          <p className="muted">Every event of the recording or capture shown, for other tools (Perfetto opens in ui.perfetto.dev).</p>
          <div className="row">
            {EVENT_FORMATS.map((f) => (
              <button type="button" key={f.format} onClick={() => events(f.format, f.ext)} data-testid={`export-${f.format}`}>{f.label}</button>
            ))}
          </div>
        </section>
        <section>
          <h3>Recording</h3>
          <p className="muted">{recording ? `This capture is recorded in ${recording.path}.` : 'Every capture is recorded; start one to save its recording.'}</p>
          <button type="button" disabled={!recording || bridgeMode === 'offline'} onClick={() => run(saveRecording)}>Save recording…</button>
        </section>
        {error && <p className="error-text" role="alert">{error}</p>}
        <div className="row end">
          <button type="button" onClick={() => actions.showExport(false)}>Close</button>
        </div>
      </div>
    </div>
  );
}
