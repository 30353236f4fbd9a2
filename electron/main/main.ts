// The Electron main process, kept thin: one window, the menu, the helper
// (through the capture service) and the wiring between them. Commands come
// in over validated IPC; events go out over a MessagePort, batched.
import * as path from 'node:path';
import { BrowserWindow, Menu, MessageChannelMain, app, ipcMain, session, type IpcMainInvokeEvent, type MessagePortMain } from 'electron';
import type { BridgeServerMessage } from '../common/bridgeMessages';
import { CaptureService, toHelperError, type CaptureSource } from '../node/captureService';
import { HelperClient, defaultHelperPath } from '../node/helperClient';
import { chooseLauncher, probeLauncherFacts } from '../node/launcher';
import { menuTemplate } from './menu';
import { CONTENT_SECURITY_POLICY, IPC_PREFIX, appIndexUrl, explainFailure, isAppUrl, validateIpc, windowOptions } from './policy';

const appDir = path.join(__dirname, '..', '..', 'app');
const indexUrl = appIndexUrl(appDir);
const preloadPath = path.join(__dirname, '..', 'preload', 'preload.js');

function launchHelper(): CaptureSource {
  const choice = chooseLauncher(probeLauncherFacts());
  if (choice.launcher === null) throw Object.assign(new Error(choice.message), { code: choice.code, hint: choice.hint });
  return HelperClient.launch({ launcher: choice.launcher, helperPath: defaultHelperPath() });
}

const service = new CaptureService({ launch: launchHelper });
let window: BrowserWindow | null = null;
let port: MessagePortMain | null = null;

function send(message: BridgeServerMessage): void {
  port?.postMessage(message);
}

service.onEvents((events) => send({ kind: 'events', events }));
service.onProcessInfo((infos) => send({ kind: 'process-info', infos }));
service.onStatus((status) => {
  // Say in words what went wrong, in the window's status bar.
  const error = status.error && !status.error.hint ? { ...status.error, hint: explainFailure(status.error.code) } : status.error;
  send({ kind: 'status', status: { ...status, error } });
  refreshMenu();
});

function refreshMenu(): void {
  const capturing = service.status.state === 'capturing' || service.status.state === 'starting';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          startCapture: () => void service.start({ lifecycle: true, snapshot: true }).catch(() => undefined),
          stopCapture: () => void service.stop().catch(() => undefined),
        },
        { capturing, devTools: !app.isPackaged },
      ),
    ),
  );
}

/** A fresh MessagePort for each page load; the old one is closed. */
function connectPort(win: BrowserWindow): void {
  port?.close();
  const { port1, port2 } = new MessageChannelMain();
  port = port1;
  port1.start();
  win.webContents.postMessage('sigscope:port', null, [port2]);
  send({ kind: 'status', status: service.status });
}

function handle(method: string, run: (call: ReturnType<typeof validateIpc>) => Promise<void>): void {
  ipcMain.handle(`${IPC_PREFIX}${method}`, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const frame = event.senderFrame;
    const call = validateIpc(`${IPC_PREFIX}${method}`, { url: frame?.url, isMainFrame: !!frame && frame === event.sender.mainFrame }, indexUrl, args);
    if (!call.ok) throw new Error(`Refused: ${call.reason}`);
    try {
      await run(call);
      return { ok: true };
    } catch (err) {
      // Returned, not thrown: Electron would flatten a thrown error's code and hint into its message.
      return { ok: false, error: toHelperError(err) };
    }
  });
}

function createWindow(): void {
  const win = new BrowserWindow(windowOptions(preloadPath));
  window = win;
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-finish-load', () => connectPort(win));
  win.on('closed', () => {
    window = null;
  });
  void win.loadURL(indexUrl);
}

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, indexUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  handle('startCapture', async (call) => {
    if (call.ok && call.method === 'startCapture') await service.start(call.arg);
  });
  handle('stopCapture', async () => service.stop());
  handle('setFilters', async (call) => {
    if (call.ok && call.method === 'setFilters') await service.setFilters(call.arg);
  });
  refreshMenu();
  createWindow();
});

app.on('window-all-closed', () => app.quit());

// The helper exits when its stdin closes; closing it here makes that prompt.
app.on('will-quit', (event) => {
  if (service.status.state === 'idle') return;
  event.preventDefault();
  void service.dispose().finally(() => {
    service.onStatus(() => undefined);
    app.exit(0);
  });
});

