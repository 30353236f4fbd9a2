#!/usr/bin/env node
'use strict';
/*
 * Recording benchmark: size on disk, open time and memory, export rates.
 *
 *   node bench/recording.js [--events N] [--real]
 *
 * - writes a synthetic 1M-event storm recording (one process kill()s another,
 *   SIGUSR1, "ignored", 1-4 µs apart with the odd pause) and reports bytes per
 *   event and the write rate;
 * - with --real (root, after `npm run build`): records the real 1M kill()
 *   storm of bench/storm.c with `sigscope record` and reports its bytes per
 *   event too;
 * - opens the recording in a fresh process and reads every event: time, peak
 *   RSS and heap; then the same keeping every event in an array;
 * - exports it to Perfetto and CSV: events per second.
 *
 * Needs the TypeScript build (npx tsc -p tsconfig.json). Targets: issue 4.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const args = process.argv.slice(2);
const N = args.includes('--events') ? Number(args[args.indexOf('--events') + 1]) : 1_000_000;
const REAL = args.includes('--real');

function need(file) {
  const full = path.join(BUILD, file);
  if (!fs.existsSync(full)) {
    console.error(`bench/recording.js: ${full} is missing; run npx tsc -p tsconfig.json first.`);
    process.exit(1);
  }
  return require(full);
}

const { RecordingFileWriter, openRecordingFile } = need('electron/node/recording/file.js');
const { fdSink } = need('electron/node/recording/commands.js');
const { exportRecording } = need('electron/common/export/index.js');
const { storm } = need('test/recording/synthetic.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-bench-'));
const rows = [];
const row = (what, value, target, ok) => rows.push({ what, value, target, ok: ok === undefined ? '' : ok ? 'yes' : 'NO' });
const header = {
  sigscope: 'bench', host: os.hostname(), kernel: os.release(), clock: null, options: {},
  started: new Date().toISOString(), startedTs: Date.now() * 1000,
};

/** Opens FILE in a fresh Node process, reads every event, reports time and memory. */
function openInChild(file, keep) {
  const script = `
    const { openRecordingFile } = require(${JSON.stringify(path.join(BUILD, 'electron/node/recording/file.js'))});
    (async () => {
      const tq = performance.now();
      await openRecordingFile(${JSON.stringify(file)}, { quick: true });
      const quick = performance.now() - tq;
      const t0 = performance.now();
      const kept = [];
      let n = 0, signals = 0;
      const read = (batch) => {
        n += batch.length;
        for (const e of batch) if (e.type === 'signal') signals++;
        if (${keep}) for (const e of batch) kept.push(e);
      };
      // One pass: opening checks every block and hands its events over.
      const r = await openRecordingFile(${JSON.stringify(file)}, { onEvents: read });
      const total = performance.now() - t0;
      // Then reading everything again through the iterator, as a replay would after a seek.
      const t1 = performance.now();
      let again = 0;
      for await (const batch of r.batches()) again += batch.length;
      const iterate = performance.now() - t1;
      if (again !== n) throw new Error('iteration disagrees with opening');
      const heap = process.memoryUsage().heapUsed;
      console.log(JSON.stringify({ quick, iterate, total, n, signals, kept: kept.length, maxRss: process.resourceUsage().maxRSS * 1024, heap }));
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

async function exportRate(file, format) {
  const recording = await openRecordingFile(file);
  const out = path.join(dir, `out.${format}`);
  const fd = fs.openSync(out, 'w');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { events } = await exportRecording(recording, format, fdSink(fd));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  fs.closeSync(fd);
  const size = fs.statSync(out).size;
  fs.rmSync(out);
  const t1 = performance.now();
  await exportRecording(recording, format, { write: () => undefined });
  const alone = events / ((performance.now() - t1) / 1000);
  return { rate: events / seconds, cpuRate: events / cpuSeconds, alone, seconds, size };
}

async function realStorm() {
  const stormBin = path.join(BUILD, 'bench', 'storm');
  if (process.geteuid() !== 0) return console.error('--real: needs root, skipped');
  if (!fs.existsSync(stormBin)) {
    const cc = spawnSync('cc', ['-O2', '-o', stormBin, path.join(__dirname, 'storm.c')], { stdio: 'inherit' });
    if (cc.status !== 0) return console.error('--real: cannot build bench/storm.c, skipped');
  }
  const file = path.join(dir, 'real.sigscope');
  const recorder = spawn(process.execPath, [path.join(ROOT, 'bin', 'sigscope.js'), 'record', '--out', file, '--signal', 'USR1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  recorder.stderr.on('data', (c) => (stderr += c));
  for (let i = 0; i < 200 && !(fs.existsSync(file) && fs.statSync(file).size > 52); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  const s = spawnSync(stormBin, ['-n', String(N)], { encoding: 'utf8' });
  const result = JSON.parse(s.stdout.trim().split('\n').pop());
  await new Promise((r) => setTimeout(r, 1500));
  recorder.kill('SIGINT');
  await new Promise((r) => recorder.once('exit', r));
  const recording = await openRecordingFile(file);
  let stormEvents = 0;
  for await (const batch of recording.batches()) for (const e of batch) if (e.type === 'signal' && e.sender.pid === result.pid) stormEvents++;
  const size = fs.statSync(file).size;
  row('real storm: events recorded', `${stormEvents} of ${result.calls} kill()s, ${recording.drops} lost`, '', stormEvents === result.calls);
  row('real storm: bytes per event on disk', (size / recording.eventCount).toFixed(2), '≤ 16', size / recording.eventCount <= 16);
  process.stderr.write(stderr);
}

(async () => {
  const file = path.join(dir, 'storm.sigscope');
  const batches = [...storm(N, 1)];
  let t0 = performance.now();
  const writer = new RecordingFileWriter(file, header, { sync: false });
  for (const batch of batches) writer.addEvents(batch);
  writer.close();
  const writeSeconds = (performance.now() - t0) / 1000;
  const size = fs.statSync(file).size;
  row('synthetic storm: events', N.toLocaleString('en'), '', undefined);
  row('synthetic storm: bytes per event on disk', (size / N).toFixed(3), '≤ 16', size / N <= 16);
  row('write rate (encode + deflate + write)', `${Math.round(N / writeSeconds).toLocaleString('en')} events/s`, '', undefined);

  const open = openInChild(file, false);
  row('open, reading every event (one pass)', `${(open.total / 1000).toFixed(2)} s`, '≤ 3 s', open.total <= 3000);
  row('  then iterate all events again', `${(open.iterate / 1000).toFixed(2)} s`, '', undefined);
  row('quick open (frames and CRCs; decode on read)', `${(open.quick / 1000).toFixed(3)} s`, '', undefined);
  row('  peak RSS / heap after', `${(open.maxRss / 1e6).toFixed(0)} MB / ${(open.heap / 1e6).toFixed(0)} MB`, '≤ 400 MB', open.maxRss <= 400e6);
  const kept = openInChild(file, true);
  row('open, keeping every event in an array', `${(kept.total / 1000).toFixed(2)} s`, '', undefined);
  row('  peak RSS / heap after', `${(kept.maxRss / 1e6).toFixed(0)} MB / ${(kept.heap / 1e6).toFixed(0)} MB`, '(informative)', undefined);

  for (const format of ['perfetto', 'csv']) {
    const r = await exportRate(file, format);
    row(`export ${format}`, `${Math.round(r.rate).toLocaleString('en')} events/s (${r.seconds.toFixed(2)} s, ${(r.size / 1e6).toFixed(0)} MB)`, '≥ 500,000/s', r.rate >= 500_000);
    row(`  per CPU-second (less sensitive to other load)`, `${Math.round(r.cpuRate).toLocaleString('en')} events/s`, '', undefined);
    row(`  the exporter alone (read + format, no file)`, `${Math.round(r.alone).toLocaleString('en')} events/s`, '', undefined);
  }
  if (REAL) await realStorm();

  row('load average during the run (2 cores here)', os.loadavg().map((l) => l.toFixed(1)).join(' '), '', undefined);
  const w = [0, 0, 0];
  for (const r of rows) { w[0] = Math.max(w[0], r.what.length); w[1] = Math.max(w[1], r.value.length); w[2] = Math.max(w[2], r.target.length); }
  console.log(`${'measure'.padEnd(w[0])}  ${'figure'.padEnd(w[1])}  ${'target'.padEnd(w[2])}  met`);
  for (const r of rows) console.log(`${r.what.padEnd(w[0])}  ${r.value.padEnd(w[1])}  ${r.target.padEnd(w[2])}  ${r.ok}`);
  fs.rmSync(dir, { recursive: true, force: true });
})().catch((error) => {
  console.error(error);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
