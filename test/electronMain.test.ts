// The Electron main process's decisions and the preload, tested under Node
// (no Electron binary needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import type { CaptureStatus } from '../electron/common/bridge';
import { menuTemplate } from '../electron/main/menu';
import { CONTENT_SECURITY_POLICY, appIndexUrl, explainFailure, isAppUrl, validateIpc, windowOptions } from '../electron/main/policy';
import { chooseLauncher } from '../electron/node/launcher';

const index = appIndexUrl('/opt/sigscope/build/app');
const main = { url: index, isMainFrame: true };

test('the window is isolated and sandboxed, without node', () => {
  const w = windowOptions('/x/preload.js').webPreferences!;
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.preload, '/x/preload.js');
});

test('the CSP allows only the app itself', () => {
  assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-(inline|eval)/);
});

test('navigation only to the app page', () => {
  assert.equal(isAppUrl(index, index), true);
  assert.equal(isAppUrl(`${index}?x=1#y`, index), true);
  assert.equal(isAppUrl('https://example.com/', index), false);
  assert.equal(isAppUrl('file:///etc/passwd', index), false);
  assert.equal(isAppUrl('not a url', index), false);
});

test('IPC: channel, sender frame and arguments are validated', () => {
  assert.deepEqual(validateIpc('sigscope:startCapture', main, index, [{ lifecycle: true, signals: [15] }]), {
    ok: true,
    method: 'startCapture',
    arg: { lifecycle: true, signals: [15] },
  });
  assert.equal(validateIpc('sigscope:stopCapture', main, index, []).ok, true);
  assert.equal(validateIpc('other:startCapture', main, index, [{}]).ok, false);
  assert.equal(validateIpc('sigscope:runShell', main, index, ['ls']).ok, false);
  assert.equal(validateIpc('sigscope:startCapture', { url: index, isMainFrame: false }, index, [{}]).ok, false);
  assert.equal(validateIpc('sigscope:startCapture', { url: 'https://evil.example/', isMainFrame: true }, index, [{}]).ok, false);
  assert.equal(validateIpc('sigscope:startCapture', main, index, [{ ringBytes: 1000 }]).ok, false, 'ring size must be a power of two');
  assert.equal(validateIpc('sigscope:setFilters', main, index, [{ signals: [99] }]).ok, false);
  assert.equal(validateIpc('sigscope:setFilters', main, index, [{ evil: true }]).ok, false);
  assert.equal(validateIpc('sigscope:stopCapture', main, index, [1]).ok, false);
  // saveRecording takes at most a name to suggest; main's dialog decides where the file goes.
  assert.deepEqual(validateIpc('sigscope:saveRecording', main, index, []), { ok: true, method: 'saveRecording', arg: undefined });
  assert.deepEqual(validateIpc('sigscope:saveRecording', main, index, ['capture.sigscope']), { ok: true, method: 'saveRecording', arg: 'capture.sigscope' });
  assert.equal(validateIpc('sigscope:saveRecording', main, index, [{ path: '/etc/passwd' }]).ok, false);
  assert.equal(validateIpc('sigscope:saveRecording', main, index, ['a\0b']).ok, false);
  assert.equal(validateIpc('sigscope:saveRecording', main, index, ['x'.repeat(2000)]).ok, false);
  assert.equal(validateIpc('sigscope:saveRecording', main, index, ['a', 'b']).ok, false);
  assert.equal(validateIpc('sigscope:saveRecording', { url: 'https://evil.example/', isMainFrame: true }, index, []).ok, false);
});

test('launcher: direct when privileged, pkexec with a display, sudo -n where allowed, else a clear error', () => {
  const base = { privileged: false, hasPkexec: true, hasDisplay: true, sudoWithoutPassword: false };
  assert.deepEqual(chooseLauncher({ ...base, privileged: true }), { launcher: 'direct' });
  assert.deepEqual(chooseLauncher(base), { launcher: 'pkexec' });
  assert.deepEqual(chooseLauncher({ ...base, hasDisplay: false, sudoWithoutPassword: true }), { launcher: 'sudo' });
  assert.deepEqual(chooseLauncher({ ...base, hasDisplay: false }), { launcher: 'pkexec' });
  const none = chooseLauncher({ ...base, hasPkexec: false });
  assert.equal(none.launcher, null);
  if (none.launcher === null) {
    assert.equal(none.code, 'no-pkexec');
    assert.match(none.hint, /pkexec|sudoers|root/);
  }
  assert.deepEqual(chooseLauncher(base, 'sudo'), { launcher: 'sudo' });
});

test('each failure is explained in words', () => {
  for (const code of ['cancelled', 'no-pkexec', 'not-permitted', 'no-btf']) assert.ok(explainFailure(code).length > 30, code);
});

