// A SigScopeBridge over any message channel that carries BridgeCall out and
// BridgeServerMessage in (the browser mode's WebSocket).
import type { AppCommand, CaptureStatus, RecordingFileBytes, SigScopeBridge, Unsubscribe } from '../../electron/common/bridge';
import type { BridgeCall, BridgeServerMessage } from '../../electron/common/bridgeMessages';
import type { CaptureFilters, CaptureOptions, ProcessInfo, SigScopeEvent } from '../../electron/common/events';

type Listener<T> = (value: T) => void;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export class BridgeCallError extends Error {
  constructor(message: string, readonly code?: string, readonly hint?: string) {
    super(message);
  }
}

export class MessageBridge implements SigScopeBridge {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: string | null) => void; reject: (e: Error) => void }>();
  private readonly openListeners = new Set<Listener<RecordingFileBytes>>();
  private readonly commandListeners = new Set<Listener<AppCommand>>();
  private readonly eventListeners = new Set<Listener<SigScopeEvent[]>>();
  private readonly infoListeners = new Set<Listener<ProcessInfo[]>>();
  private readonly statusListeners = new Set<Listener<CaptureStatus>>();
  private lastStatus: CaptureStatus | null = null;

  /**
   * `save` carries out saveRecording: the browser mode downloads the session
   * file over HTTP rather than through the channel.
   */
  constructor(
    private readonly send: (call: BridgeCall) => void,
    private readonly save: (path?: string) => Promise<string | null> = () => Promise.reject(new BridgeCallError('This page has no capture backend, so there is no recording to save.', 'no-backend')),
  ) {}

  /** Feed one message from the channel. */
  receive(message: BridgeServerMessage): void {
    switch (message.kind) {
      case 'reply': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.ok) p.resolve(message.value ?? null);
        else p.reject(new BridgeCallError(message.error.message, message.error.code, message.error.hint));
        break;
      }
      case 'events':
        for (const l of this.eventListeners) l(message.events);
        break;
      case 'process-info':
        for (const l of this.infoListeners) l(message.infos);
        break;
      case 'status':
        this.lastStatus = message.status;
        for (const l of this.statusListeners) l(message.status);
        break;
      case 'open-recording':
        for (const l of this.openListeners) l({ name: message.name, bytes: message.bytes });
        break;
      case 'command':
        for (const l of this.commandListeners) l(message.command);
        break;
    }
  }

  /** The channel went away: fail what is waiting. */
  disconnected(reason: string): void {
    for (const p of this.pending.values()) p.reject(new BridgeCallError(reason, 'disconnected'));
    this.pending.clear();
  }

  private call(call: DistributiveOmit<BridgeCall, 'id'>): Promise<void> {
    return this.callForValue(call).then(() => undefined);
  }

  private callForValue(call: DistributiveOmit<BridgeCall, 'id'>): Promise<string | null> {
    const id = this.nextId++;
    return new Promise<string | null>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.send({ ...call, id } as BridgeCall);
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  startCapture(options: CaptureOptions): Promise<void> {
    return this.call({ kind: 'call', method: 'startCapture', arg: options });
  }
  stopCapture(): Promise<void> {
    return this.call({ kind: 'call', method: 'stopCapture' });
  }
  setFilters(filters: CaptureFilters): Promise<void> {
    return this.call({ kind: 'call', method: 'setFilters', arg: filters });
  }
  saveRecording(path?: string): Promise<string | null> {
    return this.save(path);
  }
  onOpenRecording(listener: Listener<RecordingFileBytes>): Unsubscribe {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }
  onCommand(listener: Listener<AppCommand>): Unsubscribe {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }
  onEvents(listener: Listener<SigScopeEvent[]>): Unsubscribe {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  onProcessInfo(listener: Listener<ProcessInfo[]>): Unsubscribe {
    this.infoListeners.add(listener);
    return () => this.infoListeners.delete(listener);
  }
  onStatus(listener: Listener<CaptureStatus>): Unsubscribe {
    this.statusListeners.add(listener);
    if (this.lastStatus) listener(this.lastStatus);
    return () => this.statusListeners.delete(listener);
  }
}
