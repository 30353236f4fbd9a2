// The browser mode's server: the token, Host and Origin checks, and the bridge
// over the WebSocket driving the real helper (root) with real signals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import type { BridgeServerMessage } from '../electron/common/bridgeMessages';
import type { SigScopeEvent } from '../electron/common/events';
import { openRecording } from '../electron/common/recording/reader';
import { inflate } from '../electron/node/recording/file';
import { startServer, type RunningServer } from '../electron/server/server';
import { needsRoot } from './support/helper';
import { storm, stormBinary } from './support/storm';

let server: RunningServer;
let appDir: string;
let recordingsDir: string;

before(async () => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-app-'));
  recordingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-server-rec-'));
  fs.writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(appDir, 'app.js'), 'console.log(1)');
  // The server's own way of starting the helper (the launcher it chooses: direct, as root).
  server = await startServer({ appDir, log: null, recordingsDir });
});

after(async () => {
  await server.close();
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.rmSync(recordingsDir, { recursive: true, force: true });
});

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

test('binds to 127.0.0.1 and prints a URL with a token', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
});

test('HTTP needs the token, the right Host and Origin', async () => {
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/?token=wrong')).status, 401);
  const ok = await get(`/?token=${server.token}`);
  assert.equal(ok.status, 200);
  assert.match(String(ok.headers['content-security-policy']), /default-src 'none'/);
  assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  // The page's own assets come with the cookie.
  const js = await get('/app.js', { cookie: `sigscope_token=${server.token}` });
  assert.equal(js.status, 200);
  assert.equal((await get(`/?token=${server.token}`, { host: 'evil.example:80' })).status, 403);
  assert.equal((await get(`/?token=${server.token}`, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await get(`/../../etc/passwd?token=${server.token}`)).status, 404);
});

function connect(opts: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${opts.token ?? server.token}`, {
    headers: { origin: opts.origin ?? `http://127.0.0.1:${server.port}` },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

test('the WebSocket refuses a wrong token or a foreign Origin', async () => {
  await assert.rejects(connect({ token: 'nope' }), /403/);
  await assert.rejects(connect({ origin: 'http://evil.example' }), /403/);
});

function getBytes(p: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: p }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('the bridge over the WebSocket: calls, replies, status and batched events', { skip: needsRoot }, async () => {
  stormBinary(); // compiled before capture starts
  const ws = await connect();
  const messages: BridgeServerMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(pred());
  };
  try {
    ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'startCapture', arg: { lifecycle: true, signals: [10] } }));
    await until(() => messages.some((m) => m.kind === 'reply' && m.id === 1));
    assert.deepEqual(messages.find((m) => m.kind === 'reply' && m.id === 1), { kind: 'reply', id: 1, ok: true });
    const capturing = messages.find((m) => m.kind === 'status' && m.status.state === 'capturing');
    assert.ok(capturing && capturing.kind === 'status');
    assert.equal(capturing.status.launcher, 'direct');

    // 100 real kill()s from one process: all of them arrive, batched.
    const burst = storm(100);
    assert.equal(burst.calls, 100);
    const fromStorm = (m: BridgeServerMessage) => (m.kind === 'events' ? m.events.filter((e: SigScopeEvent) => e.type === 'signal' && e.sender.pid === burst.pid).length : 0);
    await until(() => messages.reduce((n, m) => n + fromStorm(m), 0) === 100);
    assert.ok(messages.filter((m) => fromStorm(m) > 0).length <= 2, 'events arrive batched');
    // Lifecycle is on: the storm's own fork came through as well.
    assert.ok(messages.some((m) => m.kind === 'events' && m.events.some((e) => e.type === 'fork' && e.pid === burst.pid)), 'the fork of the storm');

    ws.send(JSON.stringify({ kind: 'call', id: 2, method: 'stopCapture' }));
    await until(() => messages.some((m) => m.kind === 'reply' && m.id === 2));
    assert.deepEqual(messages.find((m) => m.kind === 'reply' && m.id === 2), { kind: 'reply', id: 2, ok: true });
    assert.ok(messages.some((m) => m.kind === 'status' && m.status.state === 'stopped'));
    assert.equal(messages.reduce((n, m) => n + fromStorm(m), 0), 100, 'no storm event twice');

    // The capture's session file downloads, with the same 100 signals.
    const res = await getBytes(`/recording?token=${server.token}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    const rec = await openRecording(new Uint8Array(res.body), { inflate });
    assert.equal(rec.complete, true);
    const recorded = await rec.readEvents(0, rec.eventCount);
    assert.equal(recorded.filter((e) => e.type === 'signal' && e.sender.pid === burst.pid).length, 100);
    const sent = messages.reduce((n, m) => n + (m.kind === 'events' ? m.events.length : 0), 0);
    assert.equal(rec.eventCount, sent, 'the file holds every event the page was sent');
  } finally {
    ws.close();
  }
});

test('a malformed call closes the socket and changes nothing', async () => {
  const ws = await connect();
  const state = server.service.status.state;
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(JSON.stringify({ kind: 'call', id: 2, method: 'runShell', arg: 'rm -rf /' }));
  assert.equal(await closed, 1008);
  assert.equal(server.service.status.state, state);
});
