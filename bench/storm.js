#!/usr/bin/env node
'use strict';
/*
 * Signal-storm benchmark: the same 1M kill() storm untraced, under
 * `sigscope record`, under libbpf-tools sigsnoop and killsnoop, and under a
 * killsnoop-style bpftrace script, in one run, R rounds, medians reported as
 * ratios of the untraced rate measured in the same round. Also the cost on an
 * unrelated syscall (a getpid() loop) under each tracer.
 *
 *   sudo node bench/storm.js [options]     (see --help)
 *
 * Plain Node, no dependencies, no build step. docs/benchmarks.md explains the
 * method and holds the figures.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const STORM_SRC = path.join(__dirname, 'storm.c');
const STORM_BIN = path.join(ROOT, 'build', 'bench', 'storm');
const SIGSCOPE_BIN = path.join(ROOT, 'bin', 'sigscope.js');
const ALL_TRACERS = ['untraced', 'sigscope', 'sigscope-rawtp', 'sigscope-nosyscalls', 'sigsnoop', 'killsnoop', 'bpftrace'];

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opt = {
    rounds: 3,
    calls: 1000000,
    getpidCalls: 10000000,
    tracers: ALL_TRACERS.slice(),
    outDir: path.join(__dirname, 'results'),
    keep: false,
    handle: false,
    svg: true,
    sigscopeCmd: null,
    attachTimeout: 60,
    drainTimeout: 120,
  };
  const need = (i) => {
    if (i + 1 >= argv.length) die(`option ${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-r': case '--rounds': opt.rounds = posInt(need(i), a); i++; break;
      case '-n': case '--calls': opt.calls = posInt(need(i), a); i++; break;
      case '--getpid-calls': opt.getpidCalls = nonNegInt(need(i), a); i++; break;
      case '-t': case '--tracers': {
        const list = need(i).split(',').map((s) => s.trim()).filter(Boolean); i++;
        for (const t of list) if (!ALL_TRACERS.includes(t)) die(`unknown tracer ${t} (known: ${ALL_TRACERS.join(', ')})`);
        if (!list.includes('untraced')) list.unshift('untraced');
        opt.tracers = ALL_TRACERS.filter((t) => list.includes(t));
        break;
      }
      case '-o': case '--out-dir': opt.outDir = path.resolve(need(i)); i++; break;
      case '--keep': opt.keep = true; break;
      case '--handle': opt.handle = true; break;
      case '--no-svg': opt.svg = false; break;
      case '--sigscope-cmd': opt.sigscopeCmd = need(i); i++; break;
      case '--attach-timeout': opt.attachTimeout = posInt(need(i), a); i++; break;
      case '--drain-timeout': opt.drainTimeout = posInt(need(i), a); i++; break;
      case '-h': case '--help': usage(); process.exit(0); break;
      default: die(`unknown option ${a} (try --help)`);
    }
  }
  return opt;
}

function usage() {
  process.stdout.write(`usage: sudo node bench/storm.js [options]

Runs the same kill() storm untraced and under each tracer, R rounds, in one run.

  -r, --rounds R          rounds (default 3); medians are reported
  -n, --calls N           kill() calls per storm (default 1000000)
      --getpid-calls N    getpid() calls per unrelated-syscall run (default 10000000, 0 = skip)
  -t, --tracers LIST      comma list from: ${ALL_TRACERS.join(',')} (default: all;
                          untraced is always included)
  -o, --out-dir DIR       where the JSON and SVG results go (default bench/results)
      --keep              keep the tracers' output files (in a temp dir, printed)
      --handle            the target handles SIGUSR1 instead of ignoring it (signals
                          are then delivered, or coalesce while one is pending)
      --no-svg            don't write the SVG chart
      --sigscope-cmd CMD  command line for sigscope, "{out}" is replaced by the
                          recording path (default: node bin/sigscope.js record --out {out})
      --attach-timeout S  seconds to wait for a tracer to attach (default 60)
      --drain-timeout S   seconds to wait for a tracer's output to settle (default 120)
`);
}

function posInt(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) die(`${name}: expected a positive integer, got ${s}`);
  return n;
}
function nonNegInt(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) die(`${name}: expected an integer >= 0, got ${s}`);
  return n;
}

function die(msg) {
  process.stderr.write(`storm.js: ${msg}\n`);
  process.exit(1);
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- setup

function buildStorm() {
  let stale = true;
  try {
    stale = fs.statSync(STORM_BIN).mtimeMs < fs.statSync(STORM_SRC).mtimeMs;
  } catch (_) { /* missing: build */ }
  if (!stale) return;
  fs.mkdirSync(path.dirname(STORM_BIN), { recursive: true });
  const cc = process.env.CC || 'cc';
  log(`building ${path.relative(ROOT, STORM_BIN)} (${cc} -O2)`);
  const r = spawnSync(cc, ['-O2', '-Wall', '-o', STORM_BIN, STORM_SRC], { stdio: 'inherit' });
  if (r.error) die(`cannot run ${cc}: ${r.error.message} (install a C compiler: apt-get install gcc)`);
  if (r.status !== 0) die(`${cc} failed building ${STORM_SRC}`);
}

