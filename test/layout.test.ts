// bpf/sigscope.h and electron/common/record.ts describe the same bytes; the C
// compiler says where the fields really are, and the decoder must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMM_LEN, FILENAME_LEN, Flag, Kind, Offset, RECORD_SIZE, decodeBatch } from '../electron/common/record';

const root = path.join(__dirname, '..', '..');

function compilerLayout(): Record<string, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-layout-'));
  const binary = path.join(dir, 'offsets');
  execFileSync('cc', ['-I', path.join(root, 'bpf'), '-o', binary, path.join(root, 'test', 'layout', 'offsets.c')]);
  return JSON.parse(execFileSync(binary, { encoding: 'utf8' }));
}

test('the decoder reads every field where the C compiler put it', () => {
  const c = compilerLayout();
  assert.equal(c.size, RECORD_SIZE);
  assert.equal(c.RECORD_SIZE, RECORD_SIZE);
  assert.equal(c.COMM_LEN, COMM_LEN);
  assert.equal(c.FILENAME_LEN, FILENAME_LEN);
  const ours: Record<string, number> = {
    ts: Offset.ts, kind: Offset.kind, flags: Offset.flags, uid: Offset.uid,
    sender: Offset.sender, target: Offset.target, u: Offset.u, filename: Offset.filename,
  };
  for (const [k, v] of Object.entries(Offset.task)) ours[`task.${k}`] = v;
  for (const [k, v] of Object.entries(Offset.signal)) ours[`signal.${k}`] = v;
  for (const [k, v] of Object.entries(Offset.life)) ours[`life.${k}`] = v;
  for (const [name, offset] of Object.entries(ours)) {
    assert.equal(offset, c[name], `field ${name}: decoder reads offset ${offset}, C has ${c[name]}`);
  }
  // every C field is known to the decoder
  for (const name of Object.keys(c)) {
    if (['size', 'COMM_LEN', 'FILENAME_LEN', 'RECORD_SIZE'].includes(name)) continue;
    assert.ok(name in ours, `C field ${name} is not decoded`);
  }
});

test('a record written at the C offsets decodes to the same values', () => {
  const c = compilerLayout();
  const bytes = new Uint8Array(RECORD_SIZE * 2);
  const view = new DataView(bytes.buffer);
  const base = RECORD_SIZE; // the second record, so offsets are relative
  view.setUint32(base + c.ts, 0x89abcdef, true);
  view.setUint32(base + c.ts + 4, 0x12, true);
  view.setUint16(base + c.kind, Kind.SIGNAL, true);
  view.setUint16(base + c.flags, Flag.MULTI | Flag.TARGET_KNOWN, true);
  view.setUint32(base + c.uid, 1000, true);
  view.setUint32(base + c.sender + c['task.tgid'], 4242, true);
  new TextEncoder().encodeInto('supervisor', bytes.subarray(base + c.target + c['task.comm']));
  view.setInt32(base + c['signal.sig'], 15, true);
  view.setInt32(base + c['signal.requested'], -77, true);
  view.setInt32(base + c['signal.ret'], -3, true);
  view.setUint32(base + c['signal.attempt'] + 4, 1, true);
  const [, r] = decodeBatch(bytes);
  assert.equal(r.tsNs, 0x12 * 2 ** 32 + 0x89abcdef);
  assert.equal(r.kind, Kind.SIGNAL);
  assert.equal(r.flags, Flag.MULTI | Flag.TARGET_KNOWN);
  assert.equal(r.uid, 1000);
  assert.equal(r.sender.tgid, 4242);
  assert.equal(r.target.comm, 'supervisor');
  assert.equal(r.sig, 15);
  assert.equal(r.requested, -77);
  assert.equal(r.ret, -3);
  assert.equal(r.attempt, 2 ** 32);
});

test('a batch that is not a whole number of records is refused', () => {
  assert.throws(() => decodeBatch(new Uint8Array(RECORD_SIZE + 3)), /not a whole number of 128-byte records/);
});
