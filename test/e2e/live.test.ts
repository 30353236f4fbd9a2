// End to end against the real helper (root only): start a capture in the
// browser mode, send real signals between two sleeping processes and a failed
// kill as nobody, and see them in the graph, the search, the details and the
// timeline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../electron/server/server';
import { appState, chromiumMissing, ensureRendererBuilt, launchBrowser, ROOT, screenshot } from './browser';

function why(): string | false {
  const c = chromiumMissing();
  if (c) return c;
  if (process.geteuid?.() !== 0) return 'needs root to load eBPF programs (sudo npm test)';
  if (!fs.existsSync(path.join(ROOT, 'build', 'electron', 'helper', 'main.js'))) return 'helper not built';
  if (!fs.existsSync('/usr/bin/setpriv')) return 'no setpriv';
  return false;
}
const skip = why();

let server: RunningServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dir: string;
const children: ChildProcess[] = [];
let alpha: ChildProcess;
let beta: ChildProcess;

before(async () => {
  if (skip) return;
  ensureRendererBuilt();
  // Copies of bash with their own names, so the test can find them among the machine's processes.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-e2e-'));
  fs.chmodSync(dir, 0o755);
  for (const name of ['e2e-alpha', 'e2e-beta']) fs.copyFileSync('/bin/bash', path.join(dir, name));
  for (const name of ['e2e-alpha', 'e2e-beta']) fs.chmodSync(path.join(dir, name), 0o755);
  server = await startServer({ log: null });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
});

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('start capture from the empty state', { skip }, async () => {
  await page.getByTestId('empty-state').getByRole('button', { name: /Start capture/ }).click();
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().status.state === 'capturing', undefined, { timeout: 20_000 });
  assert.match(await page.getByTestId('capture-state').innerText(), /Capturing/);
});

test('real kill() between two sleeping processes, and a failed kill as nobody', { skip }, async () => {
  beta = spawn(path.join(dir, 'e2e-beta'), ['-c', 'trap : TERM USR1; while :; do sleep 0.5; done'], { stdio: 'ignore' });
  children.push(beta);
  await new Promise((r) => setTimeout(r, 300));
  alpha = spawn(
    path.join(dir, 'e2e-alpha'),
    ['-c', `trap "" TERM USR1; sleep 0.5; kill -TERM ${beta.pid}; sleep 0.2; kill -USR1 ${beta.pid}; sleep 0.2; kill -USR1 ${beta.pid}; while :; do sleep 0.5; done`],
    { stdio: 'ignore' },
  );
  children.push(alpha);
  await new Promise((r) => setTimeout(r, 1500));
  const failed = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'kill', '-TERM', String(beta.pid)], { encoding: 'utf8' });
  assert.notEqual(failed.status, 0, 'the kill as nobody must fail');

  // The edge alpha → beta appears, one per signal kind.
  await page.waitForFunction(
    ({ a, b }) => {
      const s = (window as any).__sigscope.useApp.getState().session;
      const edges = [...s.edges.values()].filter((e: any) => e.senderKey.startsWith(`${a}@`) && e.targetKey.startsWith(`${b}@`));
      const failedKill = [...s.edges.values()].some((e: any) => e.targetKey.startsWith(`${b}@`) && e.errnos.EPERM);
      return edges.some((e: any) => e.sig === 15) && edges.some((e: any) => e.sig === 10 && e.count === 2) && failedKill;
    },
    { a: alpha.pid, b: beta.pid },
    { timeout: 15_000 },
  );
  await page.waitForTimeout(1200); // let the layout settle and the pulses fade
  const shown = await appState<{ a: boolean; b: boolean }>(
    page,
    `(s, v) => { const k = (pid) => [...s.session.processes.values()].find((p) => p.pid === pid && p.comm.startsWith('e2e-')); return { a: !!v.graph.screenPointOfNode(k(${alpha.pid}).key), b: !!v.graph.screenPointOfNode(k(${beta.pid}).key) }; }`,
  );
  assert.deepEqual(shown, { a: true, b: true }, 'both processes are nodes in the graph');
  await page.getByLabel('Find process').fill('e2e-beta');
  await page.getByLabel('Find process').press('Enter');
  await page.waitForTimeout(600);
  await screenshot(page, 'live-graph.png');
});

test('Find process, details, and the Sent and Received rows', { skip }, async () => {
  const details = page.getByTestId('process-details');
  await details.waitFor();
  assert.match(await details.locator('h3').innerText(), new RegExp(`e2e-beta ${beta.pid}`));
  const received = page.getByTestId('received-table');
  const text = await received.innerText();
  assert.match(text, new RegExp(`e2e-alpha ${alpha.pid}\\s+SIGTERM\\s+delivered`));
  assert.match(text, new RegExp(`e2e-alpha ${alpha.pid}\\s+SIGUSR1\\s+delivered`));
  assert.match(text, /kill \d+\s+SIGTERM\s+failed: EPERM/);
  assert.match(await details.innerText(), /User\s+root/);
  await screenshot(page, 'live-details-beta.png');

  await page.getByLabel('Find process').fill(String(alpha.pid));
  await page.getByLabel('Find process').press('Enter');
  await page.getByTestId('process-details').locator('h3', { hasText: 'e2e-alpha' }).waitFor();
  const sent = await page.getByTestId('sent-table').innerText();
  assert.match(sent, new RegExp(`e2e-beta ${beta.pid}\\s+SIGTERM\\s+delivered\\s+kill`));
  assert.match(sent, new RegExp(`e2e-beta ${beta.pid}\\s+SIGUSR1\\s+delivered\\s+kill`));
  // Clicking the SIGTERM row selects it: the graph and the timeline show its arrow.
  await page.getByTestId('sent-table').locator('tr', { hasText: 'SIGTERM' }).first().click();
  const sel = await appState<number | null>(page, '(s) => s.selectedSignal');
  assert.notEqual(sel, null);
  await page.waitForTimeout(400);
  await screenshot(page, 'live-timeline.png');
});

test('stop capture', { skip }, async () => {
  await page.getByRole('button', { name: /Stop capture/ }).click();
  await page.waitForFunction(() => (window as any).__sigscope.useApp.getState().status.state === 'stopped', undefined, { timeout: 10_000 });
  const drops = await page.getByTestId('drops').innerText();
  assert.match(drops, /dropped/);
});
