// End to end in the browser mode: a recording written by the recording writer
// opens by the file chooser and by drag and drop with a progress bar, replays
// (scrubber, play at 10×, next/previous signal), a damaged copy opens up to
// the damage, the view exports as PNG and SVG (none of this needs
// privileges), and a capture by the real helper (root) of real signals is
// recorded and its session file downloads through "Save recording".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { ProcessInfo, SigScopeEvent } from '../../electron/common/events';
import { CaptureService } from '../../electron/node/captureService';
import { RecordingFileWriter, openRecordingFile } from '../../electron/node/recording/file';
import { SessionRecorder } from '../../electron/node/sessionRecorder';
import { startServer, type RunningServer } from '../../electron/server/server';
import { signalName } from '../../electron/common/signals';
import { T0, killEvent as syntheticKill, task } from '../recording/synthetic';
import { HelperTap, needsRoot, plain, signalsBetween, sleeper } from '../support/helper';
import { ARTIFACTS, appState, chromiumMissing, ensureRendererBuilt, launchBrowser, screenshot } from './browser';

const skip = chromiumMissing();
let server: RunningServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dir: string;
let file: string;
let events: SigScopeEvent[];
const S = 1_000_000;

const supervisor = task(500, 'supervisor', 1_000_000);
const workerA = task(501, 'worker-a', 2_000_000);
const workerB = task(502, 'worker-b', 3_000_000);
const stormA = task(600, 'storm', 4_000_000);
const stormB = task(601, 'storm', 4_000_100);

/** 30 s of a supervisor and two workers, with a burst of SIGUSR1 between two other processes (many blocks). */
function scenario(): { events: SigScopeEvent[]; infos: ProcessInfo[] } {
  const out: SigScopeEvent[] = [];
  const iso = (ts: number) => new Date(ts / 1000).toISOString();
  const fork = (ts: number, t: typeof workerA): SigScopeEvent => ({
    type: 'fork', time: iso(ts), ts, pid: t.pid, tid: t.tid, comm: t.comm, start: t.start, uid: 1000, ppid: 500, parentStart: supervisor.start, parentComm: 'supervisor', nsPid: null,
  });
  out.push(fork(T0, workerA), fork(T0 + 0.5 * S, workerB));
  for (let i = 1; i <= 10; i++) {
    out.push(killEvent(T0 + i * 2 * S, supervisor, workerA, 1, 'delivered')); // SIGHUP every 2 s
    out.push(killEvent(T0 + i * 2 * S + 0.5 * S, workerA, supervisor, 10, 'delivered')); // SIGUSR1 back
  }
  out.push(killEvent(T0 + 25 * S, supervisor, workerB, 15, 'delivered'));
  out.push({ type: 'exit', time: iso(T0 + 25.1 * S), ts: T0 + 25.1 * S, pid: 502, tid: 502, comm: 'worker-b', start: workerB.start, uid: 1000, exitCode: null, exitSignal: 'SIGTERM', exitSig: 15, core: false });
  // The storm: 20,000 signals in the middle second.
  for (let i = 0; i < 20_000; i++) out.push(killEvent(T0 + 12 * S + i * 40, stormA, stormB, 10, 'ignored'));
  out.sort((a, b) => a.ts - b.ts);
  out.push(killEvent(T0 + 30 * S, workerA, supervisor, 10, 'delivered'));
  const infos = [
    { type: 'process-info', pid: 500, start: supervisor.start, cmdline: ['supervisor', '--watch'], exe: '/usr/bin/supervisor' },
  ] as unknown as ProcessInfo[];
  return { events: out, infos };
}

const tap = new HelperTap();

/** A kill() event with the signal's real name (SIGHUP, not SIG1). */
function killEvent(...args: Parameters<typeof syntheticKill>): SigScopeEvent {
  const e = syntheticKill(...args);
  return { ...e, signal: signalName(e.sig) };
}

