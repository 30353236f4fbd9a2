// The progress bar while a recording file opens.
import { count } from '../model/format';
import { useApp } from '../store';

export function OpenProgress() {
  const opening = useApp((s) => s.opening);
  if (!opening) return null;
  const percent = Math.round(opening.fraction * 100);
  return (
    <div className="modal-backdrop" data-testid="open-progress">
      <div className="modal progress-modal" role="dialog" aria-modal="true" aria-label={`Opening ${opening.name}`}>
        <h2>Opening {opening.name}</h2>
        <progress max={100} value={percent} aria-label="Opening progress" />
        <p className="muted">{percent} % · {count(opening.events)} events read</p>
      </div>
    </div>
  );
}
