// End to end in the browser mode, without privileges: the empty state, the
// built-in demo recording, search, details, edge selection, filters, the
// brushed time window, and a damaged recording file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../electron/server/server';
import { appState, chromiumMissing, ensureRendererBuilt, launchBrowser, screenshot } from './browser';

const skip = chromiumMissing();
let server: RunningServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

before(async () => {
  if (skip) return;
  ensureRendererBuilt();
  server = await startServer({
    log: null,
    launch: () => {
      throw Object.assign(new Error('no helper in this test'), { code: 'not-permitted' });
    },
  });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the empty state offers capture, a recording and the demo', { skip }, async () => {
  const empty = page.getByTestId('empty-state');
  await empty.waitFor();
  await empty.getByRole('button', { name: /Start capture/ }).waitFor();
  assert.match(await empty.innerText(), /administrator rights/);
  await empty.getByRole('button', { name: /Open recording/ }).waitFor();
  await screenshot(page, 'empty-state.png');
});

test('the demo recording draws the graph, timelines and filters', { skip }, async () => {
  await page.getByRole('button', { name: 'Open the demo recording' }).click();
  await page.getByTestId('empty-state').waitFor({ state: 'detached' });
  await page.waitForFunction(() => (window as any).__sigscope.views.graph?.settled === true, undefined, { timeout: 15_000 });
  const counts = await appState<{ signals: number; nodes: number; links: number }>(page, '(s, v) => ({ signals: s.session.signals.length, nodes: v.graph.nodeCount, links: v.graph.linkCount })');
  assert.ok(counts.signals > 100, `signals: ${counts.signals}`);
  assert.ok(counts.nodes > 15 && counts.links > 20, JSON.stringify(counts));
  // SIGCHLD is counted but not drawn by default.
  const sigchld = page.locator('label.check', { hasText: 'SIGCHLD' });
  assert.equal(await sigchld.locator('input').isChecked(), false);
  assert.match(await sigchld.innerText(), /\d+/);
  assert.match(await page.getByTestId('drops').innerText(), /0 dropped/);
  await screenshot(page, 'demo-graph.png');
});

test('Find process selects the first match and shows Sent and Received', { skip }, async () => {
  const find = page.getByLabel('Find process');
  await find.fill('supervisord');
  await find.press('Enter');
  const details = page.getByTestId('process-details');
  await details.waitFor();
  assert.match(await details.locator('h3').innerText(), /supervisord/);
  assert.match(await details.innerText(), /Command line/);
  const sentRows = page.getByTestId('sent-table').locator('tbody tr');
  const receivedRows = page.getByTestId('received-table').locator('tbody tr');
  assert.ok((await sentRows.count()) > 5);
  assert.ok((await receivedRows.count()) >= 1);
  // A row click highlights the signal in graph and timeline.
  await sentRows.nth(3).click();
  const selected = await appState<number | null>(page, '(s) => s.selectedSignal');
  assert.notEqual(selected, null);
  await page.waitForTimeout(300);
  await screenshot(page, 'demo-details.png');
});

test('a reused pid is its own node, and the old holder is named', { skip }, async () => {
  const find = page.getByLabel('Find process');
  await find.fill('4242');
  await find.press('Enter');
  const details = page.getByTestId('process-details');
  await details.waitFor();
  assert.match(await details.innerText(), /PID 4242 was reused/);
  const both = await appState<number>(page, "(s) => [...s.session.processes.values()].filter((p) => p.pid === 4242).length");
  assert.equal(both, 2);
});

