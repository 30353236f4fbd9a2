// The one surface the renderer may use. The preload implements it over
// Electron IPC, the browser mode (`sigscope serve`) over a WebSocket; the
// renderer knows nothing else.
import type { CaptureFilters, CaptureOptions, CaptureStats, ProcessInfo, SigScopeEvent } from './events';

export type CaptureState = 'idle' | 'starting' | 'capturing' | 'stopping' | 'stopped' | 'error';

export interface HelperError {
  /** Stable code: not-permitted, no-btf, verifier, cancelled, no-pkexec, bad-command, helper-exited, internal. */
  code: string;
  message: string;
  /** What the user can do about it. */
  hint?: string;
}

export interface CaptureStatus {
  state: CaptureState;
  stats: CaptureStats | null;
  error: HelperError | null;
  /** How the helper was launched: direct, pkexec, sudo. */
  launcher?: string;
  /** The session file this capture records into (or the last one). */
  recording?: SessionRecordingStatus | null;
}

export interface SessionRecordingStatus {
  path: string;
  events: number;
  bytes: number;
  /** Still being written. */
  open: boolean;
  error?: string;
}

/** A recording file handed to the page to open (File → Open Recording… in the desktop app). */
export interface RecordingFileBytes {
  name: string;
  bytes: Uint8Array;
}

/** Menu items the page carries out itself. */
export type AppCommand = 'open-recording' | 'export';

export type Unsubscribe = () => void;

export interface SigScopeBridge {
  startCapture(options: CaptureOptions): Promise<void>;
  stopCapture(): Promise<void>;
  setFilters(filters: CaptureFilters): Promise<void>;
  /** Decoded events, in batches (at most 60 batches a second). */
  onEvents(listener: (events: SigScopeEvent[]) => void): Unsubscribe;
  onProcessInfo(listener: (infos: ProcessInfo[]) => void): Unsubscribe;
  onStatus(listener: (status: CaptureStatus) => void): Unsubscribe;
  /**
   * Saves the capture's session recording. The desktop app asks where with a
   * save dialog (`path` is only the name it suggests); the browser mode
   * downloads it. Resolves with where it went, or null when cancelled.
   */
  saveRecording(path?: string): Promise<string | null>;
  /** A recording the user chose from the app menu, to open in the page. */
  onOpenRecording(listener: (file: RecordingFileBytes) => void): Unsubscribe;
  /** A menu item the page carries out (File → Export…). */
  onCommand(listener: (command: AppCommand) => void): Unsubscribe;
}