function ensureTracefs() {
  if (fs.existsSync('/sys/kernel/tracing/events/syscalls')) return null;
  if (fs.existsSync('/sys/kernel/debug/tracing/events/syscalls')) return null;
  const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing'], { encoding: 'utf8' });
  if (fs.existsSync('/sys/kernel/tracing/events/syscalls')) {
    log('mounted tracefs on /sys/kernel/tracing (the peers attach to classic tracepoints)');
    return null;
  }
  return `tracefs is not mounted and mounting it failed: ${(r.stderr || r.error || '').toString().trim()}`;
}

function findBinary(name) {
  const dirs = (process.env.PATH || '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']);
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch (_) { /* next */ }
  }
  return null;
}

// ---------------------------------------------------------------- tracers

const BPFTRACE_SCRIPT = `
BEGIN { printf("READY\\n"); }
tracepoint:syscalls:sys_enter_kill { @tpid[tid] = args->pid; @tsig[tid] = args->sig; }
tracepoint:syscalls:sys_exit_kill /@tpid[tid]/ {
  printf("K %d %s %d %d %d\\n", pid, comm, @tsig[tid], @tpid[tid], args->ret);
  delete(@tpid[tid]); delete(@tsig[tid]);
}
END { clear(@tpid); clear(@tsig); }
`;

/* Each tracer: check() -> null when usable or a reason string; command(files)
 * -> [file, args]; count(files, storm) -> {captured, lost, ...}. */
