// The browser mode (`sigscope serve`): the built renderer on 127.0.0.1, with
// the same bridge as the desktop app's preload, over a WebSocket. A random
// token in the printed URL guards it; Host and Origin are checked so that
// other web pages (and DNS rebinding) can't reach it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseBridgeCall, type BridgeServerMessage } from '../common/bridgeMessages';
import { CaptureService, toHelperError, type CaptureSource } from '../node/captureService';
import { SessionRecorder, defaultRecordingsDir } from '../node/sessionRecorder';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bundled renderer (default build/app). */
  appDir?: string;
  /** Use this service (tests, or a host that shares one). */
  service?: CaptureService;
  /** How to start the helper when no service is given. */
  launch?: () => CaptureSource;
  /** Where each capture's session file goes when no service is given (default: defaultRecordingsDir()); null records nothing. */
  recordingsDir?: string | null;
  /** Fixed token (tests); random otherwise. */
  token?: string;
  /** Where to print the URL; null prints nothing. */
  log?: ((line: string) => void) | null;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  service: CaptureService;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'sigscope_token') return v.join('=');
  }
  return null;
}

export function defaultLaunch(): CaptureSource {
  // Loaded lazily: the server can serve recordings and the demo without the helper built.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HelperClient } = require('../node/helperClient') as typeof import('../node/helperClient');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chooseLauncher, probeLauncherFacts } = require('../node/launcher') as typeof import('../node/launcher');
  const choice = chooseLauncher(probeLauncherFacts());
  if (choice.launcher === null) throw Object.assign(new Error(choice.message), { code: choice.code, hint: choice.hint });
  return HelperClient.launch({ launcher: choice.launcher });
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const appDir = options.appDir ?? path.join(__dirname, '..', '..', 'app');
  if (!fs.existsSync(path.join(appDir, 'index.html'))) {
    throw new Error(`The renderer is not built (no ${path.join(appDir, 'index.html')}): run npm run build:renderer.`);
  }
  // Only the files that were there at start are served, by exact name.
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(appDir)) {
    const full = path.join(appDir, name);
    if (fs.statSync(full).isFile() && TYPES[path.extname(name)]) files.set(`/${name}`, full);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const recordingsDir = options.recordingsDir === undefined ? defaultRecordingsDir() : options.recordingsDir;
  const service =
    options.service ??
    new CaptureService({ launch: options.launch ?? defaultLaunch, ...(recordingsDir ? { recorder: new SessionRecorder({ dir: recordingsDir }) } : {}) });
  const ownsService = !options.service;
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const refuse = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${text}\n`);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 403, 'Forbidden: unexpected Host.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'Forbidden: unexpected Origin.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    const queryToken = url.searchParams.get('token');
    const authorised = sameToken(queryToken, token) || sameToken(cookieToken(req.headers.cookie), token);
    if (!authorised) return refuse(res, 401, 'This SigScope server needs the token from the URL it printed.');
    if (url.pathname === '/recording') return sendRecording(req, res);
    const file = files.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(res, 404, 'Not found.');
    const headers: http.OutgoingHttpHeaders = {
      'content-type': TYPES[path.extname(file)],
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    };
    // The page's own requests (app.js, app.css) carry the token as a strict, HTTP-only cookie.
    if (queryToken) headers['set-cookie'] = `sigscope_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  // The capture's session file, as a download (the page's "Save recording").
  const sendRecording = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const recording = service.recorder?.recording;
    if (!recording || !fs.statSync(recording.path, { throwIfNoEntry: false })?.isFile()) {
      return refuse(res, 404, 'There is no recording yet: start a capture first.');
    }
    // While the capture runs, what the recorder holds is written out first.
    if (recording.open) service.recorder!.flush();
    const size = fs.statSync(recording.path).size;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${path.basename(recording.path).replace(/[^\w.-]/g, '_')}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    // Only the bytes that were there when asked: a growing file ends at a whole block.
    fs.createReadStream(recording.path, { start: 0, end: Math.max(0, size - 1) }).pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok =
      url.pathname === '/bridge' &&
      allowedHosts().has(req.headers.host ?? '') &&
      allowedOrigins().has(req.headers.origin ?? '') &&
      (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req.headers.cookie), token));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    sockets.add(ws);
    const send = (m: BridgeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const offs = [
      service.onEvents((events) => send({ kind: 'events', events })),
      service.onProcessInfo((infos) => send({ kind: 'process-info', infos })),
      service.onStatus((status) => send({ kind: 'status', status })),
    ];
    ws.on('message', (data, isBinary) => {
      let call = null;
      try {
        call = isBinary ? null : parseBridgeCall(JSON.parse(data.toString()));
      } catch {
        call = null;
      }
      if (!call) {
        ws.close(1008, 'bad message');
        return;
      }
      const run =
        call.method === 'startCapture' ? service.start(call.arg) : call.method === 'stopCapture' ? service.stop() : service.setFilters(call.arg);
      const id = call.id;
      run.then(
        () => send({ kind: 'reply', id, ok: true }),
        (err) => {
          const e = toHelperError(err);
          send({ kind: 'reply', id, ok: false, error: e });
        },
      );
    });
    ws.on('close', () => {
      sockets.delete(ws);
      offs.forEach((off) => off());
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  const log = options.log === undefined ? (line: string) => process.stdout.write(`${line}\n`) : options.log;
  log?.(`SigScope is serving on ${url}`);
  log?.('Open that URL in a browser on this machine (or through an SSH tunnel: ssh -L <port>:127.0.0.1:<port>). Ctrl-C stops it.');

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const ws of sockets) ws.terminate();
    wss.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ownsService) await service.dispose();
  };
  if (ownsService) {
    const onSignal = () => void close().then(() => process.exit(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { url, port, token, service, close };
}
