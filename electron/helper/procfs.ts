// What /proc says about a process, read once when the helper first sees it.
// A pid can be reused, so the start time in /proc/PID/stat must match the
// identity the kernel reported, or what we read belongs to someone else.
import * as fs from 'node:fs';
import type { ProcessInfo } from '../common/events';

const CLOCK_TICKS = 100; // USER_HZ: sysconf(_SC_CLK_TCK) is 100 on every Linux ABI

let users: Map<number, string> | null = null;

function userName(uid: number): string | null {
  if (!users) {
    users = new Map();
    try {
      for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const fields = line.split(':');
        if (fields.length > 2) users.set(Number(fields[2]), fields[0]);
      }
    } catch {
      // no passwd file: names stay unknown
    }
  }
  return users.get(uid) ?? null;
}

/** Start time in /proc/PID/stat, in microseconds since boot (10 ms resolution). */
export function procStartMicros(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  const ticks = Number(fields[19]); // field 22 overall; fields[0] is field 3 (state)
  return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS : null;
}

/** Container id or systemd unit from a cgroup v2 path (or the v1 lines). */
export function describeCgroup(cgroupFile: string): { cgroup: string | null; container: string | null; unit: string | null } {
  const lines = cgroupFile.split('\n').filter(Boolean);
  const unified = lines.find((l) => l.startsWith('0::')) ?? lines[0];
  const cgroup = unified ? unified.slice(unified.indexOf(':', unified.indexOf(':') + 1) + 1) : null;
  if (!cgroup) return { cgroup: null, container: null, unit: null };
  const container =
    /(?:docker|cri-containerd|crio|libpod)[-/]([0-9a-f]{12,64})/.exec(cgroup)?.[1] ??
    /\/([0-9a-f]{64})(?:\.scope)?$/.exec(cgroup)?.[1] ??
    null;
  const units = cgroup.split('/').filter((part) => /\.(service|scope)$/.test(part) && !part.startsWith('docker-'));
  return { cgroup, container: container ? container.slice(0, 12) : null, unit: units.at(-1) ?? null };
}

export function readProcess(pid: number, start: number, comm: string): ProcessInfo {
  const info: ProcessInfo = {
    type: 'process-info', pid, start, comm, cmdline: [], exe: null, uid: null, user: null,
    ppid: null, cgroup: null, container: null, unit: null,
  };
  const dir = `/proc/${pid}`;
  try {
    const stat = fs.readFileSync(`${dir}/stat`, 'utf8');
    const started = procStartMicros(stat);
    // /proc counts in 10 ms ticks; the kernel's identity is exact.
    if (started === null || Math.abs(started - start) > 20_000) {
      info.error = 'The process had exited (its pid now belongs to another process).';
      return info;
    }
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') {
      info.error = 'The process had exited (a zombie) before it could be read.';
      return info;
    }
    info.comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const cmdline = fs.readFileSync(`${dir}/cmdline`);
    info.cmdline = cmdline.toString('utf8').split('\0');
    if (info.cmdline.at(-1) === '') info.cmdline.pop();
    try {
      info.exe = fs.readlinkSync(`${dir}/exe`);
    } catch {
      info.exe = null; // kernel threads have none
    }
    const status = fs.readFileSync(`${dir}/status`, 'utf8');
    const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
    if (uid) {
      info.uid = Number(uid[1]);
      info.user = userName(info.uid);
    }
    const ppid = /^PPid:\s+(\d+)/m.exec(status);
    if (ppid) info.ppid = Number(ppid[1]);
    Object.assign(info, describeCgroup(fs.readFileSync(`${dir}/cgroup`, 'utf8')));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    info.error = code === 'ENOENT' || code === 'ESRCH'
      ? 'The process had exited before it could be read.'
      : `Could not read ${dir}: ${(error as Error).message}`;
  }
  return info;
}
