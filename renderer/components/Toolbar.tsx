import { useRef, useState } from 'react';
import { demoRecording } from '../model/demoRecording';
import { parseJsonLines } from '../model/recordingFile';
import { actions, useApp } from '../store';

export async function openRecordingFile(file: File): Promise<void> {
  const text = await file.text();
  const rec = parseJsonLines(file.name, text);
  if (rec.events.length === 0 && rec.infos.length === 0) {
    actions.notify(`Could not open ${file.name}: ${rec.error ?? 'no events'}.`, 'error');
    return;
  }
  actions.loadRecording(rec, 'recording');
  if (rec.error) actions.notify(`${file.name} is damaged at ${rec.error}; the ${rec.events.length} events before it are shown.`, 'error');
}

export function openDemo(): void {
  actions.loadRecording(demoRecording(), 'demo');
}

export function RecordingInput({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept=".jsonl,.ndjson,.json,application/json"
      hidden
      aria-hidden
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
