// A reader that stops reading: the helper's memory stays bounded, and what
// could not be kept is counted as lost by the kernel, not dropped silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { defaultHelperPath } from '../electron/node/helperClient';
import { FRAME_EVENTS, FRAME_JSON, FrameReader, decodeJson, encodeJson } from '../electron/common/protocol';
import { Kind, Offset, RECORD_SIZE } from '../electron/common/record';
import { storm } from './support/storm';

const isRoot = process.geteuid?.() === 0;

function rssMiB(pid: number): number {
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return kib / 1024;
}

test('a reader that falls behind: bounded helper memory, every lost record counted', { skip: !isRoot && 'needs root' }, async () => {
  const helper = spawn(process.execPath, [defaultHelperPath()], { stdio: ['pipe', 'pipe', 'inherit'] });
  const reader = new FrameReader();
  const messages: any[] = [];
  let stormPid = -1;
  let fromStorm = 0;
  const onData = (chunk: Buffer) => {
    for (const frame of reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
      if (frame.type === FRAME_JSON) messages.push(decodeJson(frame.payload));
      else if (frame.type === FRAME_EVENTS) {
        const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength);
        for (let at = 0; at < frame.payload.byteLength; at += RECORD_SIZE) {
          if (view.getUint16(at + Offset.kind, true) === Kind.SIGNAL &&
              view.getUint32(at + Offset.sender + Offset.task.tgid, true) === stormPid) fromStorm++;
        }
      }
    }
  };
  const until = async (what: string, match: (m: any) => boolean, ms = 20000) => {
    const deadline = Date.now() + ms;
    while (!messages.some(match)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return messages.find(match);
  };
  try {
    helper.stdout.on('data', onData);
    helper.stdin.write(encodeJson({ id: 1, command: 'start', options: { signals: [10], lifecycle: false, kernel: false, snapshot: false } }));
    await until('started', (m) => m.type === 'started');
    const baseline = rssMiB(helper.pid!);

    // Stop reading. The pipe fills, the helper's writes block, its queue grows.
    helper.stdout.off('data', onData);
    helper.stdout.pause();
    const calls = 3_000_000; // 384 MB of records: more than the helper may hold
    const result = storm(calls); // blocks this process too: nobody reads meanwhile
    stormPid = result.pid;
    await new Promise((r) => setTimeout(r, 500));
    const grown = rssMiB(helper.pid!) - baseline;
    assert.ok(grown < 200, `the helper grew by ${grown.toFixed(0)} MiB while its reader was away`);

    helper.stdout.on('data', onData);
    helper.stdout.resume();
    helper.stdin.write(encodeJson({ id: 2, command: 'stop' }));
    const stopped = await until('stopped', (m) => m.type === 'stopped', 60000);
    const drops: number = stopped.stats.drops;
    assert.ok(drops > 0, 'records were lost, and counted');
    await until('the last events', (m) => m.type === 'ok' && m.id === 2, 60000);
    assert.ok(fromStorm < calls, `captured ${fromStorm}`);
    assert.ok(fromStorm + drops >= calls, `captured ${fromStorm} + lost ${drops} < ${calls}: a loss went uncounted`);
  } finally {
    helper.stdin.end();
    await new Promise((r) => helper.once('exit', r));
  }
});
