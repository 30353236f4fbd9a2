// The preload: exposes the one bridge (window.sigscope) to the sandboxed
// page. Commands go through validated IPC; events arrive on a MessagePort
// that the main process hands over after each load. Only `electron` may be
// required here (sandboxed preload), so the rest is imported as types.
import { contextBridge, ipcRenderer } from 'electron';
import type { AppCommand, CaptureStatus, RecordingFileBytes, SigScopeBridge, Unsubscribe } from '../common/bridge';
import type { BridgeServerMessage } from '../common/bridgeMessages';
import type { CaptureFilters, CaptureOptions, ProcessInfo, SigScopeEvent } from '../common/events';

const eventListeners = new Set<(e: SigScopeEvent[]) => void>();
const infoListeners = new Set<(i: ProcessInfo[]) => void>();
const statusListeners = new Set<(s: CaptureStatus) => void>();
const openListeners = new Set<(f: RecordingFileBytes) => void>();
const commandListeners = new Set<(c: AppCommand) => void>();
let lastStatus: CaptureStatus | null = null;

ipcRenderer.on('sigscope:port', (event) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (m: MessageEvent<BridgeServerMessage>) => {
    const msg = m.data;
    if (msg.kind === 'events') for (const l of eventListeners) l(msg.events);
    else if (msg.kind === 'process-info') for (const l of infoListeners) l(msg.infos);
    else if (msg.kind === 'status') {
      lastStatus = msg.status;
      for (const l of statusListeners) l(msg.status);
    } else if (msg.kind === 'open-recording') {
      for (const l of openListeners) l({ name: msg.name, bytes: msg.bytes });
    } else if (msg.kind === 'command') {
      for (const l of commandListeners) l(msg.command);
    }
  };
  port.start();
});

async function invoke(method: string, ...args: unknown[]): Promise<void> {
  await invokeForValue(method, ...args);
}

async function invokeForValue(method: string, ...args: unknown[]): Promise<string | null> {
  const reply = (await ipcRenderer.invoke(`sigscope:${method}`, ...args)) as { ok: boolean; value?: string | null; error?: { message: string; code?: string; hint?: string } };
  if (!reply.ok) {
    // A plain object keeps code and hint across the context bridge.
    throw { message: reply.error?.message ?? 'failed', code: reply.error?.code, hint: reply.error?.hint };
  }
  return reply.value ?? null;
}

function subscribe<T>(set: Set<(v: T) => void>, listener: (v: T) => void): Unsubscribe {
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

const bridge: SigScopeBridge = {
  startCapture: (options: CaptureOptions) => invoke('startCapture', options),
  stopCapture: () => invoke('stopCapture'),
  setFilters: (filters: CaptureFilters) => invoke('setFilters', filters),
  saveRecording: (path?: string) => (path === undefined ? invokeForValue('saveRecording') : invokeForValue('saveRecording', path)),
  onOpenRecording: (l) => subscribe(openListeners, l),
  onCommand: (l) => subscribe(commandListeners, l),
  onEvents: (l) => subscribe(eventListeners, l),
  onProcessInfo: (l) => subscribe(infoListeners, l),
  onStatus: (l) => {
    const off = subscribe(statusListeners, l);
    if (lastStatus) l(lastStatus);
    return off;
  },
};

contextBridge.exposeInMainWorld('sigscope', bridge);
