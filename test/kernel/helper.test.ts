// The privileged helper as a process: it leaves nothing attached when its
// stdin closes, and bad input gets an error frame and changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Capture, isRoot, startCapture } from '../support/capture';
import { HelperClient } from '../../electron/node/helperClient';
import type { HelperError } from '../../electron/common/bridge';
import { FRAME_EVENTS, FRAME_JSON, MAX_COMMAND_BYTES, encodeFrame } from '../../electron/common/protocol';
import { SIG, buildFixtures, sendsig, signalEvent, startTarget, until, withTimeout } from '../fixtures/harness';

const skip = isRoot ? false : 'needs root (eBPF capture)';

interface BpfObject { id: number; name?: string; type?: string; prog_id?: number }

function bpftool(what: 'prog' | 'link'): BpfObject[] {
  return JSON.parse(execFileSync('bpftool', ['-j', what, 'show'], { encoding: 'utf8' }) || '[]');
}

let haveBpftool = true;
try {
  execFileSync('bpftool', ['version'], { stdio: 'ignore' });
} catch {
  haveBpftool = false;
}

/** The BPF programs and links a process holds, from its fdinfo (exact even with other tracers running). */
function heldBy(pid: number): { progs: Set<number>; links: Set<number> } {
  const progs = new Set<number>();
  const links = new Set<number>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    const prog = /^prog_id:\s*(\d+)/m.exec(info);
    const link = /^link_id:\s*(\d+)/m.exec(info);
    if (link) links.add(Number(link[1]));
    else if (prog) progs.add(Number(prog[1]));
  }
  return { progs, links };
}

const OUR_PROGRAM = /^(signal_generate|sched_process_|tp_enter_|tp_exit_|raw_sys_)/;

describe('helper lifetime', { skip: skip || (!haveBpftool && 'bpftool is not installed') }, () => {
  test('exits within 1 s of its stdin closing, leaving no program or link attached', async (t) => {
    buildFixtures();
    const capture = await startCapture();
    const helperPid = capture.client.pid!;
    const held = heldBy(helperPid);
    const progs = bpftool('prog').filter((p) => held.progs.has(p.id));
    const links = bpftool('link').filter((l) => held.links.has(l.id));
    assert.ok(progs.some((p) => p.name === 'signal_generate'), `signal_generate is loaded: ${JSON.stringify(progs)}`);
    assert.ok(progs.filter((p) => OUR_PROGRAM.test(p.name ?? '')).length >= 5, 'the helper holds its programs');
    assert.ok(links.length >= 5, `the helper holds its links: ${JSON.stringify(links)}`);

    const t0 = Date.now();
    await withTimeout(capture.client.close(), 3000, 'the helper to exit');
    const elapsed = Date.now() - t0;
    t.diagnostic(`the helper exited ${elapsed} ms after its stdin closed`);
    assert.ok(elapsed < 1000, `the helper took ${elapsed} ms to exit`);
    assert.ok(!fs.existsSync(`/proc/${helperPid}`), 'the helper process is gone');

    // Freeing is asynchronous in the kernel (RCU): give it a moment.
    await until(() => {
      const leftProgs = bpftool('prog').filter((p) => held.progs.has(p.id));
      const leftLinks = bpftool('link').filter((l) => held.links.has(l.id));
      return leftProgs.length === 0 && leftLinks.length === 0 ? true : undefined;
    }, 'the helper\'s programs and links to be gone', 3000).catch((error) => {
      const leftProgs = bpftool('prog').filter((p) => held.progs.has(p.id));
      const leftLinks = bpftool('link').filter((l) => held.links.has(l.id));
      throw new Error(`${error.message} Still there: ${JSON.stringify({ leftProgs, leftLinks })}`);
    });
  });
});

