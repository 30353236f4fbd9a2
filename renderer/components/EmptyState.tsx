import { useRef } from 'react';
import { actions, useApp } from '../store';
import { RecordingInput, openDemo } from './Toolbar';

export function EmptyState() {
  const bridgeMode = useApp((s) => s.bridgeMode);
  const busy = useApp((s) => s.busy);
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>See which process sent which signal to which process</h2>
      <p className="muted">Nothing captured yet. Start a live capture, open a recording, or look at the demo first.</p>
      <div className="empty-actions">
        <div className="empty-card">
          <button type="button" className="primary big" disabled={busy || bridgeMode === 'offline'} onClick={() => void actions.startCapture()}>
            ● Start capture
          </button>
          <p className="muted">
            Needs administrator rights: you will be asked to authenticate, and a small helper captures with eBPF.
            {bridgeMode === 'offline' ? ' Not available on this page: run the desktop app or `npx sigscope serve`.' : ''}
          </p>
        </div>
        <div className="empty-card">
          <button type="button" className="big" onClick={() => fileRef.current?.click()}>
            Open recording…
          </button>
          <p className="muted">A recording saved by SigScope or `sigscope record`, or JSON Lines from `sigscope trace --json`. You can also drop a file on the window.</p>
          <RecordingInput inputRef={fileRef} />
        </div>
        <div className="empty-card">
          <button type="button" className="big" onClick={openDemo}>
            Open the demo recording
          </button>
          <p className="muted">One minute of a server: a supervisor restarting its workers, a crash, a failed kill. No privileges needed.</p>
        </div>
      </div>
    </div>
  );
}
