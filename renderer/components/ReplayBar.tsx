// Replay of a recording: a time scrubber (graph and timelines show the state
// at that time), play/pause at 1×–100×, and the selected process's next and
// previous signal. Keys: Space plays or pauses, "." and "," step.
import { useEffect, useRef } from 'react';
import { clockTime, duration } from '../model/format';
import { REPLAY_SPEEDS } from '../model/replay';
import { actions, useApp } from '../store';

/** The scrubber moves in steps of this many µs (a millisecond). */
const STEP_US = 1000;

export function ReplayBar() {
  const replay = useApp((s) => s.replay);
  const selectedProcess = useApp((s) => s.selectedProcess);
  const pending = useRef<number | null>(null);
  const frame = useRef(0);

  useEffect(() => {
    if (!replay) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t instanceof HTMLInputElement && t.type !== 'range') return;
      if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '.' || e.key === ',') {
        e.preventDefault();
        actions.stepSignal(e.key === '.' ? 1 : -1);
      } else if (e.key === ' ' && !(t instanceof HTMLButtonElement)) {
        e.preventDefault();
        actions.togglePlay();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [!!replay]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  if (!replay) return <div className="replay-slot" />;
  const span = Math.max(0, replay.endTs - replay.startTs);
  const offset = replay.cursor - replay.startTs;
  // Dragging asks for many times a frame: seek once per frame, to the latest.
  const scrub = (value: number) => {
    actions.pauseReplay();
    pending.current = replay.startTs + value * STEP_US;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (pending.current !== null) actions.seekReplay(pending.current);
      pending.current = null;
    });
  };
  const stepTitle = selectedProcess ? '' : ' (select a process first)';
  return (
    <div className="replay-bar" role="group" aria-label="Replay" data-testid="replay-bar">
      <button type="button" className="small" onClick={() => actions.stepSignal(-1)} title={`Previous signal of the selected process (key ,)${stepTitle}`} aria-label="Previous signal of the selected process">
        ◀ Prev signal
      </button>
      <button
        type="button"
        className={`small play ${replay.playing ? 'on' : ''}`}
        onClick={() => actions.togglePlay()}
        aria-pressed={replay.playing}
        title="Play or pause the replay (Space)"
        data-testid="replay-play"
      >
        {replay.playing ? '❚❚ Pause' : '► Play'}
      </button>
      <button type="button" className="small" onClick={() => actions.stepSignal(1)} title={`Next signal of the selected process (key .)${stepTitle}`} aria-label="Next signal of the selected process">
        Next signal ▶
      </button>
      <label className="speed">
        <span className="muted">Speed</span>
        <select value={replay.speed} onChange={(e) => actions.setReplaySpeed(Number(e.target.value))} aria-label="Replay speed" data-testid="replay-speed">
          {REPLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>{s}×</option>
          ))}
        </select>
      </label>
      <input
        className="scrubber"
        type="range"
        min={0}
        max={Math.max(1, Math.ceil(span / STEP_US))}
        step={1}
        value={Math.round(offset / STEP_US)}
        onChange={(e) => scrub(Number(e.target.value))}
        aria-label="Replay time"
        aria-valuetext={clockTime(replay.cursor, true)}
        data-testid="replay-scrubber"
      />
      <span className="replay-clock mono" data-testid="replay-clock" title="The time shown, and how far into the recording">
        {clockTime(replay.cursor)} <span className="muted">+{duration(offset)} / {duration(span)}</span>
      </span>
      <span className="muted replay-count" data-testid="replay-count">{replay.applied}/{replay.total} events</span>
      <span className="muted hint" title="Space plays or pauses; , and . step to the selected process's previous and next signal">
        keys: Space · , · .
      </span>
    </div>
  );
}
