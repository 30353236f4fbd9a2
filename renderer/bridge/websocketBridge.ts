// The browser mode's bridge: the same SigScopeBridge as the desktop app's
// preload, over a WebSocket to `sigscope serve`. The token comes from the
// URL the server printed.
import type { BridgeServerMessage } from '../../electron/common/bridgeMessages';
import { MessageBridge } from './messageBridge';

export function connectWebSocketBridge(location: { host: string; protocol: string }, token: string): MessageBridge {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
  let socket: WebSocket | null = null;
  const queue: string[] = [];
  const bridge = new MessageBridge((call) => {
    const text = JSON.stringify(call);
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  });
  const open = () => {
    socket = new WebSocket(url);
    socket.onopen = () => {
      while (queue.length) socket!.send(queue.shift()!);
    };
    socket.onmessage = (m) => {
      if (typeof m.data !== 'string') return;
      try {
        bridge.receive(JSON.parse(m.data) as BridgeServerMessage);
      } catch {
        // A malformed frame from the server is dropped; the next status repairs the view.
      }
    };
    socket.onclose = () => {
      bridge.disconnected('The connection to the SigScope server was lost.');
      bridge.receive({
        kind: 'status',
        status: { state: 'error', stats: null, error: { code: 'disconnected', message: 'The connection to the SigScope server was lost.', hint: 'Check that `sigscope serve` is still running, then reload the page.' } },
      });
    };
  };
  open();
  return bridge;
}
