// Shared by the end-to-end tests: Debian's chromium driven by playwright-core,
// and the bundled renderer built when it is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';

export function chromiumMissing(): string | false {
  return fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} (apt-get install chromium)`;
}

export function ensureRendererBuilt(): void {
  const index = path.join(ROOT, 'build', 'app', 'index.html');
  const bundle = path.join(ROOT, 'build', 'app', 'app.js');
  if (fs.existsSync(index) && fs.existsSync(bundle)) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-renderer.js')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the renderer failed');
}

export async function launchBrowser(): Promise<{ browser: BrowserContext; page: Page; errors: string[]; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sigscope-chromium-'));
  // A fresh profile each run (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  return file;
}

/** Reads the renderer's state through the hook main.tsx leaves on window. */
export function appState<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(() => { const app = window.__sigscope; const s = app.useApp.getState(); const views = app.views; return (${fn})(s, views); })()`) as Promise<T>;
}
