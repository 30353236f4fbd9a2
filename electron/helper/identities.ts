// Finds the processes a batch names for the first time, so the helper can
// read their /proc entries while they still exist.
import { processKey } from '../common/events';
import { Flag, Kind, Offset, RECORD_SIZE, readCString, readU64 } from '../common/record';

export interface Identity {
  pid: number;
  start: number;
  comm: string;
}

export class IdentityScanner {
  private readonly seen = new Set<string>();

  scan(batch: ArrayBuffer): Identity[] {
    const view = new DataView(batch);
    const bytes = new Uint8Array(batch);
    const found: Identity[] = [];
    for (let base = 0; base + RECORD_SIZE <= batch.byteLength; base += RECORD_SIZE) {
      const kind = view.getUint16(base + Offset.kind, true);
      const flags = view.getUint16(base + Offset.flags, true);
      if (kind === Kind.SIGNAL) {
        if (flags & Flag.SENDER_KNOWN && !(flags & Flag.KERNEL)) this.check(view, bytes, base + Offset.sender, found, false);
        if (flags & Flag.TARGET_KNOWN) this.check(view, bytes, base + Offset.target, found, false);
      } else if (kind === Kind.TASK) {
        this.check(view, bytes, base + Offset.target, found, false);
      } else if (kind === Kind.EXEC) {
        this.check(view, bytes, base + Offset.target, found, true); // a new program: read it again
      }
    }
    return found;
  }

  private check(view: DataView, bytes: Uint8Array, at: number, found: Identity[], again: boolean): void {
    const pid = view.getUint32(at + Offset.task.tgid, true);
    if (pid === 0) return;
    const start = Math.floor(readU64(view, at + Offset.task.start) / 1000);
    const key = processKey(pid, start);
    if (!again && this.seen.has(key)) return;
    this.seen.add(key);
    found.push({ pid, start, comm: readCString(bytes, at + Offset.task.comm, 16) });
  }
}