function makeTracers(opt, tracefsProblem) {
  const T = {};

  T.untraced = { name: 'untraced', label: 'untraced', check: () => null };

  T.sigscope = {
    name: 'sigscope',
    label: 'sigscope record',
    check() {
      if (opt.sigscopeCmd) return null;
      if (!fs.existsSync(SIGSCOPE_BIN)) return `${path.relative(ROOT, SIGSCOPE_BIN)} not found (build the project first: npm run build)`;
      const r = spawnSync(process.execPath, [SIGSCOPE_BIN, '--help'], { encoding: 'utf8', timeout: 30000 });
      const text = `${r.stdout || ''}${r.stderr || ''}`;
      if (r.error || r.status !== 0) return `\`node bin/sigscope.js --help\` failed: ${firstLines(text || String(r.error), 3)}`;
      if (!/\brecord\b/.test(text)) return '`sigscope --help` lists no `record` command yet';
      return null;
    },
    command(f) {
      if (opt.sigscopeCmd) {
        const parts = opt.sigscopeCmd.split(/\s+/).filter(Boolean).map((p) => p.replace('{out}', f.out));
        return [parts[0], parts.slice(1)];
      }
      return [process.execPath, [SIGSCOPE_BIN, 'record', '--out', f.out]];
    },
    // the recording is the output; the process's own stdout/stderr go to files
    outputIsFile: true,
    async count(f, storm) {
      let captured = 0, lines = 0, signals = 0, stats = null, header = false, bad = 0;
      const needle = `"pid":${storm.pid}`;
      if (!fs.existsSync(f.out)) return { captured: 0, lost: null, error: 'no recording written' };
      const recordingBytes = fs.statSync(f.out).size;
      // the recording may be NDJSON or SigScope's binary format: convert the
      // latter with `sigscope export` (after the storm, so it costs the storm nothing)
      let ndjson = f.out;
      if (!startsWithBrace(f.out)) {
        ndjson = `${f.out}.export.ndjson`;
        f.exported = ndjson;
        const r = spawnSync(process.execPath, [SIGSCOPE_BIN, 'export', f.out, '--format', 'ndjson', '--out', ndjson],
          { encoding: 'utf8', timeout: 600000, stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.error || r.status !== 0) {
          return { captured: 0, lost: null, recordingBytes, error: `sigscope export failed: ${firstLines(r.stderr || String(r.error), 3)}` };
        }
      }
      await eachLine(ndjson, (line) => {
        lines++;
        if (line.includes('"type":"signal"')) {
          signals++;
          if (!line.includes(needle)) return;
          let e;
          try { e = JSON.parse(line); } catch (_) { bad++; return; }
          if (e.sender && e.target && e.sender.pid === storm.pid && e.target.pid === storm.target && e.sig === storm.sig) captured++;
        } else if (line.includes('"type":"stats"')) {
          // written periodically; the last one has the final totals
          try { stats = JSON.parse(line); } catch (_) { bad++; }
        } else if (line.includes('"type":"header"')) {
          header = true;
        }
      });
      // the CLI's summary on stderr: "...; N kernel records, 0 lost" or "N LOST: ..."
      const summary = safeRead(f.stderr);
      const m = summary.match(/(\d+) kernel records, (?:(\d+) LOST|0 lost)/);
      const summaryDrops = m ? Number(m[2] || 0) : null;
      const fileDrops = stats ? sumDrops(stats.drops) : null;
      const lost = fileDrops == null ? summaryDrops : summaryDrops == null ? fileDrops : Math.max(fileDrops, summaryDrops);
      return {
        captured,
        lost,
        statsEvents: stats ? stats.events : m ? Number(m[1]) : null,
        recordingLines: lines,
        recordingBytes,
        signalLines: signals,
        badLines: bad,
        header,
        error: lost == null ? 'no drop count: neither a stats line in the recording nor a summary on stderr' : undefined,
      };
    },
  };

  // variants: the syscalls traced through raw_tp/sys_enter and sys_exit instead
  // of the per-syscall tracepoints; or not traced at all (signal_generate
  // only). They differ most in what they cost unrelated syscalls.
  const variant = (name, flag) => {
    T[name] = {
      ...T.sigscope,
      name,
      label: `sigscope record ${flag}`,
      check() {
        const why = T.sigscope.check();
        if (why || opt.sigscopeCmd) return why;
        const r = spawnSync(process.execPath, [SIGSCOPE_BIN, '--help'], { encoding: 'utf8', timeout: 30000 });
        return `${r.stdout}${r.stderr}`.includes(flag) ? null : `\`sigscope --help\` has no ${flag} option`;
      },
      command(f) {
        const [file, args] = T.sigscope.command(f);
        return [file, args.concat([flag])];
      },
    };
  };
  variant('sigscope-rawtp', '--raw-tp');
  variant('sigscope-nosyscalls', '--no-syscalls');

  const peer = (name, bin, args) => ({
    name,
    label: name,
    bin: null,
    check() {
      this.bin = findBinary(bin);
      if (!this.bin) return `${bin} not installed (apt-get install ${bin === 'bpftrace' ? 'bpftrace' : 'libbpf-tools'})`;
      if (tracefsProblem) return tracefsProblem;
      return null;
    },
    command() {
      return [this.bin, args];
    },
  });

  // sigsnoop: tp signal_generate; killsnoop (Debian installs it as a link to
  // sigsnoop, which then behaves as `sigsnoop -k`): sys_enter/exit of kill,
  // tkill, tgkill. Both print "TIME PID COMM SIG TPID RESULT" lines and
  // "lost N events on CPU #C" on stderr when the perf buffer overflows.
  for (const name of ['sigsnoop', 'killsnoop']) {
    T[name] = peer(name, name, []);
    T[name].count = async (f, storm) => {
      let captured = 0, lostInStdout = 0;
      await eachLine(f.stdout, (line) => {
        lostInStdout += lostIn(line);
        const t = line.trim().split(/\s+/);
        if (t.length < 6) return;
        // COMM may contain spaces: take PID from the front, SIG/TPID from the back
        if (Number(t[1]) === storm.pid && Number(t[t.length - 3]) === storm.sig && Number(t[t.length - 2]) === storm.target) captured++;
      });
      return { captured, lost: lostInStdout + lostIn(safeRead(f.stderr)) };
    };
  }

  T.bpftrace = peer('bpftrace', 'bpftrace', ['-e', BPFTRACE_SCRIPT]);
  T.bpftrace.label = 'bpftrace (killsnoop-style)';
  T.bpftrace.count = async (f, storm) => {
    // bpftrace prints "Lost N events" on stdout, among the event lines
    let captured = 0, lostInStdout = 0;
    await eachLine(f.stdout, (line) => {
      if (!line.startsWith('K ')) {
        lostInStdout += lostIn(line);
        return;
      }
      const t = line.split(' ');
      // K pid comm... sig tpid ret
      if (Number(t[1]) === storm.pid && Number(t[t.length - 3]) === storm.sig && Number(t[t.length - 2]) === storm.target) captured++;
    });
    return { captured, lost: lostInStdout + lostIn(safeRead(f.stderr)) };
  };

  return opt.tracers.map((n) => T[n]);
}

function sumDrops(d) {
  if (d == null) return null;
  if (typeof d === 'number') return d;
  if (Array.isArray(d)) return d.reduce((a, b) => a + (Number(b) || 0), 0);
  if (typeof d === 'object') {
    if (typeof d.total === 'number') return d.total;
    return Object.values(d).reduce((a, b) => a + (Number(b) || 0), 0);
  }
  return Number(d) || 0;
}

/* "lost N events on CPU #C" (libbpf-tools), "Lost N events" (bpftrace) */
function lostIn(text) {
  let lost = 0;
  if (!/lost/i.test(text)) return 0;
  for (const m of text.matchAll(/lost (\d+) events/gi)) lost += Number(m[1]);
  return lost;
}

function startsWithBrace(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    return fs.readSync(fd, b, 0, 1, 0) === 1 && b[0] === 0x7b;
  } finally {
    fs.closeSync(fd);
  }
}

