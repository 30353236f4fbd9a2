// Decodes bpf/sigscope.h's struct ss_event. The offsets here are checked
// against the C compiler's by test/layout.test.ts.

export const RECORD_SIZE = 128;
export const COMM_LEN = 16;
export const FILENAME_LEN = 48;

export const Kind = { SIGNAL: 1, ATTEMPT_END: 2, FORK: 3, EXEC: 4, EXIT: 5, TASK: 6 } as const;

export const Flag = {
  KERNEL: 1 << 0,
  NO_SIGNAL: 1 << 1,
  MULTI: 1 << 2,
  RET_KNOWN: 1 << 3,
  TARGET_KNOWN: 1 << 4,
  GROUP: 1 << 5,
  TRUNCATED: 1 << 6,
  CORE: 1 << 7,
  SENDER_KNOWN: 1 << 8,
} as const;

/** Byte offsets of every field of struct ss_event. */
export const Offset = {
  ts: 0,
  kind: 8,
  flags: 10,
  uid: 12,
  sender: 16,
  target: 48,
  task: { tid: 0, tgid: 4, start: 8, comm: 16 },
  u: 80,
  signal: {
    sig: 80, code: 84, result: 88, ret: 92, requested: 96, requestedTgid: 100,
    syscall: 104, count: 108, attempt: 112, senderNsPid: 120, targetNsPid: 124,
  },
  life: { exitCode: 80, ppid: 84, parentStart: 88, nsPid: 96 },
  filename: 80,
} as const;

export interface RawTask {
  tid: number;
  tgid: number;
  /** ns since boot; a bigint would be exact, but µs precision is all anything needs. */
  startNs: number;
  comm: string;
}

export interface RawRecord {
  tsNs: number;
  kind: number;
  flags: number;
  uid: number;
  sender: RawTask;
  target: RawTask;
  sig: number;
  code: number;
  result: number;
  ret: number;
  requested: number;
  requestedTgid: number;
  syscall: number;
  count: number;
  attempt: number;
  senderNsPid: number;
  targetNsPid: number;
  exitCode: number;
  ppid: number;
  parentStartNs: number;
  nsPid: number;
  filename: string;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function readCString(bytes: Uint8Array, offset: number, max: number): string {
  let end = offset;
  const limit = offset + max;
  while (end < limit && bytes[end] !== 0) end++;
  return decoder.decode(bytes.subarray(offset, end));
}

export function readU64(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 0x1_0000_0000;
}

function readTask(view: DataView, bytes: Uint8Array, offset: number): RawTask {
  return {
    tid: view.getUint32(offset + Offset.task.tid, true),
    tgid: view.getUint32(offset + Offset.task.tgid, true),
    startNs: readU64(view, offset + Offset.task.start),
    comm: readCString(bytes, offset + Offset.task.comm, COMM_LEN),
  };
}

export function decodeRecord(view: DataView, bytes: Uint8Array, base: number): RawRecord {
  const kind = view.getUint16(base + Offset.kind, true);
  const life = kind !== Kind.SIGNAL && kind !== Kind.ATTEMPT_END;
  return {
    tsNs: readU64(view, base + Offset.ts),
    kind,
    flags: view.getUint16(base + Offset.flags, true),
    uid: view.getUint32(base + Offset.uid, true),
    sender: readTask(view, bytes, base + Offset.sender),
    target: readTask(view, bytes, base + Offset.target),
    sig: life ? 0 : view.getInt32(base + Offset.signal.sig, true),
    code: life ? 0 : view.getInt32(base + Offset.signal.code, true),
    result: life ? -1 : view.getInt32(base + Offset.signal.result, true),
    ret: life ? 0 : view.getInt32(base + Offset.signal.ret, true),
    requested: life ? 0 : view.getInt32(base + Offset.signal.requested, true),
    requestedTgid: life ? 0 : view.getInt32(base + Offset.signal.requestedTgid, true),
    syscall: life ? 0 : view.getUint32(base + Offset.signal.syscall, true),
    count: life ? 0 : view.getUint32(base + Offset.signal.count, true),
    attempt: life ? 0 : readU64(view, base + Offset.signal.attempt),
    senderNsPid: life ? 0 : view.getInt32(base + Offset.signal.senderNsPid, true),
    targetNsPid: life ? 0 : view.getInt32(base + Offset.signal.targetNsPid, true),
    exitCode: life ? view.getInt32(base + Offset.life.exitCode, true) : 0,
    ppid: life ? view.getUint32(base + Offset.life.ppid, true) : 0,
    parentStartNs: life ? readU64(view, base + Offset.life.parentStart) : 0,
    nsPid: life ? view.getInt32(base + Offset.life.nsPid, true) : 0,
    filename: kind === Kind.EXEC ? readCString(bytes, base + Offset.filename, FILENAME_LEN) : '',
  };
}

/** Every record of a batch (a whole number of records; a trailing partial one is an error). */
export function decodeBatch(buffer: ArrayBuffer | Uint8Array): RawRecord[] {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.byteLength % RECORD_SIZE !== 0) {
    throw new Error(
      `A batch of ${bytes.byteLength} bytes is not a whole number of ${RECORD_SIZE}-byte records.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: RawRecord[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += RECORD_SIZE) {
    records.push(decodeRecord(view, bytes, offset));
  }
  return records;
}
