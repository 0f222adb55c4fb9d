// Shared set-up of the browser checks: headless Chromium with the project's flags, the CDN
// URLs of the page answered from the npm packages (so the page's integrity hashes are
// checked against the real files), blank map tiles, and every other outside request refused.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  await context.route('**/*', async (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === 'unpkg.com') {
      // /leaflet@1.9.4/dist/leaflet.js -> node_modules/leaflet/dist/leaflet.js
      const m = u.pathname.match(/^\/((?:@[^/]+\/)?[^@/]+)@[^/]+\/(.+)$/);
      if (!m) { return route.abort(); }
      const file = join(here, 'node_modules', m[1], m[2]);
      const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
      return route.fulfill({ status: 200, contentType: type, headers: { 'Access-Control-Allow-Origin': '*' },
        body: readFileSync(file) });
    }
    if (u.hostname === 'tile.openstreetmap.org') {
      return route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG });
    }
    if (u.protocol === 'file:' || u.hostname === '127.0.0.1' || u.protocol === 'data:') { return route.continue(); }
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') { errors.push(m.text()); } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  return { browser, page, errors, dialogs };
}
