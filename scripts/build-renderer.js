#!/usr/bin/env node
// Bundles the renderer into build/app/ (index.html, app.js, app.css): what
// the desktop window loads and what `sigscope serve` serves.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build', 'app');

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const watch = process.argv.includes('--watch');
  const options = {
    entryPoints: { app: path.join(root, 'renderer', 'main.tsx') },
    bundle: true,
    outdir: out,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    jsx: 'automatic',
    minify: !process.argv.includes('--dev'),
    sourcemap: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  };
  fs.copyFileSync(path.join(root, 'renderer', 'index.html'), path.join(out, 'index.html'));
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log(`watching; bundle in ${path.relative(root, out)}/`);
  } else {
    await esbuild.build(options);
    console.log(`renderer bundled into ${path.relative(root, out)}/`);
  }
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
