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
}

export type Unsubscribe = () => void;

export interface SigScopeBridge {
  startCapture(options: CaptureOptions): Promise<void>;
  stopCapture(): Promise<void>;
  setFilters(filters: CaptureFilters): Promise<void>;
  /** Decoded events, in batches (at most 60 batches a second). */
  onEvents(listener: (events: SigScopeEvent[]) => void): Unsubscribe;
  onProcessInfo(listener: (infos: ProcessInfo[]) => void): Unsubscribe;
  onStatus(listener: (status: CaptureStatus) => void): Unsubscribe;
}
