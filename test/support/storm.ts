// bench/storm.c, built for the tests that need a burst of real kill() calls.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let binary: string | null = null;

export function stormBinary(): string {
  if (!binary) {
    binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-storm-')), 'storm');
    execFileSync('cc', ['-O2', '-o', binary, path.join(__dirname, '..', '..', '..', 'bench', 'storm.c')]);
  }
  return binary;
}

export interface StormResult {
  calls: number;
  pid: number;
  target: number;
  rate: number;
}

/** Sends `calls` SIGUSR1s from a fresh process to its child, which ignores them. */
export function storm(calls: number): StormResult {
  const run = spawnSync(stormBinary(), ['-n', String(calls)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`storm failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}