function firstLines(s, n) {
  return String(s).trim().split('\n').slice(0, n).join(' | ');
}

async function eachLine(file, fn) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) fn(line);
}

// ---------------------------------------------------------------- processes

/* pids of proc and all its descendants */
function processTree(rootPid) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); } catch (_) { continue; }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(d));
  }
  const out = [];
  const todo = [rootPid];
  while (todo.length) {
    const p = todo.pop();
    out.push(p);
    for (const c of children.get(p) || []) todo.push(c);
  }
  return out;
}

/* BPF objects held by a process tree: programs, links, perf events */
function bpfFds(rootPid) {
  const n = { progs: 0, links: 0, perf: 0 };
  for (const p of processTree(rootPid)) {
    let fds;
    try { fds = fs.readdirSync(`/proc/${p}/fd`); } catch (_) { continue; }
    for (const fd of fds) {
      let l;
      try { l = fs.readlinkSync(`/proc/${p}/fd/${fd}`); } catch (_) { continue; }
      if (l === 'anon_inode:bpf-prog') n.progs++;
      else if (l === 'anon_inode:bpf_link') n.links++;
      else if (l === 'anon_inode:[perf_event]') n.perf++;
    }
  }
  return n;
}

/* BPF tracing programs loaded by anyone else (other tools, tests running on
 * the same machine) when a session starts: they slow the "untraced" storm too,
 * so the run records them. null when bpftool is not there. */
const TRACING_TYPES = new Set(['tracepoint', 'raw_tracepoint', 'raw_tracepoint_writable', 'tracing', 'kprobe', 'perf_event']);
function foreignBpf() {
  const r = spawnSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8', timeout: 10000 });
  if (r.error || r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout).filter((p) => TRACING_TYPES.has(p.type)).map((p) => `${p.type}/${p.name || p.id}`);
  } catch (_) {
    return null;
  }
}

function startProcess(file, args, files) {
  const out = fs.openSync(files.stdout, 'w');
  const err = fs.openSync(files.stderr, 'w');
  const child = spawn(file, args, { stdio: ['ignore', out, err], cwd: ROOT });
  fs.closeSync(out);
  fs.closeSync(err);
  const state = { child, exited: false, code: null, signal: null, spawnError: null };
  state.done = new Promise((resolve) => {
    child.on('error', (e) => { state.spawnError = e; state.exited = true; resolve(); });
    child.on('exit', (code, signal) => { state.exited = true; state.code = code; state.signal = signal; resolve(); });
  });
  return state;
}

/* Attached = the tracer's process tree holds at least one BPF program and at
 * least one attachment (bpf_link or perf_event fd), and that has not changed
 * for 400 ms. Then a short grace period. */
async function waitAttached(proc, files, timeoutS) {
  const t0 = Date.now();
  let last = '', since = Date.now();
  while (Date.now() - t0 < timeoutS * 1000) {
    if (proc.exited) {
      throw new Error(`exited before attaching (${proc.spawnError ? proc.spawnError.message : `code ${proc.code}, signal ${proc.signal}`}): ${firstLines(safeRead(files.stderr), 4)}`);
    }
    const n = bpfFds(proc.child.pid);
    const sig = `${n.progs}/${n.links}/${n.perf}`;
    if (sig !== last) {
      last = sig;
      since = Date.now();
    } else if (n.progs > 0 && n.links + n.perf > 0 && Date.now() - since >= 400) {
      await sleep(200);
      return { ms: Date.now() - t0, fds: n };
    }
    await sleep(50);
  }
  throw new Error(`not attached after ${timeoutS} s (BPF fds: ${last})`);
}

