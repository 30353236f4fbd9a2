// Time and number formatting for the views. Timestamps are wall-clock
// microseconds since the Unix epoch.
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function clockTime(us: number, withMicros = false): string {
  const d = new Date(Math.floor(us / 1000));
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (!withMicros) return `${base}.${pad(d.getMilliseconds(), 3)}`;
  return `${base}.${pad(Math.floor(us % 1_000_000), 6)}`;
}

export function dateTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(us)}`;
}

export function duration(us: number): string {
  const a = Math.abs(us);
  if (a < 1000) return `${Math.round(us)} µs`;
  if (a < 1_000_000) return `${(us / 1000).toFixed(a < 10_000 ? 2 : 0)} ms`;
  if (a < 60_000_000) return `${(us / 1_000_000).toFixed(a < 10_000_000 ? 2 : 1)} s`;
  const m = Math.floor(a / 60_000_000);
  const s = Math.round((a % 60_000_000) / 1_000_000);
  return `${us < 0 ? '-' : ''}${m} min ${s} s`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
