import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { CaptureStatus } from '../electron/common/bridge';
import type { CaptureOptions, SigScopeEvent } from '../electron/common/events';
import { CaptureService, type CaptureSource } from '../electron/node/captureService';

/** A stand-in for the helper: records calls, emits what the test tells it to. */
class FakeSource extends EventEmitter implements CaptureSource {
  readonly launcher = 'direct';
  calls: string[] = [];
  failStart: (Error & { code?: string; hint?: string }) | null = null;
  async start(options: CaptureOptions) {
    this.calls.push(`start ${JSON.stringify(options)}`);
    if (this.failStart) throw this.failStart;
  }
  async stop() {
    this.calls.push('stop');
  }
  async setFilters() {
    this.calls.push('filters');
  }
  async close() {
    this.calls.push('close');
    this.emit('exit', 0);
  }
}

const exitEvent = (i: number): SigScopeEvent => ({ type: 'exit', time: '', ts: i, pid: i, tid: i, comm: 'x', start: i, uid: 0, exitCode: 0, exitSignal: null, exitSig: null, core: false });

test('batches events at most 60 times a second and loses none', async () => {
  const source = new FakeSource();
  const service = new CaptureService({ launch: () => source });
  const batches: SigScopeEvent[][] = [];
  service.onEvents((b) => batches.push(b));
  await service.start({});
  const t0 = Date.now();
  let n = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < 50; i++) source.emit('events', [exitEvent(n++)]);
      if (Date.now() - t0 > 500) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await new Promise((r) => setTimeout(r, 50));
  const elapsed = (Date.now() - t0) / 1000;
  assert.equal(batches.flat().length, n);
  assert.ok(batches.length <= Math.ceil(elapsed * 60) + 1, `${batches.length} batches in ${elapsed}s`);
  assert.ok(batches.length >= 5);
  await service.dispose();
});

test('status follows start, stats, stop; errors carry code and hint', async () => {
  const source = new FakeSource();
  const service = new CaptureService({ launch: () => source });
  const states: CaptureStatus[] = [];
  service.onStatus((s) => states.push(s));
  await service.start({ lifecycle: true });
  assert.equal(service.status.state, 'capturing');
  assert.equal(service.status.launcher, 'direct');
  source.emit('stats', { type: 'stats', events: 10, dropsPerCpu: [0, 3], drops: 3, batches: 1, bytes: 100 });
  assert.equal(service.status.stats?.drops, 3);
  source.emit('helper-error', { code: 'internal', message: 'oops' });
  assert.equal(service.status.error?.message, 'oops');
  await service.stop();
  assert.equal(service.status.state, 'stopped');
  assert.deepEqual(states.map((s) => s.state).filter((s, i, a) => s !== a[i - 1]), ['idle', 'starting', 'capturing', 'stopping', 'stopped']);
  await service.dispose();
  assert.ok(source.calls.includes('close'));
});

test('a failed start reports the helper error and the next start launches a new helper', async () => {
  let launches = 0;
  const first = new FakeSource();
  first.failStart = Object.assign(new Error('Authentication was cancelled'), { code: 'cancelled', hint: 'Try again' });
  const second = new FakeSource();
  const service = new CaptureService({ launch: () => (launches++ === 0 ? first : second) });
  await assert.rejects(service.start({}), (e: Error & { code?: string; hint?: string }) => e.code === 'cancelled' && e.hint === 'Try again');
  assert.equal(service.status.state, 'error');
  assert.equal(service.status.error?.code, 'cancelled');
  assert.ok(first.calls.includes('close'));
  await service.start({});
  assert.equal(launches, 2);
  assert.equal(service.status.state, 'capturing');
  assert.equal(service.status.error, null);
  await service.dispose();
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

test('the helper dying while capturing is reported', async () => {
  const source = new FakeSource();
  const service = new CaptureService({ launch: () => source });
  await service.start({});
  source.emit('exit', 1);
  assert.equal(service.status.state, 'error');
  assert.equal(service.status.error?.code, 'helper-exited');
});