function safeRead(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch (_) { return ''; }
}

/* Wait until the tracer's output stops growing (it has caught up with the
 * storm): size unchanged for 800 ms. */
async function waitDrained(files, timeoutS, proc) {
  const t0 = Date.now();
  let last = -1, since = Date.now();
  while (Date.now() - t0 < timeoutS * 1000) {
    if (proc.exited) break;
    let size = 0;
    for (const f of files) {
      try { size += fs.statSync(f).size; } catch (_) { /* not yet */ }
    }
    if (size !== last) {
      last = size;
      since = Date.now();
    } else if (Date.now() - since >= 800) {
      return { ms: Date.now() - t0, timedOut: false };
    }
    await sleep(100);
  }
  return { ms: Date.now() - t0, timedOut: !proc.exited };
}

async function stopProcess(proc, timeoutS = 30) {
  if (proc.exited) return { how: 'already exited' };
  const t0 = Date.now();
  const steps = [['SIGINT', timeoutS * 1000], ['SIGTERM', 5000], ['SIGKILL', 5000]];
  for (const [sig, ms] of steps) {
    try { proc.child.kill(sig); } catch (_) { /* gone */ }
    let timer;
    const ok = await Promise.race([
      proc.done.then(() => true),
      new Promise((r) => { timer = setTimeout(() => r(false), ms); }),
    ]);
    clearTimeout(timer);
    if (ok) return { how: sig, ms: Date.now() - t0 };
  }
  return { how: 'did not exit', ms: Date.now() - t0 };
}

/* Start the storm generator; it forks its target, prints its pids, and waits
 * for a byte on stdin before the first call. */
