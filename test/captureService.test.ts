// The capture service over the real helper: batching, status, failures, and a
// new helper for every capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaptureStatus } from '../electron/common/bridge';
import type { SigScopeEvent } from '../electron/common/events';
import { CaptureService } from '../electron/node/captureService';
import { HelperClient, defaultHelperPath } from '../electron/node/helperClient';
import { storm } from './support/storm';
import { alive, until } from './support/wait';

const skip = process.geteuid?.() !== 0 && 'needs root (the helper loads eBPF programs)';

const launchDirect = () => HelperClient.launch({ launcher: 'direct' });

test('a storm of real signals arrives whole, in at most 60 batches a second', { skip }, async () => {
  const service = new CaptureService({ launch: launchDirect });
  const batches: { at: number; events: SigScopeEvent[] }[] = [];
  service.onEvents((events) => batches.push({ at: Date.now(), events }));
  try {
    await service.start({ signals: [10], lifecycle: false, kernel: false });
    const result = storm(50_000);
    const fromStorm = () => batches.reduce((n, b) => n + b.events.filter((e) => e.type === 'signal' && e.sender.pid === result.pid).length, 0);
    await until('all 50,000 signals', () => fromStorm() >= result.calls, 15000);
    assert.equal(fromStorm(), result.calls);
    // No two batches closer than a 60 Hz frame (with a millisecond of timer slack).
    for (let i = 1; i < batches.length; i++) {
      assert.ok(batches[i].at - batches[i - 1].at >= 1000 / 60 - 1, `batches ${i - 1} and ${i} were ${batches[i].at - batches[i - 1].at} ms apart`);
    }
  } finally {
    await service.dispose();
  }
});

test('status follows start, stats and stop; the helper exits after stop and the next start gets a new one', { skip }, async () => {
  const service = new CaptureService({ launch: launchDirect });
  const states: CaptureStatus[] = [];
  service.onStatus((s) => states.push(s));
  const helpers: HelperClient[] = [];
  const tracking = new CaptureService({ launch: () => { const h = launchDirect(); helpers.push(h); return h; } });
  try {
    await service.start({ lifecycle: true });
    assert.equal(service.status.state, 'capturing');
    assert.equal(service.status.launcher, 'direct');
    await until('a stats report', () => service.status.stats !== null);
    assert.equal(service.status.stats?.drops, 0);
    await service.stop();
    assert.equal(service.status.state, 'stopped');
    assert.deepEqual(states.map((s) => s.state).filter((s, i, a) => s !== a[i - 1]), ['idle', 'starting', 'capturing', 'stopping', 'stopped']);

    await tracking.start({});
    await tracking.stop();
    await until('the first helper to exit', () => !alive(helpers[0].pid), 3000);
    await tracking.start({});
    assert.equal(helpers.length, 2);
    assert.notEqual(helpers[1].pid, helpers[0].pid);
    assert.equal(tracking.status.state, 'capturing');
  } finally {
    await service.dispose();
    await tracking.dispose();
  }
});

test('a helper without privileges: the error says so, and the next start launches a new helper', { skip }, async () => {
  let launches = 0;
  const service = new CaptureService({
    launch: () => {
      launches++;
      if (launches === 1) {
        // The real helper, started as nobody: the kernel refuses to load its programs.
        return new HelperClient(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, defaultHelperPath()]);
      }
      return launchDirect();
    },
  });
  try {
    await assert.rejects(service.start({}), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'not-permitted');
      assert.match(e.message, /CAP_BPF/);
      assert.match(e.hint ?? '', /sudo/);
      return true;
    });
    assert.equal(service.status.state, 'error');
    assert.equal(service.status.error?.code, 'not-permitted');
    await service.start({});
    assert.equal(launches, 2);
    assert.equal(service.status.state, 'capturing');
    assert.equal(service.status.error, null);
  } finally {
    await service.dispose();
  }
});

test('a launch that throws (no pkexec) becomes an error status', async () => {
  const service = new CaptureService({
    launch: () => {
      throw Object.assign(new Error('pkexec is not installed'), { code: 'no-pkexec', hint: 'Install polkit' });
    },
  });
  await assert.rejects(service.start({}), /pkexec/);
  assert.deepEqual(service.status.error, { code: 'no-pkexec', message: 'pkexec is not installed', hint: 'Install polkit' });
});

test('the helper killed while capturing is reported', { skip }, async () => {
  let helper: HelperClient | null = null;
  const service = new CaptureService({ launch: () => (helper = launchDirect()) });
  try {
    await service.start({});
    process.kill(helper!.pid!, 'SIGKILL');
    await until('the error status', () => service.status.state === 'error');
    assert.equal(service.status.error?.code, 'helper-exited');
  } finally {
    await service.dispose();
  }
});
