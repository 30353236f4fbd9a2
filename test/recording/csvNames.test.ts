// A process names itself: the CSV must not let a spreadsheet run that name as a formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvRow } from '../../electron/common/export';
import type { SignalEvent } from '../../electron/common/events';

test('process names that a spreadsheet would take for formulas are written inert', () => {
  const task = (comm: string) => ({ pid: 10, tid: 10, comm, start: 1 });
  const event: SignalEvent = {
    type: 'signal', time: '2026-12-04T20:00:00.000Z', ts: 1, sig: 15, signal: 'SIGTERM', origin: 'user', syscall: 'kill',
    code: 0, codeName: 'SI_USER', errno: null, ret: -1, result: 'delivered', requested: -1, requestedTgid: null,
    sender: task('=HYPERLINK("x")'), target: task('@sum'), context: null, senderNsPid: null, targetNsPid: null, uid: 0, group: false,
  };
  const row = csvRow(event);
  assert.ok(row.includes(`"'=HYPERLINK(""x"")"`), row);
  assert.ok(row.includes(",'@sum,"), row);
  // numbers stay numbers: kill(-1) keeps its requested pid
  assert.ok(row.includes(',-1,'), row);
});
