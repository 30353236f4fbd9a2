import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import type { BridgeServerMessage } from '../electron/common/bridgeMessages';
import type { SigScopeEvent } from '../electron/common/events';
import type { CaptureSource } from '../electron/node/captureService';
import { startServer, type RunningServer } from '../electron/server/server';

class FakeSource extends EventEmitter implements CaptureSource {
  readonly launcher = 'direct';
  async start() {}
  async stop() {}
  async setFilters() {}
  async close() {}
}

let server: RunningServer;
let source: FakeSource;
let appDir: string;

before(async () => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-app-'));
  fs.writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(appDir, 'app.js'), 'console.log(1)');
  source = new FakeSource();
  server = await startServer({ appDir, log: null, launch: () => source });
});

after(async () => {
  await server.close();
  fs.rmSync(appDir, { recursive: true, force: true });
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

test('the bridge over the WebSocket: calls, replies, status and batched events', async () => {
  const ws = await connect();
  const messages: BridgeServerMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'startCapture', arg: { lifecycle: true } }));
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(pred());
  };
  await until(() => messages.some((m) => m.kind === 'reply' && m.id === 1));
  assert.ok(messages.some((m) => m.kind === 'status' && m.status.state === 'capturing'));
  const e: SigScopeEvent = { type: 'exit', time: '', ts: 1, pid: 1, tid: 1, comm: 'x', start: 1, uid: 0, exitCode: 0, exitSignal: null, exitSig: null, core: false };
  for (let i = 0; i < 100; i++) source.emit('events', [e]);
  await until(() => messages.filter((m) => m.kind === 'events').reduce((n, m) => n + (m.kind === 'events' ? m.events.length : 0), 0) === 100);
  assert.ok(messages.filter((m) => m.kind === 'events').length <= 2, 'events arrive batched');
  ws.close();
});

test('a malformed call closes the socket and changes nothing', async () => {
  const ws = await connect();
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(JSON.stringify({ kind: 'call', id: 2, method: 'runShell', arg: 'rm -rf /' }));
  assert.equal(await closed, 1008);
});
