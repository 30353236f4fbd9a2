// Every capture the app makes is recorded: the unprivileged side writes the
// events to a session file as they arrive (the writer flushes at least once
// a second), so a crash of the app loses at most the last second, and
// "Save Recording As…" only has to copy a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureOptions, CaptureStats, ProcessInfo, SigScopeEvent } from '../common/events';
import type { RecordingHeader } from '../common/recording/container';
import { VERSION } from '../common/version';
import { RecordingFileWriter, type WriterOptions } from './recording/file';

/** Where session recordings go: $XDG_STATE_HOME/sigscope/recordings, else ~/.local/state/sigscope/recordings. */
export function defaultRecordingsDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'sigscope', 'recordings');
}

/** A file name that sorts by time and is safe everywhere: sigscope-2025-01-31T10-02-11.sigscope. */
export function sessionFileName(at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, '').replace(/:/g, '-');
  return `sigscope-${stamp}.sigscope`;
}

export interface SessionRecording {
  path: string;
  events: number;
  bytes: number;
  /** Still being written (a capture is running). */
  open: boolean;
  /** Why writing stopped, when it failed (disk full, say); capture goes on. */
  error?: string;
}

/** What the helper says when capture starts: the header needs it. */
export interface CaptureStarted {
  clock?: RecordingHeader['clock'];
  syscallAttach?: string;
}

export interface SessionRecorderOptions {
  /** Directory for session files (created when needed). */
  dir: string;
  writer?: WriterOptions;
  /** For tests: the clock that names files. */
  now?: () => Date;
}

/**
 * One session file per capture. Events that arrive before the helper has
 * said how it started (the header needs its clock) wait in memory.
 */
export class SessionRecorder {
  private writer: RecordingFileWriter | null = null;
  private early: { events: SigScopeEvent[]; infos: ProcessInfo[]; stats: CaptureStats | null } | null = null;
  private last: SessionRecording | null = null;
  private error: string | undefined;
  private options: CaptureOptions = {};

  constructor(private readonly config: SessionRecorderOptions) {}

  /** The current or last session file. */
  get recording(): SessionRecording | null {
    if (this.writer) return { path: this.writer.path, events: this.writer.eventCount, bytes: this.writer.bytesWritten, open: true, ...(this.error ? { error: this.error } : {}) };
    return this.last;
  }

  /** A capture is starting: hold events until `started`. */
  prepare(options: CaptureOptions): void {
    this.finish();
    this.options = options;
    this.error = undefined;
    this.early = { events: [], infos: [], stats: null };
  }

  /** The helper started capturing: open the file and write what waited. */
  started(info: CaptureStarted = {}): void {
    if (!this.early || this.writer) return;
    const early = this.early;
    this.early = null;
    const now = (this.config.now ?? (() => new Date()))();
    try {
      fs.mkdirSync(this.config.dir, { recursive: true, mode: 0o700 });
      let file = path.join(this.config.dir, sessionFileName(now));
      for (let n = 2; fs.existsSync(file); n++) file = path.join(this.config.dir, sessionFileName(now).replace(/\.sigscope$/, `-${n}.sigscope`));
      this.writer = new RecordingFileWriter(
        file,
        {
          sigscope: VERSION, host: os.hostname(), kernel: os.release(), clock: info.clock ?? null, options: this.options,
          ...(info.syscallAttach ? { syscallAttach: info.syscallAttach } : {}),
          started: now.toISOString(), startedTs: now.getTime() * 1000,
        },
        this.config.writer,
      );
    } catch (err) {
      this.fail(err);
      this.last = { path: this.config.dir, events: 0, bytes: 0, open: false, error: this.error };
      return;
    }
    for (const i of early.infos) this.addProcessInfo(i);
    this.addEvents(early.events);
    if (early.stats) this.addStats(early.stats);
  }

  addEvents(events: readonly SigScopeEvent[]): void {
    if (this.early) for (const e of events) this.early.events.push(e);
    else this.write((w) => w.addEvents(events));
  }

  addProcessInfo(info: ProcessInfo): void {
    if (this.early) this.early.infos.push(info);
    else this.write((w) => w.addProcessInfo(info));
  }

  addStats(stats: CaptureStats): void {
    if (this.early) this.early.stats = stats;
    else this.write((w) => w.addStats(stats));
  }

  /** Writes what is buffered now (before the file is copied or sent). */
  flush(): void {
    this.write((w) => w.flush());
  }

  /** The capture ended: close the file (index and trailer written). */
  finish(): void {
    this.early = null;
    const w = this.writer;
    if (!w) return;
    this.writer = null;
    try {
      w.close();
    } catch (err) {
      this.error ??= (err as Error).message;
    }
    this.last = { path: w.path, events: w.eventCount, bytes: fs.existsSync(w.path) ? fs.statSync(w.path).size : w.bytesWritten, open: false, ...(this.error ? { error: this.error } : {}) };
  }

  /**
   * Copies the session file to `dest`. While the capture runs, what has been
   * written so far is flushed first; the copy opens as a recording that was
   * not closed (every event up to the copy is in it).
   */
  async saveAs(dest: string): Promise<SessionRecording> {
    const current = this.recording;
    if (!current) throw Object.assign(new Error('There is no recording to save yet: start a capture first.'), { code: 'no-recording' });
    if (path.resolve(dest) === path.resolve(current.path)) return current;
    this.flush();
    await fs.promises.copyFile(current.path, dest);
    const size = (await fs.promises.stat(dest)).size;
    return { ...current, path: dest, bytes: size };
  }

  private write(run: (w: RecordingFileWriter) => void): void {
    const w = this.writer;
    if (!w) return;
    try {
      run(w);
    } catch (err) {
      // Out of disk or the like: stop recording, keep capturing, and say so.
      this.fail(err);
      this.finish();
    }
  }

  private fail(err: unknown): void {
    this.error = `Recording stopped: ${(err as Error).message ?? String(err)}`;
  }
}
