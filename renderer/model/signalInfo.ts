// Signal names and colours for the views. Colour always comes with the
// written name: it helps the eye but never carries meaning alone.
import { signalName } from '../../electron/common/signals';

export function signalLabel(sig: number, name?: string | null): string {
  if (sig === 0) return 'signal 0 (probe)';
  return name || signalName(sig);
}

/** "SIGTERM" → "TERM", for tight spots. */
export function shortSignal(name: string): string {
  if (name.startsWith('signal 0')) return 'probe';
  return name.startsWith('SIG') ? name.slice(3) : name;
}

const COLOURS: Record<number, string> = {
  0: '#cbd5e1',
  1: '#c4a1ff', // HUP
  2: '#ffd866', // INT
  3: '#ffb86b', // QUIT
  4: '#ff6b9a', // ILL
  5: '#f0abfc', // TRAP
  6: '#ff4fd8', // ABRT
  7: '#f472b6', // BUS
  8: '#fda4af', // FPE
  9: '#ff4d4d', // KILL
  10: '#4ade80', // USR1
  11: '#e879f9', // SEGV
  12: '#2dd4bf', // USR2
  13: '#a5b4fc', // PIPE
  14: '#38bdf8', // ALRM
  15: '#fb923c', // TERM
  17: '#8b9bb4', // CHLD
  18: '#a3e635', // CONT
  19: '#facc15', // STOP
  20: '#eab308', // TSTP
  28: '#94a3b8', // WINCH
};

const EXTRA = ['#7dd3fc', '#fcd34d', '#86efac', '#f9a8d4', '#c4b5fd', '#fdba74', '#67e8f9', '#d9f99d'];

export function signalColour(sig: number): string {
  return COLOURS[sig] ?? EXTRA[sig % EXTRA.length];
}

export const SIGCHLD = 17;