test('clicking an edge shows the events behind it', { skip }, async () => {
  await page.keyboard.press('Escape');
  // The point to click is taken from the layout, so wait until the layout has stopped moving.
  const deadline = Date.now() + 20_000;
  while (!(await appState<boolean>(page, '(s, v) => v.graph.settled')) && Date.now() < deadline) await page.waitForTimeout(100);
  const edgeKey = await appState<string>(page, "(s) => [...s.session.edges.values()].find((e) => e.failed > 0 && e.errnos.EPERM && e.sig === 9).key");
  // A point of the edge that is on screen for the pointer: no node over it (the layout may
  // put one over its middle) and no panel over the canvas there (the legend, say).
  const box = (await page.getByTestId('graph-canvas').boundingBox())!;
  let at: [number, number] = [0, 0];
  let hit: string | null = null;
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8]) {
    at = await appState<[number, number]>(page, `(s, v) => v.graph.screenPointOfEdge(${JSON.stringify(edgeKey)}, ${t})`);
    hit = await appState<string | null>(page, `(s, v) => v.graph.hitTest(${at[0]}, ${at[1]})?.key ?? null`);
    const onCanvas = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-testid') === 'graph-canvas', [box.x + at[0], box.y + at[1]]);
    if (hit === edgeKey && onCanvas) break;
    hit = null;
  }
  assert.equal(hit, edgeKey, `edge at ${at}`);
  await page.mouse.click(box.x + at[0], box.y + at[1]);
  const details = page.getByTestId('edge-details');
  await details.waitFor();
  assert.match(await details.innerText(), /SIGKILL/);
  assert.match(await details.innerText(), /EPERM 2/);
  assert.equal(await details.locator('tbody tr').count(), 2);
  await page.mouse.move(box.x + at[0], box.y + at[1]);
  await page.waitForTimeout(200);
  await screenshot(page, 'demo-edge.png');
});

test('failed only, and a time window brushed on the ruler, filter the graph', { skip }, async () => {
  const all = await appState<number>(page, '(s, v) => v.graph.linkCount');
  await page.getByLabel('Failed attempts only').check();
  await page.waitForTimeout(100);
  const failed = await appState<number>(page, '(s, v) => v.graph.linkCount');
  assert.ok(failed > 0 && failed < all, `${failed} of ${all}`);
  await page.getByLabel('Failed attempts only').uncheck();

  const canvas = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const y = canvas.y + 14;
  await page.mouse.move(canvas.x + 260, y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 420, y, { steps: 5 });
  await page.mouse.up();
  const window = await appState<[number, number] | null>(page, '(s) => s.timeWindow');
  assert.ok(window && window[1] > window[0]);
  await page.waitForTimeout(100);
  const windowed = await appState<number>(page, '(s, v) => v.graph.linkCount');
  assert.ok(windowed < all, `${windowed} of ${all}`);
  await screenshot(page, 'demo-time-window.png');
  await page.getByRole('button', { name: /Clear time window/ }).first().click();
});

test('F6 moves between panels and W/S/A/D move the timeline', { skip }, async () => {
  await page.getByTestId('timeline-canvas').focus();
  const before = await appState<[number, number]>(page, '(s, v) => [v.timeline.t0, v.timeline.t1]');
  await page.keyboard.press('w');
  await page.keyboard.press('d');
  const afterKeys = await appState<[number, number]>(page, '(s, v) => [v.timeline.t0, v.timeline.t1]');
  assert.ok(afterKeys[1] - afterKeys[0] < before[1] - before[0], 'W zooms in');
  assert.equal(await appState<boolean>(page, '(s) => s.live'), false, 'moving the view leaves live mode');
  const panels: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('F6');
    panels.push(await page.evaluate(() => document.activeElement?.closest('[data-panel]')?.getAttribute('data-panel') ?? ''));
  }
  assert.deepEqual(panels, ['details', 'filters', 'graph', 'timeline']);
});

test('a damaged recording opens up to the damage and says where', { skip }, async () => {
  const good = await page.evaluate(() => {
    const ev = (window as any).__sigscope.useApp.getState().session.signals.slice(0, 5);
    return ev.map((e: unknown) => JSON.stringify(e)).join('\n');
  });
  await page.locator('input[type=file]').first().setInputFiles({ name: 'broken.jsonl', mimeType: 'application/json', buffer: Buffer.from(`${good}\n{"type":"signal", "ts": oops\n`) });
  const notice = page.locator('.notice.error');
  await notice.waitFor();
  assert.match(await notice.innerText(), /line 6/);
  assert.equal(await appState<number>(page, '(s) => s.session.signals.length'), 5);
});

test('no page errors', { skip }, () => {
  const real = browser.errors.filter((e) => !/frame-ancestors/.test(e));
  assert.deepEqual(real, []);
});
