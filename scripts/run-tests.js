#!/usr/bin/env node
// Runs every test under build/test (compiled from test/), one file at a time:
// the kernel tests share the machine's signals and must not overlap.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const testRoot = path.join(root, 'build', 'test');

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const only = process.argv.slice(2);
let files = find(testRoot).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('No compiled tests under build/test: run `npm run build` first.');
  process.exit(1);
}
if (process.geteuid && process.geteuid() !== 0) {
  console.error('note: not root, so the tests that load eBPF programs will be skipped. Run `sudo npm test` for all of them.');
}
const fixtures = path.join(root, 'test', 'fixtures', 'Makefile');
if (fs.existsSync(fixtures)) {
  const made = spawnSync('make', ['-s', '-C', path.dirname(fixtures)], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
}
// A test that hangs fails after 5 minutes instead of holding up the run; a
// handle left open by a test does not keep the runner alive.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=300000', '--test-force-exit', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
