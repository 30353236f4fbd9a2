import { useRef, useState } from 'react';
import { demoRecording } from '../model/demoRecording';
import { openRecordingFile } from '../model/openRecording';
import { actions, useApp } from '../store';
import { saveRecording } from './ExportDialog';

export function openDemo(): void {
  actions.loadRecording(demoRecording(), 'demo');
}

export function RecordingInput({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept=".sigscope,.ndjson,.jsonl,.json,application/json,application/octet-stream"
      hidden
      aria-hidden
      data-testid="recording-input"
      onChange={(e) => {
        const f = e.target.files?.[0];
        if (f) void openRecordingFile(f);
        e.target.value = '';
      }}
    />
  );
}

export function Toolbar({ findRef }: { findRef: React.RefObject<HTMLInputElement | null> }) {
  const status = useApp((s) => s.status);
  const busy = useApp((s) => s.busy);
  const bridgeMode = useApp((s) => s.bridgeMode);
  const fileRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const recording = status.recording;
  const capturing = status.state === 'capturing' || status.state === 'starting';
  return (
    <header className="toolbar">
      <span className="brand" aria-label="SigScope">
        <span className="brand-mark" aria-hidden>⟿</span> SigScope
      </span>
      {capturing ? (
        <button type="button" className="primary stop" disabled={busy || status.state === 'starting'} onClick={() => void actions.stopCapture()}>
          ■ Stop capture
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={busy || bridgeMode === 'offline'}
          onClick={() => void actions.startCapture()}
          title={bridgeMode === 'offline' ? 'This page has no capture backend' : 'Needs administrator rights'}
        >
          ● Start capture
        </button>
      )}
      <button type="button" onClick={() => fileRef.current?.click()}>Open recording…</button>
      <button type="button" onClick={openDemo}>Demo recording</button>
      <button
        type="button"
        disabled={!recording || bridgeMode === 'offline'}
        onClick={() => void saveRecording()}
        title={recording ? `Save a copy of ${recording.path}` : 'Every capture is recorded: start one first'}
      >
        Save recording…
      </button>
      <button type="button" onClick={() => actions.showExport(true)} title="Export the graph and timeline as SVG or PNG, or the events as CSV, NDJSON or Perfetto">
        Export…
      </button>
      <RecordingInput inputRef={fileRef} />
      <span className="spacer" />
      <form
        className="find"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) actions.find(query);
        }}
      >
        <label htmlFor="find-process">Find process</label>
        <input
          id="find-process"
          ref={findRef}
          type="search"
          placeholder="name or pid — Enter selects"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </form>
    </header>
  );
}
