// A kernel without BTF: the helper says so, and what to do, instead of failing obscurely.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelperClient, defaultHelperPath } from '../electron/node/helperClient';

const isRoot = process.geteuid?.() === 0;

test('without /sys/kernel/btf/vmlinux, start fails with no-btf and names the kernel option', { skip: !isRoot && 'needs root (a private mount namespace)' }, async () => {
  // The real helper, in a mount namespace where the kernel's BTF is hidden by an empty tmpfs.
  const script = 'mount -t tmpfs none /sys/kernel/btf && exec "$0" "$1"';
  const client = new HelperClient(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, process.execPath, defaultHelperPath()]);
  try {
    await assert.rejects(client.start({}), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'no-btf');
      assert.match(e.message, /no BTF type information/);
      assert.match(e.hint ?? '', /CONFIG_DEBUG_INFO_BTF=y/);
      return true;
    });
  } finally {
    await client.close();
  }
});
