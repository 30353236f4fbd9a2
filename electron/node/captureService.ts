// Turns a capture source (the helper) into the bridge's events: decoded
// events and process information in batches, at most 60 a second, and one
// status that says what the capture is doing. Shared by the Electron main
// process and the browser mode's server.
import type { EventEmitter } from 'node:events';
import type { CaptureState, CaptureStatus, HelperError, Unsubscribe } from '../common/bridge';
import type { CaptureFilters, CaptureOptions, CaptureStats, ProcessInfo, SigScopeEvent } from '../common/events';
import type { CaptureStarted, SessionRecorder } from './sessionRecorder';

/** What CaptureService needs from the helper; HelperClient is one. */
export interface CaptureSource extends EventEmitter {
  start(options: CaptureOptions): Promise<void>;
  stop(): Promise<void>;
  setFilters(filters: CaptureFilters): Promise<void>;
  close(): Promise<void>;
  readonly launcher?: string;
}

export interface CaptureServiceOptions {
  /** Starts a helper; may throw (Error with code and hint) when it can't. */
  launch: () => CaptureSource;
  /** Minimum time between two batches (default 1000/60 ms). */
  batchIntervalMs?: number;
  /** Records every capture into a session file (none: nothing is written). */
  recorder?: SessionRecorder;
}

type Listener<T> = (value: T) => void;