before(async () => {
  if (skip) return;
  ensureRendererBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-e2e-rec-'));
  file = path.join(dir, 'supervisor.sigscope');
  const s = scenario();
  events = s.events;
  const writer = new RecordingFileWriter(file, {
    sigscope: '0.1.0', host: 'test-host', kernel: '6.18', clock: null, options: {}, started: new Date(T0 / 1000).toISOString(), startedTs: T0,
  }, { blockEvents: 1024, sync: false });
  for (const i of s.infos) writer.addProcessInfo(i);
  writer.addEvents(events);
  writer.close();
  const service = new CaptureService({ launch: tap.launch, recorder: new SessionRecorder({ dir: path.join(dir, 'sessions'), writer: { sync: false } }) });
  server = await startServer({ log: null, service });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
  await page.getByTestId('empty-state').waitFor();
  // Every state of the progress bar, as the page saw it.
  await page.evaluate(() => {
    const w = window as any;
    w.__progress = [];
    w.__sigscope.useApp.subscribe((s: any) => s.opening && w.__progress.push(s.opening.fraction));
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await server?.service.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const replay = () => appState<{ cursor: number; startTs: number; endTs: number; applied: number; total: number; playing: boolean; speed: number }>(page, '(s) => s.replay');

test('a recording opens from the file chooser, with a progress bar', { skip }, async () => {
  await page.getByTestId('recording-input').first().setInputFiles(file);
  await page.getByTestId('replay-bar').waitFor();
  await page.getByTestId('open-progress').waitFor({ state: 'detached' });
  const progress = await page.evaluate(() => (window as any).__progress as number[]);
  assert.ok(new Set(progress).size >= 3, `the bar moved: ${progress.join(', ')}`);
  assert.ok(progress.some((f) => f > 0 && f < 1), 'partial progress was shown');
  const r = await replay();
  assert.equal(r.total, events.length);
  assert.equal(r.applied, events.length, 'opens showing the whole recording');
  assert.equal(await appState<number>(page, '(s) => s.session.signals.length'), events.filter((e) => e.type === 'signal').length);
  assert.equal(await appState<string | null>(page, '(s) => s.notice && s.notice.text'), null);
  await page.waitForFunction(() => (window as any).__sigscope.views.graph?.settled === true, undefined, { timeout: 15_000 });
  await screenshot(page, 'recording-opened.png');
});

async function scrubTo(ts: number): Promise<void> {
  const r = await replay();
  const value = Math.round((ts - r.startTs) / 1000);
  await page.getByTestId('replay-scrubber').evaluate((el, v) => {
    const input = el as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
  await page.waitForFunction((want) => Math.abs((window as any).__sigscope.useApp.getState().replay.cursor - want) < 2000, ts);
}

test('the scrubber shows the state at any time', { skip }, async () => {
  const linksAtEnd = await appState<number>(page, '(s, v) => v.graph.linkCount');
  // 5 s in: SIGHUP at 2 and 4 s, SIGUSR1 back at 2.5 and 4.5 s; worker-b alive; no storm yet.
  await scrubTo(T0 + 5 * S);
  const at5 = await appState<{ signals: number; maxTs: number; storm: boolean; bExited: boolean }>(page, `(s) => ({
    signals: s.session.signals.length,
    maxTs: Math.max(...s.session.signals.map((e) => e.ts)),
    storm: [...s.session.processes.values()].some((p) => p.comm === 'storm'),
    bExited: [...s.session.processes.values()].find((p) => p.pid === 502).exitTs !== null,
  })`);
  assert.deepEqual({ signals: at5.signals, storm: at5.storm, bExited: at5.bExited }, { signals: 4, storm: false, bExited: false });
  assert.ok(at5.maxTs <= T0 + 5 * S);
  await page.waitForTimeout(200);
  const linksAt5 = await appState<number>(page, '(s, v) => v.graph.linkCount');
  assert.ok(linksAt5 < linksAtEnd, `${linksAt5} links at 5 s, ${linksAtEnd} at the end`);
  assert.match(await page.getByTestId('replay-clock').innerText(), /\+5(\.0+)? ?s/);
  await screenshot(page, 'replay-scrubbed.png');
  // Forward past the storm and worker-b's end: the session catches up.
  await scrubTo(T0 + 26 * S);
  const at26 = await appState<{ storm: boolean; bExited: boolean }>(page, `(s) => ({
    storm: [...s.session.processes.values()].some((p) => p.comm === 'storm'),
    bExited: [...s.session.processes.values()].find((p) => p.pid === 502).exitTs !== null,
  })`);
  assert.deepEqual(at26, { storm: true, bExited: true });
});

test('play at 10× moves the clock about ten seconds a second', { skip }, async () => {
  await scrubTo(T0 + 1 * S);
  await page.getByTestId('replay-speed').selectOption('10');
  const clockBefore = await page.getByTestId('replay-clock').innerText();
  const before = (await replay()).cursor;
  await page.getByTestId('replay-play').click();
  await page.waitForTimeout(1000);
  const mid = await replay();
  await page.getByTestId('replay-play').click(); // pause
  const advanced = (mid.cursor - before) / S;
  assert.equal(mid.playing, true);
  assert.equal(mid.speed, 10);
  assert.ok(advanced > 6 && advanced < 14, `advanced ${advanced} s in about a second`);
  assert.notEqual(await page.getByTestId('replay-clock').innerText(), clockBefore);
  assert.equal((await replay()).playing, false);
  await screenshot(page, 'replay-playing.png');
});

test('next and previous signal of the selected process, by key and by button', { skip }, async () => {
  await scrubTo(T0 + 3 * S);
  const find = page.getByLabel('Find process');
  await find.fill('worker-a');
  await find.press('Enter');
  await page.getByTestId('process-details').waitFor();
  await page.getByTestId('graph-canvas').focus();
  const current = () => appState<{ ts: number; sender: number; target: number | null } | null>(page, `(s) => {
    const e = s.selectedSignal === null ? null : s.session.signals[s.selectedSignal];
    return e && { ts: e.ts, sender: e.sender.pid, target: e.target && e.target.pid };
  }`);
  await page.keyboard.press('.');
  const first = await current();
  // At 3 s, worker-a's signals at 2 and 2.5 s are behind; the next is the SIGHUP it receives at 4 s.
  assert.deepEqual(first, { ts: T0 + 4 * S, sender: 500, target: 501 });
  assert.equal((await replay()).cursor, T0 + 4 * S, 'the replay moves to the signal');
  await page.keyboard.press('.');
  assert.deepEqual(await current(), { ts: T0 + 4.5 * S, sender: 501, target: 500 });
  await page.keyboard.press(',');
  assert.deepEqual(await current(), { ts: T0 + 4 * S, sender: 500, target: 501 });
  await page.getByRole('button', { name: 'Next signal of the selected process' }).click();
  assert.deepEqual(await current(), { ts: T0 + 4.5 * S, sender: 501, target: 500 });
  await page.getByRole('button', { name: 'Previous signal of the selected process' }).click();
  await page.getByRole('button', { name: 'Previous signal of the selected process' }).click();
  assert.deepEqual(await current(), { ts: T0 + 2.5 * S, sender: 501, target: 500 });
  assert.equal(await appState<string | null>(page, '(s) => s.session.getProcess(s.selectedProcess).comm'), 'worker-a');
  await page.waitForTimeout(300);
  await screenshot(page, 'replay-step-signal.png');
});

async function dropFile(name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    async ({ name, b64 }) => {
      const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([raw], name));
      const target = document.querySelector('.graph-host')!;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      // React shows the overlay on its next render; give a busy machine up to 2 s of frames.
      const shown = () => !!document.querySelector('[data-testid="drop-overlay"]');
      const until = performance.now() + 2000;
      while (!shown() && performance.now() < until) await new Promise((r) => requestAnimationFrame(r));
      (window as any).__overlaySeen = shown();
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, b64: bytes.toString('base64') },
  );
}

test('a recording dropped on the window opens', { skip }, async () => {
  await page.getByRole('button', { name: 'Demo recording' }).click();
  await page.getByTestId('replay-bar').waitFor();
  assert.equal(await appState<string>(page, '(s) => s.source.kind'), 'demo');
  await page.evaluate(() => ((window as any).__progress = []));
  await dropFile('dropped.sigscope', fs.readFileSync(file));
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().source.name === 'dropped.sigscope');
  await page.getByTestId('open-progress').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => (window as any).__overlaySeen), true, 'the drop overlay showed');
  assert.ok((await page.evaluate(() => (window as any).__progress as number[])).length >= 3);
  assert.equal((await replay()).total, events.length);
});

test('a damaged recording opens up to the damage and names the byte', { skip }, async () => {
  const bytes = fs.readFileSync(file);
  const rec = await openRecordingFile(file);
  // Damage the payload of the 10th events block: blocks before it still open.
  const block = rec.blocks[9];
  const damaged = Buffer.from(bytes);
  damaged[block.offset + 36 + 10] ^= 0xff;
  await page.getByTestId('recording-input').first().setInputFiles({ name: 'damaged.sigscope', mimeType: 'application/octet-stream', buffer: damaged });
  const notice = page.locator('.notice.error');
  await notice.waitFor();
  const text = await notice.innerText();
  const at = Number(/at byte (\d+)/.exec(text)?.[1]);
  assert.ok(at >= block.offset && at <= block.offset + 36 + 10, `names the damaged block's byte (${block.offset}…): ${text}`);
  assert.match(text, /damaged/);
  const total = (await replay()).total;
  assert.equal(total, block.firstEvent, 'every event before the damaged block is shown');
  assert.ok(total > 0);
  await screenshot(page, 'recording-damaged.png');
  await page.getByRole('button', { name: 'Dismiss' }).click();
});

test('export the view as PNG and SVG', { skip }, async () => {
  await page.getByTestId('recording-input').first().setInputFiles(file);
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().source.name === 'supervisor.sigscope');
  await page.getByTestId('open-progress').waitFor({ state: 'detached' });
  await scrubTo(T0 + 26 * S);
  await page.getByLabel('Find process').fill('worker-a');
  await page.getByLabel('Find process').press('Enter');
  // Export what a user sees once the layout has come to rest with every process in view.
  const deadline = Date.now() + 20_000;
  while (!(await appState<boolean>(page, '(s, v) => v.graph.settled')) && Date.now() < deadline) await page.waitForTimeout(100);
  await page.getByRole('button', { name: 'Fit graph' }).click();
  await page.waitForTimeout(300);

  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('export-dialog').waitFor();
  await screenshot(page, 'export-dialog.png');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const pngPath = path.join(ARTIFACTS, 'export-view.png');
  await png.saveAs(pngPath);
  const pngBytes = fs.readFileSync(pngPath);
  assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const size = await appState<{ w: number; h: number }>(page, '(s, v) => ({ w: Math.max(v.graph.canvas.width, v.timeline.canvas.width), h: v.graph.canvas.height + v.timeline.canvas.height })');
  assert.equal(pngBytes.readUInt32BE(16), size.w, 'width');
  assert.equal(pngBytes.readUInt32BE(20), size.h, 'height');
  assert.match(png.suggestedFilename(), /\.png$/);

  await page.getByRole('button', { name: 'Export…' }).click();
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svgPath = path.join(ARTIFACTS, 'export-view.svg');
  await svg.saveAs(svgPath);
  const svgText = fs.readFileSync(svgPath, 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      texts: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent ?? ''),
      images: doc.querySelectorAll('image').length,
      shapes: doc.querySelectorAll('path, circle, rect, line').length,
    };
  }, svgText);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.images, 0, 'vectors, not a picture');
  assert.ok(parsed.shapes > 50, `${parsed.shapes} shapes`);
  for (const label of ['supervisor 500', 'worker-a 501', 'worker-b 502 (exited)', 'supervisor', 'worker-a', 'SIGHUP', 'SIGUSR1', 'SIGTERM']) {
    assert.ok(parsed.texts.some((t) => t.includes(label)), `SVG has the text "${label}"`);
  }
  // Render the SVG in the browser for a look.
  const svgPage = await browser.browser.newPage();
  await svgPage.setViewportSize({ width: 1200, height: 1000 });
  await svgPage.goto(`data:image/svg+xml;base64,${Buffer.from(svgText).toString('base64')}`);
  await svgPage.screenshot({ path: path.join(ARTIFACTS, 'export-view-svg-rendered.png') });
  await svgPage.close();

  // The events as CSV, from the same dialog.
  await page.getByRole('button', { name: 'Export…' }).click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csvPath = path.join(dir, 'events.csv');
  await csv.saveAs(csvPath);
  const lines = fs.readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
  assert.match(lines[0], /^time,ts,type/);
  assert.equal(lines.length - 1, events.length);
});

