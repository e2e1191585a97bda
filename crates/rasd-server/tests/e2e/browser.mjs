// What the browser scripts share: Debian's Chromium started headless by
// playwright-core (which never downloads a browser) in a throwaway profile, and the
// TAP-like report of their steps. Used by dashboard.mjs and live.mjs.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A browser context of its own; close() also removes the profile.
export async function openBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'rasd-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.RASD_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    // the dashboard's CSP forbids eval, which playwright's polling helpers use
    bypassCSP: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    ctx,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Named steps, each passing or failing on its own ("ok - NAME" / "not ok - NAME");
// finish() prints the tally and exits non-zero when a step failed.
export function steps() {
  let passed = 0;
  let failed = 0;
  const fail = (name, err) => {
    failed++;
    console.log(`not ok - ${name}\n  ${String(err && err.stack || err).split('\n').join('\n  ')}`);
  };
  const step = async (name, fn) => {
    try {
      await fn();
      passed++;
      console.log(`ok - ${name}`);
    } catch (err) {
      fail(name, err);
    }
  };
  const finish = () => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  };
  return { step, fail, finish };
}