export class CaptureService {
  private source: CaptureSource | null = null;
  private statusValue: CaptureStatus = { state: 'idle', stats: null, error: null };
  private pendingEvents: SigScopeEvent[] = [];
  private pendingInfos: ProcessInfo[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private readonly interval: number;
  private readonly eventListeners = new Set<Listener<SigScopeEvent[]>>();
  private readonly infoListeners = new Set<Listener<ProcessInfo[]>>();
  private readonly statusListeners = new Set<Listener<CaptureStatus>>();
  /** Batches sent so far (tests check the rate). */
  batchesSent = 0;
  private lastRecordingStatus = 0;

  constructor(private readonly options: CaptureServiceOptions) {
    this.interval = options.batchIntervalMs ?? 1000 / 60;
  }

  get status(): CaptureStatus {
    return this.statusValue;
  }

  onEvents(l: Listener<SigScopeEvent[]>): Unsubscribe {
    this.eventListeners.add(l);
    return () => this.eventListeners.delete(l);
  }
  onProcessInfo(l: Listener<ProcessInfo[]>): Unsubscribe {
    this.infoListeners.add(l);
    return () => this.infoListeners.delete(l);
  }
  onStatus(l: Listener<CaptureStatus>): Unsubscribe {
    this.statusListeners.add(l);
    l(this.statusValue);
    return () => this.statusListeners.delete(l);
  }

  get recorder(): SessionRecorder | undefined {
    return this.options.recorder;
  }

  async start(options: CaptureOptions): Promise<void> {
    const state = this.statusValue.state;
    if (state === 'capturing' || state === 'starting') return;
    this.options.recorder?.prepare(options);
    this.setStatus({ state: 'starting', error: null, stats: null });
    let source: CaptureSource;
    try {
      source = this.source ?? this.attach(this.options.launch());
    } catch (err) {
      const error = toHelperError(err);
      this.setStatus({ state: 'error', error });
      throw Object.assign(new Error(error.message), error);
    }
    try {
      await source.start(options);
      // A source that doesn't announce how it started still gets its file.
      this.options.recorder?.started();
      this.setStatus({ state: 'capturing', launcher: source.launcher, ...this.recordingPatch() });
    } catch (err) {
      this.options.recorder?.finish();
      const error = toHelperError(err);
      this.setStatus({ state: 'error', error });
      // A helper that failed to start is not reused: the next attempt launches a fresh one.
      this.detach();
      void source.close().catch(() => undefined);
      throw Object.assign(new Error(error.message), error);
    }
  }

  async stop(): Promise<void> {
    const source = this.source;
    if (!source || this.statusValue.state !== 'capturing') return;
    this.setStatus({ state: 'stopping' });
    try {
      await source.stop();
      // The last events go out before the state says stopped.
      this.flush();
      this.setStatus({ state: 'stopped' });
    } catch (err) {
      this.setStatus({ state: 'error', error: toHelperError(err) });
      throw err;
    } finally {
      // A helper captures once: it gives up its privileges while capturing. Let
      // it exit; the next start launches a new one (polkit's auth_admin_keep
      // spares the user a second password for a few minutes).
      this.flush();
      this.detach();
      this.options.recorder?.finish();
      this.setStatus(this.recordingPatch());
      void source.close().catch(() => undefined);
    }
  }

  async setFilters(filters: CaptureFilters): Promise<void> {
    if (!this.source) return;
    await this.source.setFilters(filters);
  }

  async dispose(): Promise<void> {
    const source = this.source;
    this.detach();
    this.options.recorder?.finish();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (source) await source.close().catch(() => undefined);
  }

  private readonly handlers = {
    started: (started: CaptureStarted) => this.options.recorder?.started(started),
    events: (events: SigScopeEvent[]) => {
      this.options.recorder?.addEvents(events);
      for (const e of events) this.pendingEvents.push(e);
      this.schedule();
    },
    info: (info: ProcessInfo) => {
      this.options.recorder?.addProcessInfo(info);
      this.pendingInfos.push(info);
      this.schedule();
    },
    stats: (stats: CaptureStats) => {
      this.options.recorder?.addStats(stats);
      this.setStatus({ stats, ...this.recordingPatch() });
    },
    error: (error: HelperError) => this.setStatus({ error }),
    state: (state: CaptureState) => {
      // The service drives starting/stopping itself; from the helper only failure matters here.
      if (state === 'error') this.setStatus({ state: 'error' });
    },
    exit: (code: number | null) => {
      const wasCapturing = this.statusValue.state === 'capturing';
      this.flush();
      this.detach();
      this.options.recorder?.finish();
      if (this.options.recorder) this.setStatus(this.recordingPatch());
      if (wasCapturing) {
        this.setStatus({
          state: 'error',
          error: this.statusValue.error ?? { code: 'helper-exited', message: `The capture helper exited (code ${code ?? 'none'}).`, hint: 'Start the capture again.' },
        });
      }
    },
  };

  /** The source's events and what handles each. */
  private readonly subscriptions: [string, (...args: any[]) => void][] = [
    ['started', this.handlers.started],
    ['events', this.handlers.events],
    ['process-info', this.handlers.info],
    ['stats', this.handlers.stats],
    ['helper-error', this.handlers.error],
    ['state', this.handlers.state],
    ['exit', this.handlers.exit],
  ];

  private attach(source: CaptureSource): CaptureSource {
    this.source = source;
    for (const [name, handler] of this.subscriptions) source.on(name, handler);
    return source;
  }

  private detach(): void {
    const s = this.source;
    if (!s) return;
    for (const [name, handler] of this.subscriptions) s.off(name, handler);
    this.source = null;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastFlush = Date.now();
    if (this.pendingInfos.length) {
      const infos = this.pendingInfos;
      this.pendingInfos = [];
      for (const l of this.infoListeners) l(infos);
    }
    if (this.pendingEvents.length) {
      const events = this.pendingEvents;
      this.pendingEvents = [];
      this.batchesSent++;
      for (const l of this.eventListeners) l(events);
    }
    // The status bar shows the session file growing, about once a second.
    if (this.options.recorder && this.lastFlush - this.lastRecordingStatus >= 1000) {
      this.lastRecordingStatus = this.lastFlush;
      this.setStatus(this.recordingPatch());
    }
  }

  private recordingPatch(): Partial<CaptureStatus> {
    return this.options.recorder ? { recording: this.options.recorder.recording } : {};
  }

  private setStatus(patch: Partial<CaptureStatus>): void {
    this.statusValue = { ...this.statusValue, ...patch };
    for (const l of this.statusListeners) l(this.statusValue);
  }
}

export function toHelperError(err: unknown): HelperError {
  const e = err as Partial<HelperError> & { message?: string };
  return {
    code: typeof e?.code === 'string' ? e.code : 'internal',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.hint === 'string' ? { hint: e.hint } : {}),
  };
}