test('menu: File items are real, Save follows the recording, Capture Start/Stop follow the state, View', () => {
  const calls: string[] = [];
  const actions = {
    startCapture: () => calls.push('start'),
    stopCapture: () => calls.push('stop'),
    openRecording: () => calls.push('open'),
    saveRecording: () => calls.push('save'),
    exportView: () => calls.push('export'),
  };
  const t = menuTemplate(actions, { capturing: false, canSave: false, devTools: false });
  assert.deepEqual(t.map((m) => m.label), ['File', 'Capture', 'View']);
  type Item = { label?: string; enabled?: boolean; accelerator?: string; click?: () => void };
  const file = (t[0].submenu as Item[]).filter((i) => i.label);
  assert.deepEqual(file.map((i) => i.label), ['Open Recording…', 'Save Recording As…', 'Export…']);
  assert.equal(file[0].enabled, undefined, 'Open is always enabled');
  assert.equal(file[1].enabled, false, 'nothing to save before a capture');
  assert.equal(file[2].enabled, undefined, 'Export is always enabled');
  for (const i of file) i.click!();
  assert.deepEqual(calls.splice(0), ['open', 'save', 'export']);
  const later = menuTemplate(actions, { capturing: true, canSave: true, devTools: false });
  assert.equal((later[0].submenu as Item[])[1].enabled, true);
  const capture = t[1].submenu as { label: string; enabled: boolean; click: () => void }[];
  assert.equal(capture[0].enabled, true);
  assert.equal(capture[1].enabled, false);
  capture[0].click();
  assert.deepEqual(calls, ['start']);
  assert.equal((later[1].submenu as Item[])[1].enabled, true);
  // No two items share a shortcut.
  const accelerators = t.flatMap((m) => (m.submenu as Item[]).map((i) => i.accelerator).filter(Boolean));
  assert.equal(new Set(accelerators).size, accelerators.length);
});

test('the preload exposes exactly one bridge and relays the MessagePort', async () => {
  const exposed: Record<string, unknown> = {};
  const portHandlers: ((e: { ports: unknown[] }) => void)[] = [];
  const invoked: unknown[][] = [];
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
    ipcRenderer: {
      on: (channel: string, h: (e: { ports: unknown[] }) => void) => channel === 'sigscope:port' && portHandlers.push(h),
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        if (args[0] === 'sigscope:saveRecording') return { ok: true, value: '/home/u/saved.sigscope' };
        return args[0] === 'sigscope:startCapture' ? { ok: false, error: { message: 'no', code: 'cancelled', hint: 'again' } } : { ok: true };
      },
    },
  };
  const electronPath = require.resolve('electron');
  require.cache[electronPath] = { id: electronPath, filename: electronPath, loaded: true, exports: fakeElectron } as NodeJS.Module;
  require('../electron/preload/preload');
  assert.deepEqual(Object.keys(exposed), ['sigscope']);
  const bridge = exposed.sigscope as import('../electron/common/bridge').SigScopeBridge;
  assert.deepEqual(Object.keys(bridge).sort(), [
    'onCommand', 'onEvents', 'onOpenRecording', 'onProcessInfo', 'onStatus', 'saveRecording', 'setFilters', 'startCapture', 'stopCapture',
  ]);
  await assert.rejects(bridge.startCapture({}), (e: { code?: string; hint?: string }) => e.code === 'cancelled' && e.hint === 'again');
  await bridge.stopCapture();
  assert.deepEqual(invoked[1], ['sigscope:stopCapture']);
  assert.equal(await bridge.saveRecording(), '/home/u/saved.sigscope');
  assert.deepEqual(invoked[2], ['sigscope:saveRecording']);

  const { port1, port2 } = new MessageChannel();
  portHandlers[0]({ ports: [port2] });
  const statuses: CaptureStatus[] = [];
  const off = bridge.onStatus((s) => statuses.push(s));
  port1.postMessage({ kind: 'status', status: { state: 'capturing', stats: null, error: null } });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(statuses[0]?.state, 'capturing');
  // File → Open Recording…: main hands the file's bytes over the port; Export… is a command.
  const opened: { name: string; bytes: Uint8Array }[] = [];
  const commands: string[] = [];
  const offOpen = bridge.onOpenRecording((f) => opened.push(f));
  const offCommand = bridge.onCommand((c) => commands.push(c));
  port1.postMessage({ kind: 'open-recording', name: 'a.sigscope', bytes: new Uint8Array([83, 73, 71]) });
  port1.postMessage({ kind: 'command', command: 'export' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(opened[0]?.name, 'a.sigscope');
  assert.deepEqual([...opened[0].bytes], [83, 73, 71]);
  assert.deepEqual(commands, ['export']);
  offOpen();
  offCommand();
  off();
  port1.close();
});