test('a capture of real signals is recorded, and "Save recording" downloads it from the server', { skip: skip || needsRoot }, async () => {
  await page.getByRole('button', { name: /Start capture/ }).click();
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().status.state === 'capturing', undefined, { timeout: 20_000 });
  const run = tap.last;
  // Two sleeps ended by real kill()s from this process.
  const a = await sleeper();
  const b = await sleeper();
  process.kill(a.pid, 'SIGUSR1');
  process.kill(b.pid, 'SIGTERM');
  await page.waitForFunction(({ me, a, b }) => {
    const signals = (window as any).__sigscope.useApp.getState().session.signals as SigScopeEvent[];
    const sent = (to: number, sig: number) => signals.some((e) => e.type === 'signal' && e.sender.pid === me && e.target?.pid === to && e.sig === sig);
    return sent(a, 10) && sent(b, 15);
  }, { me: process.pid, a: a.pid, b: b.pid });
  await page.getByTestId('recording-path').waitFor();
  assert.match(await page.getByTestId('recording-path').innerText(), /sessions\/sigscope-.*\.sigscope/);
  await page.getByRole('button', { name: /Stop capture/ }).click();
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().status.state === 'stopped');
  // The page got every event the helper reported, no more.
  await page.waitForFunction((n) => (window as any).__sigscope.useApp.getState().session.totalEvents === n, run.events.length, { timeout: 5000 });
  await screenshot(page, 'capture-recorded.png');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save recording…' }).click()]);
  const saved = path.join(dir, 'saved.sigscope');
  await download.saveAs(saved);
  const rec = await openRecordingFile(saved);
  assert.equal(rec.complete, true);
  assert.equal(rec.eventCount, run.events.length);
  const recorded = await rec.readEvents(0, rec.eventCount);
  assert.deepEqual(plain(recorded), plain(run.events));
  assert.deepEqual(rec.processes, plain(run.infos));
  for (const [child, sig] of [[a, 10], [b, 15]] as const) {
    const sent = signalsBetween(recorded, process.pid, child.pid);
    assert.equal(sent.length, 1);
    assert.deepEqual({ sig: sent[0].sig, result: sent[0].result, comm: sent[0].target?.comm }, { sig, result: 'delivered', comm: 'sleep' });
    assert.ok(recorded.some((e) => e.type === 'exit' && e.pid === child.pid && e.exitSig === sig), `the exit of sleep ${child.pid}`);
  }
});

test('no page errors', { skip }, () => {
  const real = browser.errors.filter((e) => !/frame-ancestors/.test(e));
  assert.deepEqual(real, []);
});
