// The Electron main process, kept thin: one window, the menu, the helper
// (through the capture service) and the wiring between them. Commands come
// in over validated IPC; events go out over a MessagePort, batched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrowserWindow, Menu, MessageChannelMain, app, dialog, ipcMain, session, type IpcMainInvokeEvent, type MessagePortMain } from 'electron';
import type { BridgeServerMessage } from '../common/bridgeMessages';
import { CaptureService, toHelperError, type CaptureSource } from '../node/captureService';
import { HelperClient, defaultHelperPath } from '../node/helperClient';
import { chooseLauncher, probeLauncherFacts } from '../node/launcher';
import { SessionRecorder, defaultRecordingsDir } from '../node/sessionRecorder';
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

const service = new CaptureService({ launch: launchHelper, recorder: new SessionRecorder({ dir: defaultRecordingsDir() }) });
/** Bigger files are refused rather than read into memory. */
const MAX_RECORDING_BYTES = 2 * 1024 ** 3;
const RECORDING_FILTERS = [
  { name: 'SigScope recordings', extensions: ['sigscope', 'ndjson', 'jsonl', 'json'] },
  { name: 'All files', extensions: ['*'] },
];
let window: BrowserWindow | null = null;
let port: MessagePortMain | null = null;

function send(message: BridgeServerMessage): void {
  port?.postMessage(message);
}

/** File → Open Recording…: the page gets the file's bytes and opens them itself (as with drag and drop). */
async function openRecording(): Promise<void> {
  if (!window) return;
  const chosen = await dialog.showOpenDialog(window, { title: 'Open Recording', properties: ['openFile'], filters: RECORDING_FILTERS });
  const file = chosen.filePaths[0];
  if (chosen.canceled || !file) return;
  try {
    const size = (await fs.promises.stat(file)).size;
    if (size > MAX_RECORDING_BYTES) throw new Error(`${path.basename(file)} is ${size} bytes, more than SigScope opens (${MAX_RECORDING_BYTES}).`);
    const data = await fs.promises.readFile(file);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    send({ kind: 'open-recording', name: path.basename(file), bytes });
  } catch (err) {
    dialog.showErrorBox('Could not open the recording', (err as Error).message);
  }
}

/** Save Recording As…: the user picks the file; the page may only suggest a name. */
async function saveRecording(suggested?: string): Promise<string | null> {
  const current = service.recorder?.recording;
  if (!current) throw Object.assign(new Error('There is no recording to save yet: start a capture first.'), { code: 'no-recording' });
  const chosen = await dialog.showSaveDialog(window ?? (undefined as never), {
    title: 'Save Recording As',
    defaultPath: path.join(app.getPath('documents'), path.basename(suggested ?? path.basename(current.path))),
    filters: RECORDING_FILTERS,
  });
  if (chosen.canceled || !chosen.filePath) return null;
  const saved = await service.recorder!.saveAs(chosen.filePath);
  return saved.path;
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
          openRecording: () => void openRecording(),
          saveRecording: () =>
            void saveRecording().catch((err) => dialog.showErrorBox('Could not save the recording', (err as Error).message)),
          exportView: () => send({ kind: 'command', command: 'export' }),
        },
        { capturing, canSave: !!service.recorder?.recording, devTools: !app.isPackaged },
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

function handle(method: string, run: (call: ReturnType<typeof validateIpc>) => Promise<void | string | null>): void {
  ipcMain.handle(`${IPC_PREFIX}${method}`, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const frame = event.senderFrame;
    const call = validateIpc(`${IPC_PREFIX}${method}`, { url: frame?.url, isMainFrame: !!frame && frame === event.sender.mainFrame }, indexUrl, args);
    if (!call.ok) throw new Error(`Refused: ${call.reason}`);
    try {
      const value = await run(call);
      return { ok: true, value: value ?? null };
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
  handle('saveRecording', async (call) => (call.ok && call.method === 'saveRecording' ? saveRecording(call.arg) : null));
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