describe('malformed helper commands', { skip }, () => {
  test('each gets an error frame, and the helper keeps working', async () => {
    buildFixtures();
    const client = HelperClient.launch({ launcher: 'direct' });
    const capture = new Capture(client);
    try {
      await client.ready;
      const nextError = (what: string): Promise<HelperError> => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no error frame for ${what}`)), 3000);
        client.once('helper-error', (e: HelperError) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
      const json = (text: string) => encodeFrame(FRAME_JSON, new TextEncoder().encode(text));
      const header = (length: number, type = FRAME_JSON) => {
        const b = new Uint8Array(5);
        new DataView(b.buffer).setUint32(0, length, true);
        b[4] = type;
        return b;
      };
      const cases: [string, Uint8Array, string, RegExp?][] = [
        ['garbage bytes', new TextEncoder().encode('GARBAGE, not a frame at all\n'), 'bad-frame'],
        ['a zero-length frame', new Uint8Array([0, 0, 0, 0]), 'bad-frame'],
        ['an oversized frame length (100 MB)', header(100 * 1024 * 1024), 'bad-frame'],
        ['a frame one byte over the command limit', header(MAX_COMMAND_BYTES + 1), 'bad-frame'],
        ['a frame that is not JSON', encodeFrame(0x58, new Uint8Array([1, 2, 3])), 'bad-command'],
        ['an events frame sent to the helper', encodeFrame(FRAME_EVENTS, new Uint8Array(128)), 'bad-command'],
        ['invalid JSON', json('{"id": 1, "command": '), 'bad-command'],
        ['a JSON array', json('[1, 2, 3]'), 'bad-command'],
        ['JSON null', json('null'), 'bad-command'],
        ['a command without an id', json('{"command":"stop"}'), 'bad-command'],
        ['an unknown command', json('{"id":9001,"command":"exec","argv":["/bin/sh"]}'), 'bad-command', /exec/],
        ['a start with an unknown option', json('{"id":9002,"command":"start","options":{"bogus":true}}'), 'bad-command', /bogus/],
        ['a start with a bad ring size', json('{"id":9003,"command":"start","options":{"ringBytes":12345}}'), 'bad-command'],
        ['a start with a bad signal list', json('{"id":9004,"command":"start","options":{"signals":[99]}}'), 'bad-command'],
        ['a start whose options are not an object', json('{"id":9005,"command":"start","options":"all"}'), 'bad-command'],
      ];
      for (const [what, bytes, code, message] of cases) {
        const error = nextError(what);
        client.writeRaw(bytes);
        const e = await error;
        assert.equal(e.code, code, `${what}: ${e.message}`);
        if (message) assert.match(e.message, message);
      }
      assert.equal(client.captureState, 'idle', 'no bad start started anything');
      const stats = await client.stats();
      assert.equal(stats?.events ?? 0, 0, 'nothing is capturing');

      // Still working: a valid start captures, a bad set-filters changes nothing, stop succeeds.
      await client.start({});
      const target = await startTarget();
      try {
        const badFilter = nextError('a set-filters with an unknown key');
        client.writeRaw(json('{"id":9006,"command":"set-filters","filters":{"signals":[12],"evil":1}}'));
        assert.equal((await badFilter).code, 'bad-command');
        const badSignals = nextError('a set-filters with a bad signal');
        client.writeRaw(json('{"id":9007,"command":"set-filters","filters":{"signals":[12, 64]}}'));
        assert.equal((await badSignals).code, 'bad-command');
        // Had either filter been applied, SIGUSR1 would not be captured.
        const sent = await sendsig('kill', SIG.USR1, target.pid);
        const e = await signalEvent(capture, (s) => s.sender.pid === sent.pid, 'a kill after the bad commands');
        assert.equal(e.syscall, 'kill');
        assert.equal(e.target?.pid, target.pid);
        const again = client.start({}).then(() => 'started', (err: HelperError) => err.code);
        assert.equal(await again, 'already-capturing');
      } finally {
        await target.proc.end();
      }
      await client.stop();
    } finally {
      await client.close();
    }
  });
});
