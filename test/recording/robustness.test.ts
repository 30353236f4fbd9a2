// Recordings are untrusted input: damaged, cut off or hostile files give a
// RecordingError naming where and what was expected, keep what came before
// the damage, never crash, never hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SigScopeEvent } from '../../electron/common/events';
import { RecordingError } from '../../electron/common/recording/errors';
import { all, encode, open } from './helpers';
import { random, storm, variety } from './synthetic';

const PER_FILE_MS = 500;

/** Opens and reads everything; returns the events or the RecordingError. Anything else fails the test. */
async function tryOpen(bytes: Uint8Array): Promise<{ events: SigScopeEvent[]; problem: RecordingError | null } | RecordingError> {
  const started = performance.now();
  try {
    const recording = await open(bytes);
    const events = await all(recording);
    assert.equal(events.length, recording.eventCount);
    return { events, problem: recording.problem };
  } catch (error) {
    if (error instanceof RecordingError) return error;
    throw new Error(`not a RecordingError: ${(error as Error).stack}`);
  } finally {
    const took = performance.now() - started;
    assert.ok(took < PER_FILE_MS, `took ${took.toFixed(0)} ms`);
  }
}

const EVENTS = [...variety(), ...[...storm(1500, 3)].flat(), ...variety()];
const EVENT_JSON = EVENTS.map((e) => JSON.stringify(e));
const FILE = encode(EVENTS, { blockEvents: 128 });

function isPrefix(events: SigScopeEvent[]): boolean {
  if (events.length > EVENTS.length) return false;
  for (let i = 0; i < events.length; i++) if (JSON.stringify(events[i]) !== EVENT_JSON[i]) return false;
  return true;
}

test('a file cut off at any byte opens up to its last complete block', async () => {
  let lastCount = 0;
  const headerEnd = 16 + 36 + Buffer.from(FILE).readUInt32LE(20);
  for (let cut = 0; cut < FILE.length; cut += cut < headerEnd + 100 ? 1 : 5) {
    const result = await tryOpen(FILE.subarray(0, cut));
    if (result instanceof RecordingError) {
      // Only a file without its header block is refused outright.
      assert.ok(cut < headerEnd, `cut at ${cut}: ${result.message}`);
      assert.match(result.message, /byte \d+|empty/);
      continue;
    }
    assert.ok(isPrefix(result.events));
    assert.ok(result.events.length >= lastCount, 'a longer file never yields fewer events');
    lastCount = result.events.length;
    assert.ok(result.problem, `cut at ${cut} of ${FILE.length} went unnoticed`);
    assert.match(result.problem.message, /at byte \d+: expected/);
  }
  assert.ok(lastCount > EVENTS.length - 300);
});

test('the message names the byte and what was expected', async () => {
  const damaged = FILE.slice();
  const second = 16 + 36 + (damaged[20] | (damaged[21] << 8)); // the block after the header block
  damaged[second + 40] ^= 0xff;
  const result = await tryOpen(damaged);
  assert.ok(!(result instanceof RecordingError));
  assert.equal(result.problem!.offset, second + 32);
  assert.match(result.problem!.message, new RegExp(`^at byte ${second + 32}: expected the block's CRC-32 0x[0-9a-f]{8}, found 0x[0-9a-f]{8} \\(the block is damaged\\)`));

  const notOurs = await tryOpen(Buffer.from('PK\x03\x04 a zip file'));
  assert.ok(notOurs instanceof RecordingError);
  assert.match(notOurs.message, /at byte 0, expected the magic "SIGSCOPE"/);

  const newer = FILE.slice();
  newer[8] = 9;
  const version = await tryOpen(newer);
  assert.ok(version instanceof RecordingError);
  assert.match(version.message, /at byte 8: expected format version 1, found version 9/);
});

test('fuzz: thousands of mutated files give only RecordingErrors, in bounded time', async () => {
  const rand = random(42);
  const small = encode([...variety(), ...[...storm(400, 5)].flat()], { blockEvents: 64 });
  const started = performance.now();
  let errors = 0;
  let opened = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const bytes = Buffer.from(small);
    let mutated: Uint8Array = bytes;
    const kind = i % 5;
    const flips = 1 + Math.floor(rand() * 8);
    if (kind <= 1) {
      for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    } else if (kind === 2) {
      const at = Math.floor(rand() * bytes.length);
      mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: flips }, () => Math.floor(rand() * 256))), bytes.subarray(at)]);
    } else if (kind === 3) {
      const at = Math.floor(rand() * bytes.length);
      mutated = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + flips)]);
    } else {
      // Plausible-looking lies: big lengths and counts in a block header.
      const at = 16 + Math.floor(rand() * 60);
      bytes.writeUInt32LE(Math.floor(rand() * 0xffffffff), Math.min(at, bytes.length - 4));
      mutated = bytes.subarray(0, Math.floor(rand() * bytes.length));
    }
    const result = await tryOpen(mutated);
    if (result instanceof RecordingError) errors++;
    else opened++;
  }
  const took = performance.now() - started;
  assert.equal(errors + opened, N);
  assert.ok(took < 60_000, `fuzzing took ${took.toFixed(0)} ms`);
});

