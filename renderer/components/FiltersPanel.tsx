import type { Session } from '../../electron/common/session';
import { count, duration } from '../model/format';
import { signalColour, signalLabel } from '../model/signalInfo';
import { actions, useApp } from '../store';

export function FiltersPanel({ session }: { session: Session }) {
  useApp((s) => s.version);
  const filters = useApp((s) => s.filters);
  const timeWindow = useApp((s) => s.timeWindow);
  const sigs = [...session.signalCounts.entries()].sort((a, b) => a[0] - b[0]);
  return (
    <section className="panel filters-panel" aria-label="Filters" data-panel="filters" tabIndex={-1}>
      <div className="panel-title">
        <h2>Filters</h2>
      </div>
      <div className="filters-body">
        <fieldset>
          <legend>Signals</legend>
          {sigs.length === 0 && <p className="muted">No signals yet.</p>}
          {sigs.map(([sig, n]) => (
            <label key={sig} className="check">
              <input type="checkbox" checked={!filters.hiddenSignals.includes(sig)} onChange={() => actions.toggleSignal(sig)} />
              <span className="swatch" style={{ background: signalColour(sig) }} />
              <span className="grow">{signalLabel(sig, session.signalNames.get(sig))}</span>
              <span className="muted count">{count(n)}</span>
            </label>
          ))}
          {sigs.length > 1 && (
            <div className="row">
              <button type="button" className="small" onClick={() => actions.setFilters({ hiddenSignals: [] })}>All</button>
              <button type="button" className="small" onClick={() => actions.setFilters({ hiddenSignals: sigs.map(([s]) => s) })}>None</button>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>Origin</legend>
          <label className="check">
            <input type="checkbox" checked={filters.user} onChange={(e) => actions.setFilters({ user: e.target.checked })} />
            <span className="grow">Sent by a process (kill, tgkill, …)</span>
          </label>
          <label className="check">
            <input type="checkbox" checked={filters.kernel} onChange={(e) => actions.setFilters({ kernel: e.target.checked })} />
            <span className="grow">Sent by the kernel (faults, child exits, timers)</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Outcome</legend>
          <label className="check">
            <input type="checkbox" checked={filters.failedOnly} onChange={(e) => actions.setFilters({ failedOnly: e.target.checked })} />
            <span className="grow">Failed attempts only</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Time window</legend>
          {timeWindow ? (
            <>
              <p>{duration(timeWindow[1] - timeWindow[0])} selected; the graph shows only signals inside it.</p>
              <button type="button" className="small" onClick={() => actions.setTimeWindow(null)}>Clear time window</button>
            </>
          ) : (
            <p className="muted">All time. Drag on the timeline's ruler to pick a window.</p>
          )}
        </fieldset>
      </div>
    </section>
  );
}
