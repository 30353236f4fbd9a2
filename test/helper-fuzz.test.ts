// Thousands of random and truncated command frames: the helper answers each
// with an error frame, never crashes, and its state does not change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelperClient } from '../electron/node/helperClient';
import type { HelperError } from '../electron/common/bridge';
import { FRAME_JSON, encodeFrame, encodeJson } from '../electron/common/protocol';

const isRoot = process.geteuid?.() === 0;

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function badFrame(rand: () => number): Uint8Array {
  const pick = Math.floor(rand() * 6);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const json = (value: unknown) => encodeFrame(FRAME_JSON, new TextEncoder().encode(JSON.stringify(value)));
  switch (pick) {
    case 0: // random payload, random type
      return encodeFrame(Math.floor(rand() * 256), bytes(1 + Math.floor(rand() * 200)));
    case 1: // random bytes in a JSON frame
      return encodeFrame(FRAME_JSON, bytes(1 + Math.floor(rand() * 200)));
    case 2: // JSON that is not a command
      return json([null, 1, 'x', true, { id: 'one' }, { command: 'start' }][Math.floor(rand() * 6)]);
    case 3: // a command the helper does not know
      return json({ id: Math.floor(rand() * 1e6), command: `cmd-${Math.floor(rand() * 1e6)}` });
    case 4: // a known command with bad options
      return json({ id: 7, command: 'set-filters', filters: { signals: [Math.floor(rand() * 1000) + 64] } });
    default: // start with an unknown option (must not start anything)
      return json({ id: 8, command: 'start', options: { [`x${Math.floor(rand() * 100)}`]: 1 } });
  }
}

async function fuzz(client: HelperClient, frames: number, seed: number): Promise<void> {
  const rand = random(seed);
  const errors: HelperError[] = [];
  client.on('helper-error', (e: HelperError) => errors.push(e));
  for (let i = 0; i < frames; i++) {
    const before = errors.length;
    client.writeRaw(badFrame(rand));
    const deadline = Date.now() + 2000;
    while (errors.length === before && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.equal(errors.length, before + 1, `frame ${i} (seed ${seed}) got no error frame`);
    assert.match(errors.at(-1)!.code, /^(bad-command|bad-frame|not-capturing)$/);
  }
}

test('2000 malformed frames to an idle helper: an error each, and it still answers', async () => {
  const client = HelperClient.launch({ launcher: 'direct' });
  try {
    await client.ready;
    await fuzz(client, 2000, 20261204);
    // Nothing started: set-filters still says there is no capture.
    await assert.rejects(client.setFilters({}), (e: Error & { code?: string }) => e.code === 'not-capturing');
    const stats = await client.stats();
    assert.equal(stats?.events, 0);
  } finally {
    await client.close();
  }
});

test('malformed frames during a capture change nothing: it keeps capturing with the same filters', { skip: !isRoot && 'needs root' }, async () => {
  const client = HelperClient.launch({ launcher: 'direct' });
  const signals: number[] = [];
  client.on('events', (events: { type: string; sig?: number; sender?: { pid: number } }[]) => {
    for (const e of events) if (e.type === 'signal' && e.sender?.pid === process.pid) signals.push(e.sig!);
  });
  try {
    await client.start({ signals: [10], lifecycle: false });
    await fuzz(client, 500, 7);
    process.kill(process.pid, 0); // signal 0: filtered out
    const { spawn } = await import('node:child_process');
    const sleeper = spawn('sleep', ['5']);
    await new Promise((r) => setTimeout(r, 100));
    sleeper.kill('SIGUSR1');
    const deadline = Date.now() + 5000;
    while (!signals.includes(10) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...new Set(signals)], [10], 'still capturing, still only SIGUSR1');
    assert.equal(client.captureState, 'capturing');
  } finally {
    await client.stop().catch(() => undefined);
    await client.close();
  }
});

test('a frame cut off by the end of input is reported', async () => {
  const client = HelperClient.launch({ launcher: 'direct' });
  const errors: HelperError[] = [];
  client.on('helper-error', (e: HelperError) => errors.push(e));
  await client.ready;
  const whole = encodeJson({ id: 1, command: 'stats' });
  client.writeRaw(whole.subarray(0, whole.length - 3));
  await client.close();
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'bad-frame');
  assert.match(errors[0].message, /ended inside a frame/);
});