test('hostile blocks with valid CRCs are refused without crashing', async () => {
  const { RecordingEncoder } = await import('../../electron/common/recording/encoder');
  const { block, BlockType, Codec } = await import('../../electron/common/recording/container');
  const { deflate } = await import('../../electron/node/recording/file');
  const { HEADER } = await import('./helpers');
  const chunks: Uint8Array[] = [];
  new RecordingEncoder(HEADER, { deflate, write: (b) => chunks.push(b.slice()) });
  const head = Buffer.concat(chunks);
  const rand = random(9);
  const good = Buffer.from(encode([...storm(50)].flat(), { close: false }));
  // The raw payload of the first events block, mutated, then properly framed.
  const { inflateRawSync } = await import('node:zlib');
  const firstBlock = head.length;
  const payloadLength = good.readUInt32LE(firstBlock + 4);
  const raw = inflateRawSync(good.subarray(firstBlock + 36, firstBlock + 36 + payloadLength));
  for (let i = 0; i < 1500; i++) {
    const mutated = Buffer.from(raw);
    for (let f = 0; f < 1 + (i % 4); f++) mutated[Math.floor(rand() * mutated.length)] = Math.floor(rand() * 256);
    const framed = block(BlockType.EVENTS, Codec.STORED, mutated, mutated.length, 50);
    const result = await tryOpen(Buffer.concat([head, framed]));
    // Quick open defers decoding: the damage then comes out of reading, as a RecordingError.
    const { openRecording } = await import('../../electron/common/recording/reader');
    const { inflate } = await import('../../electron/node/recording/file');
    const quick = await openRecording(Buffer.concat([head, framed]), { inflate, quick: true });
    await all(quick).catch((error) => assert.ok(error instanceof RecordingError, String(error)));
    if (!(result instanceof RecordingError) && result.problem === null) assert.fail('a damaged block went unnoticed');
    if (!(result instanceof RecordingError) && result.events.length === 0) {
      assert.match(result.problem!.message, /events block at byte \d+|at byte \d+/);
    }
  }
  // A JSON block that is not what it says.
  const lies = block(BlockType.PROCESSES, Codec.STORED, Buffer.from('[[0,{"type":"stats"}]]'), 22, 1);
  const result = await tryOpen(Buffer.concat([head, lies]));
  assert.ok(!(result instanceof RecordingError));
  assert.match(result.problem!.message, /expected \[event index, process-info record\] pairs/);
});

test('NDJSON recordings: a bad line is named, the lines before it open', async () => {
  const events = variety();
  const header = JSON.stringify({ type: 'header', format: 'sigscope-ndjson', formatVersion: 1, host: 'h', started: '2025-10-09T08:53:20.000Z' });
  const lines = [header, ...events.slice(0, 5).map((e) => JSON.stringify(e)), '{"type":"signal", broken', JSON.stringify(events[5])];
  const result = await tryOpen(Buffer.from(lines.join('\n')));
  assert.ok(!(result instanceof RecordingError));
  assert.deepEqual(result.events, events.slice(0, 5));
  assert.equal(result.problem!.line, 7);
  assert.match(result.problem!.message, /^line 7 \(byte \d+\): expected one JSON object per line, found text that is not JSON/);

  const cut = await tryOpen(Buffer.from(`${header}\n${JSON.stringify(events[0])}\n${JSON.stringify(events[1]).slice(0, 30)}`));
  assert.ok(!(cut instanceof RecordingError));
  assert.equal(cut.events.length, 1);
  assert.match(cut.problem!.message, /line 3 .*cut off at the end of the file/);

  const wrong = await tryOpen(Buffer.from(`${header}\n{"type":"signal","ts":1,"time":"x","sig":1,"signal":"SIGHUP","sender":null}\n`));
  assert.ok(!(wrong instanceof RecordingError));
  assert.match(wrong.problem!.message, /line 2 \(byte \d+\): expected a sender \{pid, tid, comm, start\}/);

  const noHeader = await tryOpen(Buffer.from(`${JSON.stringify(events[0])}\n`));
  assert.ok(noHeader instanceof RecordingError);
  assert.match(noHeader.message, /line 1 \(byte 0\): expected the header line/);
});

test('a deflate bomb with a valid CRC is refused before anything big is allocated', async () => {
  const { RecordingEncoder } = await import('../../electron/common/recording/encoder');
  const { block, BlockType, Codec, MAX_RAW } = await import('../../electron/common/recording/container');
  const { deflate } = await import('../../electron/node/recording/file');
  const { HEADER } = await import('./helpers');
  const { deflateRawSync } = await import('node:zlib');
  const chunks: Uint8Array[] = [];
  new RecordingEncoder(HEADER, { deflate, write: (b) => chunks.push(b.slice()) });
  const head = Buffer.concat(chunks);
  // 64 MiB of zeros declared as a block of 64 Mi events: a few dozen KiB on disk.
  const zeros = new Uint8Array(MAX_RAW);
  const bomb = block(BlockType.EVENTS, Codec.DEFLATE_RAW, deflateRawSync(zeros), zeros.length, 0x3fff_ffff);
  const started = performance.now();
  const recording = await open(Buffer.concat([head, bomb]));
  assert.ok(performance.now() - started < 5000);
  assert.equal(recording.eventCount, 0);
  assert.match(recording.problem!.message, /events block at byte \d+.*expected/);
  // Declaring more than the limit is refused from the header alone.
  const big = Buffer.from(block(BlockType.EVENTS, Codec.DEFLATE_RAW, new Uint8Array(10), MAX_RAW + 1, 1));
  const refused = await open(Buffer.concat([head, big]));
  assert.match(refused.problem!.message, /expected an inflated size of at most 67108864 bytes, found 67108865/);
});
