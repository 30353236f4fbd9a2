// Waiting on real processes and real state, polled, with a bound.
import * as fs from 'node:fs';

/** The process exists and has not exited (a zombie counts as exited). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Milliseconds until condition held, or -1 if it did not within ms. */
export async function elapsedUntil(condition: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) return -1;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

/** Waits until condition holds; throws naming what was awaited when it does not within ms. */
export async function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  if ((await elapsedUntil(condition, ms)) < 0) throw new Error(`timed out waiting for ${what}`);
}
