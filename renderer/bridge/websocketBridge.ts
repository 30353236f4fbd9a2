// The browser mode's bridge: the same SigScopeBridge as the desktop app's
// preload, over a WebSocket to `sigscope serve`. The token comes from the
// URL the server printed.
import type { BridgeServerMessage } from '../../electron/common/bridgeMessages';
import { BridgeCallError, MessageBridge } from './messageBridge';

export function connectWebSocketBridge(location: { host: string; protocol: string }, token: string): MessageBridge {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
  let socket: WebSocket | null = null;
  const queue: string[] = [];
  const bridge = new MessageBridge(
    (call) => {
      const text = JSON.stringify(call);
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    (path) => downloadRecording(path),
  );
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

/**
 * Saves the capture's session file through the browser's downloads: the
 * server streams it from GET /recording (the token travels in the page's
 * cookie). Resolves with the name it was offered under.
 */
export async function downloadRecording(path?: string): Promise<string> {
  const head = await fetch('recording', { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
  if (!head.ok) {
    const why = head.status === 404 ? 'There is no recording yet: start a capture first.' : `The server refused (HTTP ${head.status}).`;
    throw new BridgeCallError(why, 'no-recording');
  }
  const offered = /filename="([^"]+)"/.exec(head.headers.get('content-disposition') ?? '')?.[1] ?? 'sigscope.sigscope';
  const name = path ? (path.split(/[\\/]/).pop() || offered) : offered;
  const a = document.createElement('a');
  a.href = 'recording';
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  return name;
}
