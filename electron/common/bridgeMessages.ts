// The messages that carry the SigScopeBridge over a byte or message channel:
// the browser mode's WebSocket and the Electron MessagePort use the same ones.
import type { AppCommand, CaptureStatus } from './bridge';
import type { CaptureFilters, CaptureOptions, ProcessInfo, SigScopeEvent } from './events';

export type BridgeMethod = 'startCapture' | 'stopCapture' | 'setFilters' | 'saveRecording';

export type BridgeCall =
  | { kind: 'call'; id: number; method: 'startCapture'; arg: CaptureOptions }
  | { kind: 'call'; id: number; method: 'stopCapture' }
  | { kind: 'call'; id: number; method: 'setFilters'; arg: CaptureFilters };

export interface BridgeErrorPayload {
  message: string;
  code?: string;
  hint?: string;
}

export type BridgeServerMessage =
  | { kind: 'reply'; id: number; ok: true; value?: string | null }
  | { kind: 'reply'; id: number; ok: false; error: BridgeErrorPayload }
  | { kind: 'events'; events: SigScopeEvent[] }
  | { kind: 'process-info'; infos: ProcessInfo[] }
  | { kind: 'status'; status: CaptureStatus }
  /** Desktop app only (over the MessagePort, which carries bytes): a file chosen in File → Open Recording…. */
  | { kind: 'open-recording'; name: string; bytes: Uint8Array }
  | { kind: 'command'; command: AppCommand };

/** A name the page suggests for a saved recording: a plain string, no NUL, not too long. */
export function isSuggestedPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 1024 && !value.includes('\0');
}

const METHODS: readonly string[] = ['startCapture', 'stopCapture', 'setFilters'];

/** Checks an untrusted call from the page; returns null when it is not one we accept. */
export function parseBridgeCall(value: unknown): BridgeCall | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.kind !== 'call' || typeof v.id !== 'number' || !Number.isSafeInteger(v.id)) return null;
  if (typeof v.method !== 'string' || !METHODS.includes(v.method)) return null;
  if (v.method === 'stopCapture') return { kind: 'call', id: v.id, method: 'stopCapture' };
  const arg = v.arg === undefined ? {} : v.arg;
  if (!isFilters(arg)) return null;
  return { kind: 'call', id: v.id, method: v.method as 'startCapture', arg: arg as CaptureOptions };
}

/** Capture options and filters: only known keys, with the right types. */
export function isFilters(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    switch (k) {
      case 'signals':
        if (!Array.isArray(x) || x.length > 128 || !x.every((s) => Number.isInteger(s) && s >= 0 && s <= 64)) return false;
        break;
      case 'pid':
        if (!Number.isInteger(x) || (x as number) < 0) return false;
        break;
      case 'failedOnly':
      case 'kernel':
      case 'sigchld':
      case 'lifecycle':
      case 'snapshot':
        if (typeof x !== 'boolean') return false;
        break;
      case 'ringBytes':
        if (!Number.isInteger(x) || (x as number) <= 0 || ((x as number) & ((x as number) - 1)) !== 0) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
