// The preload: exposes the one bridge (window.sigscope) to the sandboxed
// page. Commands go through validated IPC; events arrive on a MessagePort
// that the main process hands over after each load. Only `electron` may be
// required here (sandboxed preload), so the rest is imported as types.
import { contextBridge, ipcRenderer } from 'electron';
import type { CaptureStatus, SigScopeBridge, Unsubscribe } from '../common/bridge';
import type { BridgeServerMessage } from '../common/bridgeMessages';
import type { CaptureFilters, CaptureOptions, ProcessInfo, SigScopeEvent } from '../common/events';

const eventListeners = new Set<(e: SigScopeEvent[]) => void>();
const infoListeners = new Set<(i: ProcessInfo[]) => void>();
const statusListeners = new Set<(s: CaptureStatus) => void>();
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
    }
  };
  port.start();
});

async function invoke(method: string, ...args: unknown[]): Promise<void> {
  const reply = (await ipcRenderer.invoke(`sigscope:${method}`, ...args)) as { ok: boolean; error?: { message: string; code?: string; hint?: string } };
  if (!reply.ok) {
    // A plain object keeps code and hint across the context bridge.
    throw { message: reply.error?.message ?? 'failed', code: reply.error?.code, hint: reply.error?.hint };
  }
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
  onEvents: (l) => subscribe(eventListeners, l),
  onProcessInfo: (l) => subscribe(infoListeners, l),
  onStatus: (l) => {
    const off = subscribe(statusListeners, l);
    if (lastStatus) l(lastStatus);
    return off;
  },
};

contextBridge.exposeInMainWorld('sigscope', bridge);
