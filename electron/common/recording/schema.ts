// Which fields each event type has, in the order the assembler writes them
// (so a decoded event prints byte for byte as the live one did), and how each
// is stored. An event that does not match its schema exactly (an extra field,
// a missing one, another order, a value of another kind) is stored as JSON
// instead: the recording never loses a field.

export type FieldKind =
  | 'type' // the event type literal; not stored
  | 'time' // ISO string; stored only when it is not new Date(ts / 1000).toISOString()
  | 'int' // integer, |v| ≤ 2^52, stored as a delta from the column's previous value
  | 'nint' // int or null
  | 'str' // string from the block's dictionary
  | 'nstr' // str or null
  | 'bool'
  | 'task' // TaskRef: pid, tid, comm, start
  | 'ntask'; // TaskRef or null

export interface Field {
  name: string;
  kind: FieldKind;
}

export const TYPE_SIGNAL = 0;
export const TYPE_FALLBACK = 5;

const f = (name: string, kind: FieldKind): Field => ({ name, kind });

const LIFECYCLE_BASE: Field[] = [
  f('time', 'time'), f('ts', 'int'), f('pid', 'int'), f('tid', 'int'), f('comm', 'str'),
  f('start', 'int'), f('uid', 'int'), f('type', 'type'),
];

/** Index = the type code stored in the kind column. Format version 1: never reorder. */
export const SCHEMAS: readonly { type: string; fields: readonly Field[] }[] = [
  {
    type: 'signal',
    fields: [
      f('type', 'type'), f('time', 'time'), f('ts', 'int'), f('sig', 'int'), f('signal', 'str'),
      f('origin', 'str'), f('syscall', 'nstr'), f('code', 'nint'), f('codeName', 'nstr'),
      f('errno', 'nstr'), f('ret', 'nint'), f('result', 'nstr'), f('requested', 'nint'),
      f('requestedTgid', 'nint'), f('sender', 'task'), f('target', 'ntask'), f('context', 'ntask'),
      f('senderNsPid', 'nint'), f('targetNsPid', 'nint'), f('uid', 'nint'), f('group', 'bool'),
    ],
  },
  {
    type: 'fork',
    fields: [...LIFECYCLE_BASE, f('ppid', 'int'), f('parentStart', 'int'), f('parentComm', 'str'), f('nsPid', 'nint')],
  },
  { type: 'exec', fields: [...LIFECYCLE_BASE, f('filename', 'str'), f('truncated', 'bool')] },
  {
    type: 'exit',
    fields: [...LIFECYCLE_BASE, f('exitCode', 'nint'), f('exitSignal', 'nstr'), f('exitSig', 'nint'), f('core', 'bool')],
  },
  {
    type: 'process',
    fields: [...LIFECYCLE_BASE, f('ppid', 'int'), f('parentStart', 'int'), f('nsPid', 'nint')],
  },
];

export const TASK_FIELDS = ['pid', 'tid', 'comm', 'start'] as const;

/**
 * Every column of an events block, in the order they are written. Fields of
 * the same name share a column across types (ts, uid, ...); a task field has
 * a presence column (used by ntask) and one per member.
 */
export const COLUMNS: readonly string[] = (() => {
  const names = new Set<string>(['kind']);
  for (const schema of SCHEMAS) {
    for (const field of schema.fields) {
      if (field.kind === 'type') continue;
      names.add(field.name);
      if (field.kind === 'task' || field.kind === 'ntask') {
        for (const member of TASK_FIELDS) names.add(`${field.name}.${member}`);
      }
    }
  }
  return [...names];
})();

export const COLUMN_INDEX: ReadonlyMap<string, number> = new Map(COLUMNS.map((name, i) => [name, i]));

/** Largest integer magnitude stored as an integer; beyond it the event is stored as JSON. */
export const MAX_INT = 2 ** 52;
