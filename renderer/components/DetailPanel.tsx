import type { SignalEvent } from '../../electron/common/events';
import type { EdgeAggregate, ProcessRecord, Session } from '../../electron/common/session';
import { isFailed } from '../../electron/common/session';
import { clockTime, count, dateTime, duration } from '../model/format';
import { signalColour, signalLabel } from '../model/signalInfo';
import { processLabel, signalPasses, type Filters } from '../model/view';
import { actions, useApp } from '../store';

const MAX_ROWS = 300;

export function DetailPanel({ session }: { session: Session }) {
  useApp((s) => s.version);
  const selectedProcess = useApp((s) => s.selectedProcess);
  const selectedEdge = useApp((s) => s.selectedEdge);
  const filters = useApp((s) => s.filters);

  let body;
  if (selectedEdge) {
    const edge = session.edges.get(selectedEdge);
    body = edge ? <EdgeDetails edge={edge} session={session} filters={filters} /> : null;
  } else if (selectedProcess) {
    const p = session.getProcess(selectedProcess);
    body = p ? <ProcessDetails p={p} session={session} filters={filters} /> : null;
  }
  return (
    <section className="panel detail-panel" aria-label="Details" data-panel="details" tabIndex={-1}>
      <div className="panel-title">
        <h2>Details</h2>
        <span className="spacer" />
        {(selectedEdge || selectedProcess) && (
          <button type="button" className="small" onClick={() => actions.clearSelection()} aria-label="Close details">
            Close
          </button>
        )}
      </div>
      <div className="detail-body">
        {body ?? <p className="muted pad">Click a process (a node or a lane) or an edge to see its details. Keys: [ and ] step through processes in the graph.</p>}
      </div>
    </section>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function ProcessDetails({ p, session, filters }: { p: ProcessRecord; session: Session; filters: Filters }) {
  const start = session.startWallUs(p);
  const parent = p.parentKey ? session.getProcess(p.parentKey) : undefined;
  const sent: number[] = [];
  const received: number[] = [];
  let hidden = 0;
  for (let i = p.signalIndices.length - 1; i >= 0; i--) {
    const index = p.signalIndices[i];
    const e = session.signals[index];
    if (!signalPasses(e, filters)) {
      hidden++;
      continue;
    }
    if (session.keyOfSender(e) === p.key) sent.push(index);
    else received.push(index);
    if (session.keyOfTarget(e) === p.key && session.keyOfSender(e) === p.key) received.push(index);
  }
  const reused = p.reusedPidOf ? session.getProcess(p.reusedPidOf) : undefined;
  return (
    <div className="process-details" data-testid="process-details">
      <h3>{processLabel(session, p.key)}</h3>
      {p.reusedPidOf && (
        <p className="warn">
          PID {p.pid} was reused: this is not the process that held it
          {reused && reused.lastTs > 0 ? ` at ${clockTime(reused.lastTs)} (${reused.comm})` : ' earlier'}.
        </p>
      )}
      <dl className="fields">
        {p.kind === 'kernel' ? (
          <Field label="What">The kernel: signals it generates itself (faults, child exits, timers, terminal keys).</Field>
        ) : p.kind === 'missing' ? (
          <Field label="What">{p.pid < 0 ? `A kill() that named process group ${-p.pid}, in which no process could be signalled.` : `A kill() that named pid ${p.pid}, which no process held (ESRCH).`}</Field>
        ) : (
          <>
            <Field label="PID">{p.pid}{p.nsPid !== null && p.nsPid !== p.pid ? ` (${p.nsPid} in its namespace)` : ''}</Field>
            <Field label="Identity"><span className="mono">{p.pid}@{p.start}</span> <span className="muted">(pid, start µs since boot)</span></Field>
            <Field label="Command">{p.comm}</Field>
            <Field label="Command line"><span className="mono">{p.cmdline ? p.cmdline.join(' ') : '—'}</span></Field>
            <Field label="Executable"><span className="mono">{p.exe ?? '—'}</span></Field>
            <Field label="User">{p.user ?? '—'}{p.uid !== null ? ` (uid ${p.uid})` : ''}</Field>
            <Field label="Parent">
              {parent ? (
                <button type="button" className="link" onClick={() => actions.selectProcess(parent.key, true)}>
                  {processLabel(session, parent.key)}
                </button>
              ) : p.ppid !== null ? `pid ${p.ppid}` : '—'}
            </Field>
            <Field label={p.container ? 'Container' : 'Unit'}>{p.container ?? p.unit ?? '—'}</Field>
            <Field label="Started">{start !== null ? dateTime(start) : p.snapshot ? 'before the capture' : '—'}</Field>
            <Field label="Exited">
              {p.exitTs === null
                ? 'still running (at the last event)'
                : `${dateTime(p.exitTs)} — ${p.exitSignal ? `killed by ${p.exitSignal}${p.core ? ', core dumped' : ''}` : `exit code ${p.exitCode}`}`}
              {p.exitTs !== null && start !== null ? ` after ${duration(p.exitTs - start)}` : ''}
            </Field>
            {p.execs.length > 0 && <Field label="Exec">{p.execs.map((x) => `${clockTime(x.ts)} ${x.filename}`).join('; ')}</Field>}
            {p.threadCount > 1 && <Field label="Threads">{p.threadCount} seen</Field>}
            {p.infoError && <Field label="/proc">{p.infoError}</Field>}
          </>
        )}
      </dl>
      <SignalTable title="Sent" testId="sent-table" indices={sent} session={session} peer="target" />
      <SignalTable title="Received" testId="received-table" indices={received} session={session} peer="sender" />
      {hidden > 0 && <p className="muted pad">{count(hidden)} more hidden by the filters.</p>}
    </div>
  );
}

function EdgeDetails({ edge, session, filters }: { edge: EdgeAggregate; session: Session; filters: Filters }) {
  const indices = edge.signalIndices.filter((i) => signalPasses(session.signals[i], { ...filters, hiddenSignals: [] })).reverse();
  return (
    <div className="edge-details" data-testid="edge-details">
      <h3>
        <span className="swatch" style={{ background: signalColour(edge.sig) }} /> {signalLabel(edge.sig, edge.signal)}
      </h3>
      <p>
        <button type="button" className="link" onClick={() => actions.selectProcess(edge.senderKey, true)}>{processLabel(session, edge.senderKey)}</button>
        {' → '}
        <button type="button" className="link" onClick={() => actions.selectProcess(edge.targetKey, true)}>{processLabel(session, edge.targetKey)}</button>
      </p>
      <dl className="fields">
        <Field label="Signals">{count(edge.count)}{edge.failed ? `, ${count(edge.failed)} failed` : ''}</Field>
        <Field label="Results">{Object.entries(edge.results).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}</Field>
        <Field label="Errors">{Object.entries(edge.errnos).map(([k, v]) => `${k} ${v}`).join(', ') || '—'}</Field>
        <Field label="Origin">{[edge.origin.user ? `user ${edge.origin.user}` : '', edge.origin.kernel ? `kernel ${edge.origin.kernel}` : ''].filter(Boolean).join(', ')}</Field>
        <Field label="First">{dateTime(edge.firstTs)}</Field>
        <Field label="Last">{dateTime(edge.lastTs)}</Field>
      </dl>
      <SignalTable title="Signals on this edge" testId="edge-table" indices={indices} session={session} peer="both" />
    </div>
  );
}

function resultText(e: SignalEvent): string {
  if (isFailed(e)) return `failed: ${e.errno ?? `ret ${e.ret}`}`;
  return e.result ?? (e.sig === 0 ? 'probe ok' : '—');
}

function SignalTable({ title, indices, session, peer, testId }: { title: string; indices: number[]; session: Session; peer: 'sender' | 'target' | 'both'; testId: string }) {
  const selectedSignal = useApp((s) => s.selectedSignal);
  const rows = indices.slice(0, MAX_ROWS);
  return (
    <div className="signal-table">
      <h4>
        {title} <span className="muted">{count(indices.length)}{indices.length > MAX_ROWS ? ` (newest ${MAX_ROWS} shown)` : ''}</span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted pad">None.</p>
      ) : (
        <table data-testid={testId}>
          <thead>
            <tr>
              <th>Time</th>
              <th>{peer === 'sender' ? 'From' : peer === 'target' ? 'To' : 'From → to'}</th>
              <th>Signal</th>
              <th>Result</th>
              <th>Syscall</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((index) => {
              const e = session.signals[index];
              const failed = isFailed(e);
              const from = processLabel(session, session.keyOfSender(e));
              const to = processLabel(session, session.keyOfTarget(e));
              return (
                <tr
                  key={index}
                  tabIndex={0}
                  className={`${index === selectedSignal ? 'selected' : ''} ${failed ? 'failed' : ''}`}
                  aria-selected={index === selectedSignal}
                  onClick={() => actions.selectSignal(index)}
                  onKeyDown={(ev) => {
                    if (ev.key === 'Enter' || ev.key === ' ') {
                      ev.preventDefault();
                      actions.selectSignal(index);
                    }
                  }}
                >
                  <td className="mono">{clockTime(e.ts)}</td>
                  <td>{peer === 'sender' ? from : peer === 'target' ? to : `${from} → ${to}`}</td>
                  <td>
                    <span className="swatch" style={{ background: signalColour(e.sig) }} />
                    {signalLabel(e.sig, e.signal)}
                  </td>
                  <td>{resultText(e)}</td>
                  <td className="muted">{e.syscall ?? `kernel${e.codeName ? ` ${e.codeName}` : ''}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
