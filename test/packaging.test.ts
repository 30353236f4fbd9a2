// What the packages carry, checked as far as it can be without Electron's
// binary: the builder configuration against electron-builder's own schema, the
// addon's dynamic dependencies, the polkit action, the helper wrapper, icons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HelperClient } from '../electron/node/helperClient';
import type { SigScopeEvent } from '../electron/common/events';

const root = path.join(__dirname, '..', '..');
const helperDir = path.join(root, 'build', 'helper');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml');

function builderConfig(): any {
  return yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
}

function needed(file: string): { needed: string[]; runpath: string | null } {
  const dynamic = execFileSync('readelf', ['-d', file], { encoding: 'utf8' });
  return {
    needed: [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]),
    runpath: /\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]+)\]/.exec(dynamic)?.[1] ?? null,
  };
}

test('electron-builder.yml is valid by electron-builder\'s schema', async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const config = builderConfig();
  await validateConfiguration(config, { add() {}, isEnabled: false });
  const broken = { ...config, linux: { ...config.linux, targett: ['deb'] } };
  await assert.rejects(validateConfiguration(broken, { add() {}, isEnabled: false }), /Invalid configuration/);
});

test('both Linux packages are built, and everything they ship exists', () => {
  const config = builderConfig();
  assert.deepEqual([...config.linux.target].sort(), ['AppImage', 'deb']);
  const helper = config.extraResources.find((r: any) => r.to === 'helper');
  assert.ok(helper, 'the helper is an extra resource');
  for (const name of ['main.js', 'sigscope.node', 'libbpf.so.1', 'sigscope-helper']) {
    assert.ok(helper.filter.includes(name), `${name} is shipped`);
    assert.ok(fs.existsSync(path.join(root, helper.from, name)), `${helper.from}/${name} is built`);
  }
  const policy = config.extraResources.find((r: any) => r.to.startsWith('polkit/'));
  assert.ok(fs.existsSync(path.join(root, policy.from)));
  for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
    assert.ok(fs.statSync(path.join(root, script)).mode & 0o100, `${script} is executable`);
  }
  assert.match(fs.readFileSync(path.join(root, config.deb.afterInstall), 'utf8'), /\/usr\/share\/polkit-1\/actions\/org\.sigscope\.helper\.policy/);
});

test('the addon carries its libbpf: RUNPATH $ORIGIN, libbpf.so.1 resolved beside it, its needs declared by the .deb', () => {
  const addon = path.join(helperDir, 'sigscope.node');
  const { needed: libs, runpath } = needed(addon);
  assert.ok(libs.includes('libbpf.so.1'), `NEEDED: ${libs.join(', ')}`);
  assert.equal(runpath, '$ORIGIN');
  const allowed = new Set(['libbpf.so.1', 'libstdc++.so.6', 'libc.so.6', 'libm.so.6', 'libgcc_s.so.1', 'libelf.so.1', 'libz.so.1']);
  for (const lib of libs) assert.ok(allowed.has(lib), `unexpected dependency ${lib}`);
  const ldd = execFileSync('ldd', [addon], { encoding: 'utf8' });
  assert.match(ldd, new RegExp(`libbpf\\.so\\.1 => ${helperDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/libbpf\\.so\\.1`));
  // The bundled libbpf needs libelf and zlib: the .deb must depend on both.
  const depends: string[] = builderConfig().deb.depends;
  const bundled = needed(path.join(helperDir, 'libbpf.so.1')).needed;
  const packageOf: Record<string, string> = { 'libelf.so.1': 'libelf1', 'libz.so.1': 'zlib1g', 'libc.so.6': '' };
  for (const lib of bundled) {
    assert.ok(lib in packageOf, `bundled libbpf needs ${lib}, which no rule maps to a package`);
    if (packageOf[lib]) assert.ok(depends.includes(packageOf[lib]), `.deb depends on ${packageOf[lib]} for ${lib}`);
  }
});

test('the polkit action names SigScope, asks for an administrator once in a while, and matches the installed helper', () => {
  const xml = fs.readFileSync(path.join(root, 'assets', 'linux', 'org.sigscope.helper.policy'), 'utf8');
  assert.match(xml, /<action id="org\.sigscope\.helper">/);
  assert.match(xml, /<message>SigScope needs administrator rights[^<]+<\/message>/);
  for (const key of ['allow_any', 'allow_inactive', 'allow_active']) {
    assert.match(xml, new RegExp(`<${key}>auth_admin_keep</${key}>`));
  }
  const productName = builderConfig().productName;
  const exec = /org\.freedesktop\.policykit\.exec\.path">([^<]+)</.exec(xml)?.[1];
  assert.equal(exec, `/opt/${productName}/resources/helper/sigscope-helper`);
  // well-formed enough for polkit: every element closed
  const opened = [...xml.matchAll(/<([a-z_]+)[\s>]/g)].map((m) => m[1]);
  for (const tag of new Set(opened)) assert.match(xml, new RegExp(`</${tag}>`), `<${tag}> is closed`);
});

test('icons exist in every size the desktop wants, as real PNGs of that size', () => {
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    const png = fs.readFileSync(path.join(root, 'assets', 'icons', `${size}x${size}.png`));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), size);
    assert.equal(png.readUInt32BE(20), size);
  }
});

test('the helper wrapper finds the app\'s runtime and the bundled helper from where it is installed', async () => {
  // Lay out resources/helper as the packages do, with node standing in for the app binary.
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-app-'));
  fs.mkdirSync(path.join(app, 'resources', 'helper'), { recursive: true });
  for (const name of ['main.js', 'sigscope.node', 'libbpf.so.1', 'sigscope-helper']) {
    fs.copyFileSync(path.join(helperDir, name), path.join(app, 'resources', 'helper', name));
  }
  fs.chmodSync(path.join(app, 'resources', 'helper', 'sigscope-helper'), 0o755);
  fs.symlinkSync(process.execPath, path.join(app, 'sigscope'));
  const child = spawn(path.join(app, 'resources', 'helper', 'sigscope-helper'), ['--ignored'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<Buffer>((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`the wrapper exited with ${code}`)));
  });
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  assert.match(first.subarray(5).toString(), /"type":"hello"/);
});

test('the bundled helper captures (its addon and libbpf load from beside it)', { skip: process.geteuid?.() !== 0 && 'needs root' }, async () => {
  const client = HelperClient.launch({ launcher: 'direct', helperPath: path.join(helperDir, 'main.js') });
  const seen: SigScopeEvent[] = [];
  client.on('events', (events: SigScopeEvent[]) => seen.push(...events));
  try {
    await client.start({ lifecycle: false });
    const sleeper = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    sleeper.kill('SIGUSR2');
    const deadline = Date.now() + 5000;
    while (!seen.some((e) => e.type === 'signal' && e.target?.pid === sleeper.pid && e.sig === 12) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seen.some((e) => e.type === 'signal' && e.target?.pid === sleeper.pid && e.sig === 12), 'SIGUSR2 captured');
  } finally {
    await client.stop().catch(() => undefined);
    await client.close();
  }
});
