#!/usr/bin/env node
// Bundles the privileged helper into one file, build/helper/main.js, with the
// native addon beside it: what the packages install under resources/helper/.
'use strict';
const esbuild = require('esbuild');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build', 'helper');
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(root, 'electron', 'helper', 'main.ts')],
  outfile: path.join(out, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
});
const addon = path.join(root, 'native', 'build', 'Release', 'sigscope.node');
if (fs.existsSync(addon)) {
  fs.copyFileSync(addon, path.join(out, 'sigscope.node'));
  // The addon's RUNPATH is $ORIGIN: the libbpf it was built against travels with
  // it, so the packages don't depend on the distribution's libbpf version.
  const ldd = execFileSync('ldd', [addon], { encoding: 'utf8' });
  const libbpf = /libbpf\.so\.1 => (\S+)/.exec(ldd);
  if (!libbpf) throw new Error(`The addon does not link libbpf.so.1:\n${ldd}`);
  fs.copyFileSync(fs.realpathSync(libbpf[1]), path.join(out, 'libbpf.so.1'));
}
fs.copyFileSync(path.join(root, 'assets', 'linux', 'sigscope-helper'), path.join(out, 'sigscope-helper'));
fs.chmodSync(path.join(out, 'sigscope-helper'), 0o755);
