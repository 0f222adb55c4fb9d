// Accessibility of tollmap's pages (run by .ci/run): axe-core in headless Chromium finds no
// serious or critical violation. The page's own Content-Security-Policy is bypassed in this
// browser context only, so that axe can be injected; every other check runs under the CSP.
// Usage: node tests/web/check_a11y.mjs URL...
import { chromium } from 'playwright-core';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const urls = process.argv.slice(2);
if (!urls.length) { console.error('usage: check_a11y.mjs URL...'); process.exit(2); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
let failed = false;
try {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 800 } });
  await context.route('**/*', async (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === 'unpkg.com') {
      const m = u.pathname.match(/^\/((?:@[^/]+\/)?[^@/]+)@[^/]+\/(.+)$/);
      if (!m) { return route.abort(); }
      const { readFileSync } = await import('node:fs');
      const type = m[2].endsWith('.css') ? 'text/css' : 'text/javascript';
      return route.fulfill({ status: 200, contentType: type, body: readFileSync(join(here, 'node_modules', m[1], m[2])) });
    }
    if (u.protocol === 'file:' || u.hostname === '127.0.0.1' || u.protocol === 'data:') { return route.continue(); }
    return route.abort();
  });
  for (const url of urls) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForLoadState('load');
    await page.waitForTimeout(500);
    await page.addScriptTag({ path: join(here, 'node_modules', 'axe-core', 'axe.min.js') });
    const result = await page.evaluate(async () => {
      // Map tiles and Leaflet's own panes are not tollmap's: the controls and panels are.
      return window.axe.run(document, { resultTypes: ['violations'] });
    });
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) {
      failed = true;
      console.error(`FAIL a11y ${url}: ${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    }
    const minor = result.violations.length - bad.length;
    if (!bad.length) { console.log(`ok  a11y ${url}: no serious or critical violation (${minor} minor)`); }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
