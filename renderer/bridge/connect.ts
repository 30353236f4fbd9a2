// Which bridge the page has: the desktop app's preload puts one on
// window.sigscope; the browser mode connects a WebSocket; a page opened any
// other way can still show recordings and the demo.
import type { SigScopeBridge } from '../../electron/common/bridge';
import { MessageBridge } from './messageBridge';
import { connectWebSocketBridge } from './websocketBridge';

export type BridgeMode = 'desktop' | 'browser' | 'offline';

declare global {
  interface Window {
    sigscope?: SigScopeBridge;
  }
}

export function connectBridge(): { bridge: SigScopeBridge; mode: BridgeMode } {
  if (window.sigscope) return { bridge: window.sigscope, mode: 'desktop' };
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) return { bridge: connectWebSocketBridge(window.location, token), mode: 'browser' };
  const offline = new MessageBridge((call) => {
    queueMicrotask(() =>
      offline.receive({
        kind: 'reply',
        id: call.id,
        ok: false,
        error: {
          code: 'no-backend',
          message: 'This page has no capture backend.',
          hint: 'Run the desktop app, or `npx sigscope serve` and open the URL it prints.',
        },
      }),
    );
  });
  return { bridge: offline, mode: 'offline' };
}