function prepareStorm(mode, calls, handle) {
  const args = ['--mode', mode, '--calls', String(calls), '--ready', '--wait-stdin'];
  if (handle) args.push('--handle');
  const child = spawn(STORM_BIN, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = [];
  let err = '';
  let onLine = null;
  const rl = readline.createInterface({ input: child.stdout });
  rl.on('line', (l) => {
    lines.push(l);
    if (onLine) onLine();
  });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const nextLine = (i) => new Promise((resolve, reject) => {
    const check = () => {
      if (lines.length > i) { onLine = null; resolve(JSON.parse(lines[i])); }
    };
    onLine = check;
    check();
    exited.then((code) => {
      setImmediate(() => {
        if (lines.length <= i) reject(new Error(`storm exited (code ${code}) without output: ${err.trim()}`));
      });
    });
  });
  return {
    ready: nextLine(0),
    async go() {
      child.stdin.end('g');
      const res = await nextLine(1);
      await exited;
      if (res.errors) throw new Error(`storm: ${res.errors} of ${res.calls} calls failed`);
      return res;
    },
    abort() {
      child.stdin.destroy();
      try { child.kill('SIGKILL'); } catch (_) { /* gone */ }
    },
  };
}

// ---------------------------------------------------------------- one session

async function session(tracer, round, opt, tmp) {
  const rec = { tracer: tracer.name, round };
  const base = path.join(tmp, `${tracer.name}-r${round}`);
  const files = { stdout: `${base}.stdout`, stderr: `${base}.stderr`, out: `${base}.rec` };

  // fork the storm processes first, so their pids exist before tracing starts
  const killStorm = prepareStorm('kill', opt.calls, opt.handle);
  const getpidStorm = opt.getpidCalls > 0 ? prepareStorm('getpid', opt.getpidCalls) : null;
  const ready = await killStorm.ready;
  if (getpidStorm) await getpidStorm.ready;

  rec.foreignBpf = foreignBpf();
  let proc = null;
  try {
    if (tracer.name !== 'untraced') {
      const [file, args] = tracer.command(files);
      proc = startProcess(file, args, files);
      const a = await waitAttached(proc, files, opt.attachTimeout);
      rec.attachMs = a.ms;
      rec.bpfFds = a.fds;
    }
    if (getpidStorm) {
      const g = await getpidStorm.go();
      rec.getpid = { calls: g.calls, seconds: g.seconds, rate: g.rate };
    }
    const k = await killStorm.go();
    rec.kill = { calls: k.calls, seconds: k.seconds, rate: k.rate };
    rec.pids = { sender: ready.pid, target: ready.target };
    if (proc) {
      if (proc.exited) throw new Error(`exited during the storm: ${firstLines(safeRead(files.stderr), 4)}`);
      const watch = tracer.outputIsFile ? [files.out, files.stdout] : [files.stdout];
      const d = await waitDrained(watch, opt.drainTimeout, proc);
      rec.drainMs = d.ms;
      if (d.timedOut) rec.drainTimedOut = true;
      const s = await stopProcess(proc);
      rec.stop = s;
      rec.exitCode = proc.code;
      const c = await tracer.count(files, { pid: ready.pid, target: ready.target, sig: k.sig, calls: k.calls });
      Object.assign(rec, c);
      rec.missing = k.calls - c.captured;
      rec.stderrTail = lastLines(safeRead(files.stderr), 3);
    }
  } catch (e) {
    rec.error = e.message;
    killStorm.abort();
    if (getpidStorm) getpidStorm.abort();
    if (proc) await stopProcess(proc, 5);
  } finally {
    if (!opt.keep) for (const f of Object.values(files)) fs.rmSync(f, { force: true });
  }
  return rec;
}

function lastLines(s, n) {
  return s.trim().split('\n').filter(Boolean).slice(-n);
}

// ---------------------------------------------------------------- summary

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function summarize(runs, tracers, opt) {
  const byRound = new Map();
  for (const r of runs) {
    if (!byRound.has(r.round)) byRound.set(r.round, {});
    byRound.get(r.round)[r.tracer] = r;
  }
  const rounds = [...byRound.values()];
  const rows = [];
  const rateOf = (name, key) => median(runs.filter((r) => r.tracer === name && !r.error && r[key]).map((r) => r[key].rate));
  const uKill = rateOf('untraced', 'kill');
  const uGetpid = rateOf('untraced', 'getpid');
  const sKill = rateOf('sigsnoop', 'kill');
  const div = (a, b) => (a == null || b == null || !b ? null : a / b);
  for (const t of tracers) {
    const mine = runs.filter((r) => r.tracer === t.name);
    const ok = mine.filter((r) => !r.error && r.kill);
    // per-round ratios (against the untraced run of the same round) are kept
    // in the JSON; the headline is the ratio of the medians, which a burst of
    // load from something else on the machine in one round moves less
    const ratios = [], gpRatios = [];
    for (const rd of rounds) {
      const u = rd.untraced, x = rd[t.name];
      if (!x || x.error || !x.kill || !u || u.error || !u.kill) continue;
      ratios.push(x.kill.rate / u.kill.rate);
      if (x.getpid && u.getpid) gpRatios.push(x.getpid.rate / u.getpid.rate);
    }
    const killRate = median(ok.map((r) => r.kill.rate));
    const getpidRate = median(ok.map((r) => r.getpid && r.getpid.rate));
    rows.push({
      tracer: t.name,
      label: t.label,
      rounds: ok.length,
      errors: mine.filter((r) => r.error).map((r) => `round ${r.round}: ${r.error}`),
      killRate,
      ratio: div(killRate, uKill),
      perRoundRatios: ratios,
      getpidRate,
      getpidRatio: div(getpidRate, uGetpid),
      perRoundGetpidRatios: gpRatios,
      vsSigsnoop: t.name === 'sigsnoop' ? null : div(killRate, sKill),
      captured: t.name === 'untraced' ? null : ok.map((r) => r.captured),
      lost: t.name === 'untraced' ? null : ok.map((r) => r.lost),
      missing: t.name === 'untraced' ? null : ok.map((r) => r.missing),
      // how long after the storm's end the tracer's output kept growing
      // (less the 0.8 s of quiet that ends the wait)
      catchUpS: t.name === 'untraced' ? null : median(ok.map((r) => (r.drainMs == null ? null : Math.max(0, r.drainMs - 800) / 1000))),
    });
  }
  return rows;
}

const fmtRate = (x) => (x == null ? '–' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`);
const fmtPct = (x) => (x == null ? '–' : `${(x * 100).toFixed(1)} %`);
const fmtList = (xs, f = (x) => String(x)) => (!xs || !xs.length ? '–' : xs.map((x) => (x == null ? '?' : f(x))).join(' / '));

function table(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function report(rows, runs, opt, skipped) {
  const out = [];
  out.push(`kill() storm: ${opt.calls.toLocaleString('en-US')} calls of kill(target, SIGUSR1), target ${opt.handle ? 'handles' : 'ignores'} it; ${opt.rounds} round(s); medians, ratios of medians`);
  out.push('');
  out.push(table(
    ['tracer', 'kill()/s', 'vs untraced', 'captured (per round)', 'lost, reported', 'missing (calls - captured)', 'output done after'],
    rows.map((r) => [
      r.label,
      fmtRate(r.killRate),
      r.tracer === 'untraced' ? '100 %' : fmtPct(r.ratio),
      fmtList(r.captured),
      fmtList(r.lost),
      fmtList(r.missing),
      r.catchUpS == null ? '–' : `${r.catchUpS.toFixed(1)} s`,
    ]),
  ));
  const ss = rows.find((r) => r.tracer === 'sigscope');
  if (ss && ss.vsSigsnoop != null) out.push(`\nsigscope record vs sigsnoop (kill()/s, ratio of medians): ${ss.vsSigsnoop.toFixed(2)}x`);
  if (opt.getpidCalls > 0) {
    out.push('');
    out.push(`unrelated syscalls: ${opt.getpidCalls.toLocaleString('en-US')} x syscall(SYS_getpid); medians, ratios of medians`);
    out.push('');
    out.push(table(
      ['tracer', 'getpid()/s', 'vs untraced', 'slowdown'],
      rows.map((r) => [
        r.label,
        fmtRate(r.getpidRate),
        r.tracer === 'untraced' ? '100 %' : fmtPct(r.getpidRatio),
        r.tracer === 'untraced' || r.getpidRatio == null ? '–' : fmtPct(1 - r.getpidRatio),
      ]),
    ));
  }
  const notes = [];
  const busy = runs.filter((r) => r.foreignBpf && r.foreignBpf.length);
  if (busy.length) notes.push(`${busy.length} of ${runs.length} sessions started while other BPF tracing programs were loaded (someone else tracing): their rates are less comparable`);
  for (const [n, why] of skipped) notes.push(`skipped ${n}: ${why}`);
  for (const r of rows) for (const e of r.errors) notes.push(`${r.tracer} ${e}`);
  if (notes.length) out.push('\n' + notes.join('\n'));
  return out.join('\n');
}

// ---------------------------------------------------------------- SVG

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function svgChart(rows, opt, when) {
  const panels = [{ title: `kill() storm rate, % of untraced (${opt.calls.toLocaleString('en-US')} calls, median of ${opt.rounds})`, key: 'ratio', target: 0.5, targetLabel: 'target 50 %' }];
  if (opt.getpidCalls > 0) panels.push({ title: 'getpid() loop rate, % of untraced (unrelated syscalls)', key: 'getpidRatio', target: 0.95, targetLabel: 'target 95 %' });
  const labelW = 200, barMax = 480, W = labelW + 1.2 * barMax + 70, barH = 22, gap = 8;
  let y = 20;
  const parts = [];
  parts.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">SigScope signal-storm benchmark — ${esc(when)}</text>`);
  y += 20;
  for (const p of panels) {
    y += 16;
    parts.push(`<text x="10" y="${y}" font-size="13">${esc(p.title)}</text>`);
    y += 10;
    const y0 = y;
    for (const r of rows) {
      const v = r.tracer === 'untraced' ? 1 : r[p.key];
      const wBar = v == null ? 0 : Math.min(v, 1.2) * barMax;
      const color = r.tracer === 'untraced' ? '#9e9e9e' : r.tracer.startsWith('sigscope') ? '#1565c0' : '#ef6c00';
      parts.push(`<text x="${labelW - 8}" y="${y + barH * 0.7}" font-size="12" text-anchor="end">${esc(r.label)}</text>`);
      if (v == null) {
        parts.push(`<text x="${labelW + 4}" y="${y + barH * 0.7}" font-size="12" fill="#777">not measured</text>`);
      } else {
        parts.push(`<rect x="${labelW}" y="${y}" width="${wBar.toFixed(1)}" height="${barH}" fill="${color}"/>`);
        parts.push(`<text x="${labelW + wBar + 4}" y="${y + barH * 0.7}" font-size="12">${esc(fmtPct(v))}</text>`);
      }
      y += barH + gap;
    }
    const tx = labelW + p.target * barMax;
    parts.push(`<line x1="${tx}" y1="${y0 - 4}" x2="${tx}" y2="${y - gap + 4}" stroke="#c62828" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${tx + 3}" y="${y + 8}" font-size="11" fill="#c62828">${esc(p.targetLabel)}</text>`);
    const ux = labelW + barMax;
    parts.push(`<line x1="${ux}" y1="${y0 - 4}" x2="${ux}" y2="${y - gap + 4}" stroke="#555" stroke-width="0.5"/>`);
    y += 20;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 10}" viewBox="0 0 ${W} ${y + 10}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

// ---------------------------------------------------------------- main

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (process.getuid && process.getuid() !== 0) {
    die('the tracers need root: run `sudo node bench/storm.js` (or with CAP_BPF and CAP_PERFMON)');
  }
  buildStorm();
  const tracefsProblem = ensureTracefs();
  const all = makeTracers(opt, tracefsProblem);
  const tracers = [];
  const skipped = [];
  for (const t of all) {
    const why = t.check();
    if (why) {
      log(`skipping ${t.name}: ${why}`);
      skipped.push([t.name, why]);
    } else tracers.push(t);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-bench-'));
  log(`${tracers.length} tracer(s): ${tracers.map((t) => t.name).join(', ')}; ${opt.rounds} round(s) of ${opt.calls} kill() calls` +
    (opt.getpidCalls ? ` and ${opt.getpidCalls} getpid() calls` : '') + `; ${os.cpus().length} CPUs`);

  const started = new Date();
  const runs = [];
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) process.exit(130);
    stopping = true;
    log('interrupted: finishing the current session, then reporting (Ctrl-C again to quit now)');
  });

  for (let round = 1; round <= opt.rounds && !stopping; round++) {
    // rotate the order every round so slow drift on the machine doesn't
    // always hit the same tracer
    const k = (round - 1) % tracers.length;
    const order = tracers.slice(k).concat(tracers.slice(0, k));
    for (const t of order) {
      if (stopping) break;
      log(`round ${round}/${opt.rounds}: ${t.label} ...`);
      const t0 = Date.now();
      const r = await session(t, round, opt, tmp);
      runs.push(r);
      if (r.error) log(`round ${round}/${opt.rounds}: ${t.label}: FAILED: ${r.error}`);
      else {
        let msg = `round ${round}/${opt.rounds}: ${t.label}: kill ${fmtRate(r.kill.rate)}/s`;
        if (r.getpid) msg += `, getpid ${fmtRate(r.getpid.rate)}/s`;
        if (t.name !== 'untraced') msg += `, captured ${r.captured}, lost ${r.lost == null ? '?' : r.lost}, missing ${r.missing}, attach ${r.attachMs} ms, drain ${r.drainMs} ms`;
        if (r.drainTimedOut) msg += ' (drain timed out)';
        if (r.foreignBpf && r.foreignBpf.length) msg += ` [${r.foreignBpf.length} other BPF tracing program(s) were loaded: ${r.foreignBpf.slice(0, 4).join(', ')}]`;
        log(`${msg} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
      await sleep(500);
    }
  }

  const rows = summarize(runs, tracers, opt);
  const text = report(rows, runs, opt, skipped);
  process.stdout.write(text + '\n');

  fs.mkdirSync(opt.outDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
  const result = {
    benchmark: 'sigscope-storm',
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: { kernel: os.release(), cpus: os.cpus().length, cpuModel: (os.cpus()[0] || {}).model, node: process.version },
    options: { rounds: opt.rounds, calls: opt.calls, getpidCalls: opt.getpidCalls, tracers: opt.tracers, handle: opt.handle },
    skipped: Object.fromEntries(skipped),
    summary: rows,
    runs,
    table: text,
  };
  const jsonFile = path.join(opt.outDir, `storm-${stamp}.json`);
  fs.writeFileSync(jsonFile, JSON.stringify(result, null, 2) + '\n');
  fs.copyFileSync(jsonFile, path.join(opt.outDir, 'latest.json'));
  log(`results: ${path.relative(process.cwd(), jsonFile)}`);
  if (opt.svg) {
    const svgFile = path.join(opt.outDir, `storm-${stamp}.svg`);
    fs.writeFileSync(svgFile, svgChart(rows, opt, started.toISOString().slice(0, 16).replace('T', ' ')));
    fs.copyFileSync(svgFile, path.join(opt.outDir, 'latest.svg'));
    log(`chart: ${path.relative(process.cwd(), svgFile)}`);
  }
  if (opt.keep) log(`tracer outputs kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`storm.js: ${e.stack || e}\n`);
  process.exit(1);
});
