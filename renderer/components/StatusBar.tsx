import { count } from '../model/format';
import { useApp } from '../store';

const STATE_TEXT: Record<string, string> = {
  idle: 'Not capturing',
  starting: 'Starting capture…',
  capturing: 'Capturing',
  stopping: 'Stopping…',
  stopped: 'Capture stopped',
  error: 'Capture error',
};

export function StatusBar() {
  const status = useApp((s) => s.status);
  const source = useApp((s) => s.source);
  const rate = useApp((s) => s.rate);
  const session = useApp((s) => s.session);
  useApp((s) => s.version);
  const drops = status.stats?.drops ?? 0;
  return (
    <footer className="statusbar" role="status" aria-live="polite">
      <span className={`state state-${status.state}`} data-testid="capture-state">
        <span className="dot" aria-hidden /> {STATE_TEXT[status.state] ?? status.state}
        {status.launcher && status.state === 'capturing' ? ` (via ${status.launcher})` : ''}
      </span>
      {source.kind !== 'none' && <span>{source.kind === 'live' ? 'Live' : source.name}</span>}
      <span>{count(rate)} signals/s</span>
      <span data-testid="total-events">{count(session.totalEvents)} events ({count(session.signals.length)} signals)</span>
      {status.stats && <span>{count(status.stats.events)} records read</span>}
      <span className={drops > 0 ? 'drops bad' : 'drops'} data-testid="drops">
        {drops > 0 ? `⚠ ${count(drops)} dropped by the kernel` : '0 dropped'}
      </span>
      {status.recording && (
        <span className={status.recording.error ? 'recording-path bad-text' : 'recording-path'} data-testid="recording-path" title={status.recording.path}>
          {status.recording.error
            ? `⚠ ${status.recording.error}`
            : `${status.recording.open ? '● Recording to' : 'Recorded in'} ${status.recording.path} (${count(status.recording.events)} events)`}
        </span>
      )}
      {status.error && (
        <span className="helper-error" data-testid="helper-error">
          Helper error ({status.error.code}): {status.error.message}
          {status.error.hint ? ` — ${status.error.hint}` : ''}
        </span>
      )}
    </footer>
  );
}
