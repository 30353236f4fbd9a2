// A built-in demo recording, so a first look needs no privileges. It is one
// minute of an ordinary server: a supervisor and its workers being restarted,
// an nginx reload, a crash, a user's failed kill, job control in a shell, a
// reused pid.
import { KERNEL_TASK, type ProcessInfo, type SigScopeEvent, type SignalEvent, type SignalResult, type TaskRef } from '../../electron/common/events';
import { signalLabel } from './signalInfo';

export interface Recording {
  name: string;
  events: SigScopeEvent[];
  infos: ProcessInfo[];
}

interface DemoProcess extends TaskRef {
  uid: number;
  user: string;
  ppid: number;
  parentStart: number;
  cmdline: string[];
  exe: string;
  unit: string | null;
  container: string | null;
}

const SEC = 1_000_000;

const CHILD_CODES: Record<string, [number, string]> = {
  exited: [1, 'CLD_EXITED'],
  killed: [2, 'CLD_KILLED'],
  dumped: [3, 'CLD_DUMPED'],
  stopped: [5, 'CLD_STOPPED'],
  continued: [6, 'CLD_CONTINUED'],
};

export function demoRecording(base = Date.UTC(2025, 2, 14, 9, 2, 0) * 1000): Recording {
  const bootUs = base - 3 * 3600 * SEC;
  const events: SigScopeEvent[] = [];
  const infos: ProcessInfo[] = [];
  const time = (ts: number) => new Date(Math.floor(ts / 1000)).toISOString();
  const at = (s: number) => base + Math.round(s * SEC);

  const proc = (
    pid: number,
    comm: string,
    startSec: number,
    parent: DemoProcess | null,
    o: { uid?: number; user?: string; cmdline: string[]; exe: string; unit?: string | null; container?: string | null },
  ): DemoProcess => {
    const p: DemoProcess = {
      pid,
      tid: pid,
      comm,
      start: startSec >= 0 ? at(startSec) - bootUs : Math.round((3 * 3600 + startSec) * SEC),
      uid: o.uid ?? 0,
      user: o.user ?? 'root',
      ppid: parent?.pid ?? 0,
      parentStart: parent?.start ?? 0,
      cmdline: o.cmdline,
      exe: o.exe,
      unit: o.unit ?? parent?.unit ?? null,
      container: o.container ?? null,
    };
    infos.push({
      type: 'process-info',
      pid,
      start: p.start,
      comm,
      cmdline: o.cmdline,
      exe: o.exe,
      uid: p.uid,
      user: p.user,
      ppid: p.ppid,
      cgroup: p.container ? `/system.slice/docker-${p.container}.scope` : p.unit ? `/system.slice/${p.unit}` : '/user.slice/user-1000.slice/session-3.scope',
      container: p.container,
      unit: p.unit,
    });
    return p;
  };

  const snapshot = (p: DemoProcess) =>
    events.push({ type: 'process', time: time(base), ts: base, pid: p.pid, tid: p.pid, comm: p.comm, start: p.start, uid: p.uid, ppid: p.ppid, parentStart: p.parentStart, nsPid: null });

  const fork = (s: number, parent: DemoProcess, child: DemoProcess, execComm?: string) => {
    const ts = at(s);
    events.push({ type: 'fork', time: time(ts), ts, pid: child.pid, tid: child.pid, comm: parent.comm, start: child.start, uid: child.uid, ppid: parent.pid, parentStart: parent.start, parentComm: parent.comm, nsPid: null });
    if (execComm !== undefined || child.comm !== parent.comm) {
      const ets = ts + 800;
      events.push({ type: 'exec', time: time(ets), ts: ets, pid: child.pid, tid: child.pid, comm: child.comm, start: child.start, uid: child.uid, filename: child.exe, truncated: false });
    }
  };

  const signal = (
    s: number,
    sender: TaskRef,
    target: TaskRef | null,
    sig: number,
    o: Partial<SignalEvent> & { result?: SignalResult | null } = {},
  ): SignalEvent => {
    const ts = at(s);
    const kernel = sender.pid === 0;
    const e: SignalEvent = {
      type: 'signal',
      time: time(ts),
      ts,
      sig,
      signal: signalLabel(sig),
      origin: kernel ? 'kernel' : 'user',
      syscall: kernel ? null : 'kill',
      code: kernel ? 128 : 0,
      codeName: kernel ? 'SI_KERNEL' : 'SI_USER',
      errno: null,
      ret: kernel ? null : 0,
      result: 'delivered',
      requested: kernel ? null : target?.pid ?? null,
      requestedTgid: null,
      sender: kernel ? KERNEL_TASK : { ...sender, tid: sender.tid },
      target: target ? { pid: target.pid, tid: target.tid, comm: target.comm, start: target.start } : null,
      context: null,
      senderNsPid: null,
      targetNsPid: null,
      uid: kernel ? null : (sender as DemoProcess).uid ?? 0,
      group: true,
      ...o,
    };
    if (!kernel) e.sender = { pid: sender.pid, tid: sender.tid, comm: sender.comm, start: sender.start };
    events.push(e);
    return e;
  };

  const failedKill = (s: number, sender: DemoProcess, target: DemoProcess | null, sig: number, errno: 'EPERM' | 'ESRCH', requested?: number) =>
    signal(s, sender, target, sig, {
      errno,
      ret: errno === 'EPERM' ? -1 : -3,
      result: null,
      code: null,
      codeName: null,
      requested: requested ?? target?.pid ?? null,
    });

  const exit = (s: number, p: DemoProcess, how: { code?: number; signal?: number; core?: boolean }, reap?: DemoProcess) => {
    const ts = at(s);
    events.push({
      type: 'exit',
      time: time(ts),
      ts,
      pid: p.pid,
      tid: p.pid,
      comm: p.comm,
      start: p.start,
      uid: p.uid,
      exitCode: how.signal ? null : how.code ?? 0,
      exitSignal: how.signal ? signalLabel(how.signal) : null,
      exitSig: how.signal ?? null,
      core: how.core ?? false,
    });
    if (reap) {
      const kind = how.core ? 'dumped' : how.signal ? 'killed' : 'exited';
      const [code, codeName] = CHILD_CODES[kind];
      signal(s + 0.0002, KERNEL_TASK, reap, 17, { code, codeName, context: { pid: p.pid, tid: p.pid, comm: p.comm, start: p.start } });
    }
  };

  const kernelSignal = (s: number, target: DemoProcess, sig: number, code: number, codeName: string, result: SignalResult = 'delivered') =>
    signal(s, KERNEL_TASK, target, sig, { code, codeName, result, context: { pid: target.pid, tid: target.pid, comm: target.comm, start: target.start } });

  // ---- the machine at capture start ----
  const systemd = proc(1, 'systemd', -3 * 3600 + 1, null, { cmdline: ['/sbin/init'], exe: '/usr/lib/systemd/systemd', unit: 'init.scope' });
  const sshd = proc(612, 'sshd', -3 * 3600 + 4, systemd, { cmdline: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], exe: '/usr/sbin/sshd', unit: 'ssh.service' });
  const supervisor = proc(812, 'supervisord', -3 * 3600 + 6, systemd, { cmdline: ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'], exe: '/usr/bin/python3.11', unit: 'supervisor.service' });
  const nginx = proc(900, 'nginx', -3 * 3600 + 5, systemd, { cmdline: ['nginx: master process /usr/sbin/nginx -g daemon on; master_process on;'], exe: '/usr/sbin/nginx', unit: 'nginx.service' });
  const nginxOld = [901, 902].map((pid) => proc(pid, 'nginx', -3 * 3600 + 5, nginx, { uid: 33, user: 'www-data', cmdline: ['nginx: worker process'], exe: '/usr/sbin/nginx' }));
  const dockerd = proc(1040, 'containerd-shim', -3 * 3600 + 9, systemd, { cmdline: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', '7f3a9c21d0e4'], exe: '/usr/bin/containerd-shim-runc-v2', unit: 'containerd.service' });
  const postgres = proc(1100, 'postgres', -3 * 3600 + 12, dockerd, { uid: 999, user: 'postgres', cmdline: ['postgres'], exe: '/usr/lib/postgresql/16/bin/postgres', container: '7f3a9c21d0e4', unit: null });
  const pgWorkers = [1130, 1131, 1132].map((pid, i) =>
    proc(pid, ['checkpointer', 'walwriter', 'autovacuum'][i], -3 * 3600 + 12, postgres, { uid: 999, user: 'postgres', cmdline: [`postgres: ${['checkpointer', 'walwriter', 'autovacuum launcher'][i]}`], exe: '/usr/lib/postgresql/16/bin/postgres', container: '7f3a9c21d0e4' }),
  );
  const sshSession = proc(2290, 'sshd', -1800, sshd, { cmdline: ['sshd: alice@pts/0'], exe: '/usr/sbin/sshd', unit: 'ssh.service' });
  const bash = proc(2301, 'bash', -1799, sshSession, { uid: 1000, user: 'alice', cmdline: ['-bash'], exe: '/usr/bin/bash', unit: 'session-3.scope' });
  const chrome = proc(3300, 'chrome', -900, systemd, { uid: 1000, user: 'alice', cmdline: ['/opt/google/chrome/chrome', '--headless=new', '--remote-debugging-port=9222'], exe: '/opt/google/chrome/chrome', unit: 'app-render.service' });
  const chromeRenderer = proc(3310, 'chrome', -880, chrome, { uid: 1000, user: 'alice', cmdline: ['/opt/google/chrome/chrome', '--type=renderer', '--lang=en-US'], exe: '/opt/google/chrome/chrome' });
  const cron = proc(700, 'cron', -3 * 3600 + 4, systemd, { cmdline: ['/usr/sbin/cron', '-f'], exe: '/usr/sbin/cron', unit: 'cron.service' });
  const gunicornOld = [4101, 4102].map((pid) => proc(pid, 'gunicorn', -3 * 3600 + 7, supervisor, { uid: 1001, user: 'app', cmdline: ['/srv/app/venv/bin/python3', '/srv/app/venv/bin/gunicorn', 'app:wsgi', '-w', '2'], exe: '/usr/bin/python3.11' }));
  for (const p of [systemd, sshd, cron, supervisor, nginx, ...nginxOld, dockerd, postgres, ...pgWorkers, sshSession, bash, chrome, chromeRenderer, ...gunicornOld]) snapshot(p);

  // ---- 0–6 s: supervisor starts four workers; heartbeats ----
  const workerOpts = { uid: 1001, user: 'app', cmdline: ['/srv/app/venv/bin/python3', '/srv/app/worker.py', '--queue', 'default'], exe: '/usr/bin/python3.11' };
  const workers = [4240, 4241, 4242, 4243].map((pid, i) => proc(pid, 'worker', 0.4 + i * 0.15, supervisor, workerOpts));
  workers.forEach((w, i) => fork(0.4 + i * 0.15, supervisor, w, 'worker'));
  for (let s = 1.5; s < 19; s += 2.5) {
    workers.forEach((w, i) => signal(s + i * 0.01, supervisor, w, 12)); // SIGUSR2: "report your queue depth"
  }
  for (let s = 2; s < 20; s += 4) gunicornOld.forEach((g, i) => signal(s + i * 0.02, supervisor, g, 10));

  // postgres checkpointer wake-ups
  for (let s = 1; s < 60; s += 5) signal(s, postgres, pgWorkers[0], 10);
  signal(30.1, postgres, pgWorkers[2], 12);

  // ---- 8 s: nginx reload (SIGHUP from alice's sudo), new workers, old ones told to quit ----
  const sudo = proc(2350, 'sudo', 7.9, bash, { uid: 0, user: 'root', cmdline: ['sudo', 'systemctl', 'reload', 'nginx'], exe: '/usr/bin/sudo', unit: 'session-3.scope' });
  fork(7.9, bash, sudo, 'sudo');
  const systemctl = proc(2351, 'systemctl', 7.95, sudo, { uid: 0, user: 'root', cmdline: ['systemctl', 'reload', 'nginx'], exe: '/usr/bin/systemctl', unit: 'session-3.scope' });
  fork(7.95, sudo, systemctl, 'systemctl');
  signal(8.0, systemd, nginx, 1);
  const nginxNew = [905, 906].map((pid, i) => proc(pid, 'nginx', 8.05 + i * 0.01, nginx, { uid: 33, user: 'www-data', cmdline: ['nginx: worker process'], exe: '/usr/sbin/nginx' }));
  nginxNew.forEach((w, i) => fork(8.05 + i * 0.01, nginx, w));
  nginxOld.forEach((w, i) => signal(8.1 + i * 0.01, nginx, w, 3));
  nginxOld.forEach((w, i) => exit(8.4 + i * 0.05, w, { code: 0 }, nginx));
  exit(8.5, systemctl, { code: 0 }, sudo);
  exit(8.52, sudo, { code: 0 }, bash);

  // ---- 12 s: a chrome renderer crashes ----
  kernelSignal(12.0, chromeRenderer, 11, 1, 'SEGV_MAPERR');
  exit(12.01, chromeRenderer, { signal: 11, core: true }, chrome);
  const chromeRenderer2 = proc(3390, 'chrome', 12.3, chrome, { uid: 1000, user: 'alice', cmdline: ['/opt/google/chrome/chrome', '--type=renderer', '--lang=en-US'], exe: '/opt/google/chrome/chrome' });
  fork(12.3, chrome, chromeRenderer2);

  // ---- 15 s: alice tries to kill things she does not own ----
  const kill1 = proc(2360, 'kill', 15.0, bash, { uid: 1000, user: 'alice', cmdline: ['kill', '-TERM', '1'], exe: '/usr/bin/kill', unit: 'session-3.scope' });
  fork(15.0, bash, kill1, 'kill');
  failedKill(15.01, kill1, systemd, 15, 'EPERM');
  exit(15.02, kill1, { code: 1 }, bash);
  failedKill(16.2, bash, supervisor, 9, 'EPERM');
  failedKill(16.9, bash, supervisor, 9, 'EPERM');
  failedKill(18.0, bash, null, 15, 'ESRCH', 99999);

  // ---- 20 s: systemd restarts the supervisor; one worker ignores SIGTERM and is killed ----
  signal(20.0, systemd, supervisor, 15);
  workers.forEach((w, i) => signal(20.05 + i * 0.01, supervisor, w, 15, i === 2 ? { result: 'ignored' } : {}));
  gunicornOld.forEach((g, i) => signal(20.1 + i * 0.01, supervisor, g, 15));
  [0, 1, 3].forEach((i, n) => exit(20.4 + n * 0.1, workers[i], { code: 0 }, supervisor));
  gunicornOld.forEach((g, i) => exit(20.8 + i * 0.1, g, { code: 0 }, supervisor));
  signal(25.05, supervisor, workers[2], 9);
  exit(25.06, workers[2], { signal: 9 }, supervisor);
  exit(25.3, supervisor, { code: 0 }, systemd);

  const supervisor2 = proc(4250, 'supervisord', 26.0, systemd, { cmdline: ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'], exe: '/usr/bin/python3.11', unit: 'supervisor.service' });
  fork(26.0, systemd, supervisor2, 'supervisord');
  // pid 4242 comes round again: a different process that holds the same number.
  const workers2 = [4251, 4242, 4253].map((pid, i) => proc(pid, 'worker', 26.5 + i * 0.2, supervisor2, workerOpts));
  workers2.forEach((w, i) => fork(26.5 + i * 0.2, supervisor2, w, 'worker'));
  for (let s = 28; s < 60; s += 2.5) workers2.forEach((w, i) => signal(s + i * 0.01, supervisor2, w, 12));
  signal(33.3, supervisor2, workers2[1], 10);

  // ---- 30–50 s: a python job with an interval timer, stopped with Ctrl-C ----
  const job = proc(5120, 'python3', 30.0, bash, { uid: 1000, user: 'alice', cmdline: ['python3', 'poll_metrics.py', '--interval', '2'], exe: '/usr/bin/python3.11', unit: 'session-3.scope' });
  fork(30.0, bash, job, 'python3');
  for (let s = 32; s < 50; s += 2) kernelSignal(s, job, 14, 128, 'SI_KERNEL');
  kernelSignal(50.2, job, 2, 128, 'SI_KERNEL');
  exit(50.21, job, { signal: 2 }, bash);

  // ---- 35 s: logrotate asks nginx to reopen its logs ----
  const cronJob = proc(5200, 'cron', 35.0, cron, { cmdline: ['/usr/sbin/CRON', '-f'], exe: '/usr/sbin/cron', unit: 'cron.service' });
  fork(35.0, cron, cronJob);
  const logrotate = proc(5201, 'logrotate', 35.02, cronJob, { cmdline: ['/usr/sbin/logrotate', '/etc/logrotate.conf'], exe: '/usr/sbin/logrotate', unit: 'cron.service' });
  fork(35.02, cronJob, logrotate, 'logrotate');
  signal(35.4, logrotate, nginx, 10);
  signal(35.45, logrotate, supervisor2, 1);
  exit(35.6, logrotate, { code: 0 }, cronJob);
  exit(35.62, cronJob, { code: 0 }, cron);

  // ---- 40 s: a pipeline whose reader goes away ----
  const yes = proc(5300, 'yes', 40.0, bash, { uid: 1000, user: 'alice', cmdline: ['yes'], exe: '/usr/bin/yes', unit: 'session-3.scope' });
  const head = proc(5301, 'head', 40.0, bash, { uid: 1000, user: 'alice', cmdline: ['head', '-n', '1'], exe: '/usr/bin/head', unit: 'session-3.scope' });
  fork(40.0, bash, yes, 'yes');
  fork(40.001, bash, head, 'head');
  exit(40.01, head, { code: 0 }, bash);
  kernelSignal(40.011, yes, 13, 128, 'SI_KERNEL');
  exit(40.012, yes, { signal: 13 }, bash);

  // ---- 44 s: job control in the shell ----
  const vim = proc(5400, 'vim', 43.0, bash, { uid: 1000, user: 'alice', cmdline: ['vim', 'notes.md'], exe: '/usr/bin/vim.basic', unit: 'session-3.scope' });
  fork(43.0, bash, vim, 'vim');
  kernelSignal(44.0, vim, 28, 128, 'SI_KERNEL');
  kernelSignal(44.0005, bash, 28, 128, 'SI_KERNEL');
  kernelSignal(45.0, vim, 20, 128, 'SI_KERNEL');
  signal(45.0003, KERNEL_TASK, bash, 17, { code: 5, codeName: 'CLD_STOPPED', context: vim });
  signal(48.0, bash, vim, 18);
  signal(48.0003, KERNEL_TASK, bash, 17, { code: 6, codeName: 'CLD_CONTINUED', context: vim });
  signal(55.0, bash, vim, 15);
  exit(55.01, vim, { signal: 15 }, bash);

  // ---- a signal-0 liveness probe and a thread-directed one ----
  for (let s = 5; s < 60; s += 10) signal(s, systemd, postgres, 0, { result: null, code: null, codeName: null });
  signal(52.0, supervisor2, workers2[0], 10, { syscall: 'tgkill', code: -6, codeName: 'SI_TKILL', requestedTgid: workers2[0].pid, group: false });

  events.sort((a, b) => a.ts - b.ts);
  return { name: 'Demo recording', events, infos };
}
