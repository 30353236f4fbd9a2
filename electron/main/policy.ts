// The Electron main process's security decisions, as plain functions so that
// they are tested under Node: window options, the content security policy,
// which URLs the window may show, and which IPC messages are accepted.
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import { isFilters, isSuggestedPath, type BridgeMethod } from '../common/bridgeMessages';
import type { CaptureFilters, CaptureOptions } from '../common/events';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1480,
    height: 920,
    minWidth: 900,
    minHeight: 600,
    title: 'SigScope',
    backgroundColor: '#0d1117',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: true,
    },
  };
}

export function appIndexUrl(appDir: string): string {
  return pathToFileURL(`${appDir}/index.html`).href;
}

/** The window shows the app's own page and nothing else (no navigation, no new windows). */
export function isAppUrl(url: string, indexUrl: string): boolean {
  try {
    const u = new URL(url);
    const i = new URL(indexUrl);
    return u.protocol === 'file:' && u.pathname === i.pathname && u.host === i.host;
  } catch {
    return false;
  }
}

export const IPC_PREFIX = 'sigscope:';

export type ValidatedCall =
  | { ok: true; method: 'startCapture'; arg: CaptureOptions }
  | { ok: true; method: 'stopCapture' }
  | { ok: true; method: 'setFilters'; arg: CaptureFilters }
  | { ok: true; method: 'saveRecording'; arg: string | undefined }
  | { ok: false; reason: string };

const METHODS: readonly BridgeMethod[] = ['startCapture', 'stopCapture', 'setFilters', 'saveRecording'];

/**
 * Checks one IPC invocation: the channel, that it comes from the app's own
 * page in the window's main frame, and its argument.
 */
export function validateIpc(channel: string, sender: { url: string | undefined; isMainFrame: boolean }, indexUrl: string, args: unknown[]): ValidatedCall {
  if (!channel.startsWith(IPC_PREFIX)) return { ok: false, reason: `unknown channel ${channel}` };
  if (!sender.isMainFrame) return { ok: false, reason: 'IPC from a subframe' };
  if (!sender.url || !isAppUrl(sender.url, indexUrl)) return { ok: false, reason: `IPC from an unexpected page (${sender.url ?? 'none'})` };
  const method = channel.slice(IPC_PREFIX.length) as BridgeMethod;
  if (!METHODS.includes(method)) return { ok: false, reason: `unknown method ${method}` };
  if (method === 'stopCapture') return args.length === 0 ? { ok: true, method } : { ok: false, reason: 'stopCapture takes no argument' };
  if (method === 'saveRecording') {
    // Only a name to suggest in the save dialog: the user picks where the file goes.
    if (args.length === 0 || (args.length === 1 && args[0] === undefined)) return { ok: true, method, arg: undefined };
    return args.length === 1 && isSuggestedPath(args[0]) ? { ok: true, method, arg: args[0] } : { ok: false, reason: 'saveRecording: invalid name' };
  }
  if (args.length !== 1 || !isFilters(args[0])) return { ok: false, reason: `${method}: invalid options` };
  return method === 'startCapture' ? { ok: true, method, arg: args[0] as CaptureOptions } : { ok: true, method, arg: args[0] as CaptureFilters };
}

/** Words for each failure, shown in the window. */
export function explainFailure(code: string): string {
  switch (code) {
    case 'cancelled':
      return 'Authentication was cancelled. Capturing needs administrator rights; you can still open a recording or the demo.';
    case 'no-pkexec':
      return 'pkexec is not installed, so SigScope cannot ask for administrator rights. Install polkit (apt-get install pkexec), or run SigScope as root.';
    case 'not-permitted':
      return 'The helper was not permitted to load its eBPF programs. Run it as root, or give it CAP_BPF and CAP_PERFMON.';
    case 'no-btf':
      return 'This kernel has no BTF type information (/sys/kernel/btf/vmlinux), which the capture needs. Use a kernel built with CONFIG_DEBUG_INFO_BTF.';
    case 'helper-exited':
      return 'The capture helper stopped unexpectedly. Start the capture again; the details are in the status bar.';
    default:
      return 'The capture could not start.';
  }
}
