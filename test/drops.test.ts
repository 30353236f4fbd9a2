// A ring buffer too small for a storm loses records; every one lost is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoot, startCapture } from './support/capture';
import { storm } from './support/storm';

test('records lost to a full ring buffer are counted, and the counts add up', { skip: !isRoot && 'needs root' }, async () => {
  const calls = 200_000;
  // 4 KiB holds 32 records; the reader drains every 10 ms (no early wakeup): a storm overflows it.
  const capture = await startCapture({ ringBytes: 4096, wakeupBytes: 1 << 30, lifecycle: false, kernel: false });
  let stormPid = 0;
  let captured = 0;
  let drops = 0;
  try {
    const result = storm(calls);
    stormPid = result.pid;
    assert.equal(result.calls, calls);
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    await capture.close();
  }
  captured = capture.signals((e) => e.sender.pid === stormPid).length;
  drops = capture.client.lastStats?.drops ?? -1;
  assert.ok(drops > 0, `expected drops with a 4 KiB ring, got ${drops}`);
  assert.ok(captured < calls, `captured ${captured} of ${calls} through a 4 KiB ring`);
  // Every kill() is one record: what arrived plus what was counted lost covers them all.
  assert.ok(captured + drops >= calls, `captured ${captured} + lost ${drops} < ${calls} calls: a loss went uncounted`);
  const perCpu = capture.client.lastStats!.dropsPerCpu;
  assert.equal(perCpu.reduce((a, b) => a + b, 0), drops);
});
