// How the helper is started: by the installed wrapper when there is one, with
// pkexec or sudo in front when the app is not privileged itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultHelperPath, helperCommand, helperRuntime } from '../electron/node/helperClient';

test('from a checkout: this Node.js runs the compiled helper, behind each launcher', () => {
  const runtime = helperRuntime();
  assert.deepEqual(runtime, [process.execPath, defaultHelperPath()]);
  assert.ok(fs.existsSync(runtime[1]), 'the helper is built');
  assert.deepEqual(helperCommand('direct', runtime), runtime);
  assert.deepEqual(helperCommand('pkexec', runtime), ['pkexec', ...runtime]);
  assert.deepEqual(helperCommand('sudo', runtime), ['sudo', '-n', '--', ...runtime]);
});

test('in the installed app: the wrapper the polkit action names', (t) => {
  const resources = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-resources-'));
  fs.mkdirSync(path.join(resources, 'helper'));
  fs.writeFileSync(path.join(resources, 'helper', 'sigscope-helper'), '#!/bin/sh\n', { mode: 0o755 });
  const proc = process as { resourcesPath?: string };
  proc.resourcesPath = resources;
  t.after(() => delete proc.resourcesPath);
  assert.deepEqual(helperCommand('pkexec', helperRuntime()), ['pkexec', path.join(resources, 'helper', 'sigscope-helper')]);
  // An explicit helper path still wins (tests, development).
  assert.deepEqual(helperRuntime({ helperPath: '/x/main.js' }), [process.execPath, '/x/main.js']);
});
