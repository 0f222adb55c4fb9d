// Opens tollmap's web map in headless Chromium and checks what a reader would see.
// Usage: node tests/web/check_map.mjs OUT_DIR URL SCREENSHOT.png [--xss]
//   OUT_DIR: a `tollmap build` output; URL: its index.html as file:// or http://127.0.0.1...
// Leaflet comes from the npm package (requests to its pinned CDN URL are answered from
// node_modules, so the page's integrity hashes are checked against the real files); map
// tiles get a blank image; every other outside request is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './browser.mjs';

const [outDir, url, shot, ...flags] = process.argv.slice(2);
const xss = flags.includes('--xss');

function fail(msg) { console.error(`FAIL ${url}: ${msg}`); process.exitCode = 1; throw new Error(msg); }
function check(cond, msg) { if (!cond) { fail(msg); } }

const places = JSON.parse(readFileSync(join(outDir, 'places.geojson'), 'utf8')).features;
const placeIds = new Set(places.map((f) => f.properties.place_id));
const claimFeatures = JSON.parse(readFileSync(join(outDir, 'claims.geojson'), 'utf8')).features;
const quotes = new Set(claimFeatures.map((f) => f.properties.quote).filter(Boolean));
const confidenceOf = new Map(claimFeatures.map((f) => [f.properties.id, f.properties.confidence]));

const { browser, page, errors, dialogs } = await openBrowser();
try {
  await page.goto(url);
  await page.waitForFunction(() => window.tollmap && window.tollmap.ready, null, { timeout: 15000 });

  // All periods: one circle per place of places.geojson.
  const circles = () => page.locator('path.tollmap-place').count();
  const all = await circles();
  check(all === placeIds.size, `circles drawn ${all}, places in the data ${placeIds.size}`);
  check((await page.evaluate(() => window.tollmap.drawn().places)) === placeIds.size, 'drawn() agrees');

  // The slider: each period shows its own places; moving it changes what is shown.
  const periods = await page.evaluate(() => window.tollmap.periods);
  check(periods.length >= 1, 'at least one period');
  const shapes = () => page.$$eval('path.tollmap-place', (ps) => ps.map((p) => p.getAttribute('d')).join('|'));
  const before = await shapes();
  let changed = false;
  for (let i = 1; i <= periods.length; i += 1) {
    await page.$eval('#period', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, i);
    const label = await page.textContent('#period-label');
    check(label === periods[i - 1], `slider label ${label} for period ${periods[i - 1]}`);
    const expected = new Set(places.filter((f) => f.properties.period === periods[i - 1])
      .map((f) => f.properties.place_id)).size;
    const n = await circles();
    check(n === expected, `period ${periods[i - 1]}: ${n} circles, ${expected} places`);
    if (n !== all || (await shapes()) !== before) { changed = true; }
  }
  check(changed || periods.length === 1, 'moving the slider changes the circles');
  await page.$eval('#period', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });
  check((await page.textContent('#period-label')) === 'all periods', 'back to all periods');

  // The confidence filter: only places with a counted claim at least that sure (from
  // places.geojson's claim_ids and claims.geojson's confidence).
  for (const min of [0.5, 0.8, 1]) {
    await page.$eval('#min-confidence', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, min);
    const expected = new Set(places.filter((f) => (f.properties.claim_ids || '').split(' ').filter(Boolean)
      .some((id) => confidenceOf.get(id) >= min)).map((f) => f.properties.place_id)).size;
    const n = await circles();
    check(n === expected, `at least ${min} sure: ${n} circles, ${expected} places`);
    check((await page.textContent('#min-confidence-label')) === min.toFixed(2), 'the filter says its value');
  }
  await page.$eval('#min-confidence', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });
  check((await circles()) === all, 'the filter off: every place again');

  // The chart: a bar per period whose stacks add up to places.geojson's killed in that
  // period; choosing a bar shows its period, with circles scaled to it; the address keeps
  // the view, and opening it again gives the same view.
  const bars = page.locator('#chart g[data-period]');
  check((await bars.count()) === periods.length, `${await bars.count()} bars for ${periods.length} periods`);
  for (let i = 0; i < periods.length; i += 1) {
    const want = places.filter((f) => f.properties.period === periods[i])
      .reduce((n, f) => n + f.properties.killed_low, 0);
    const stacks = await bars.nth(i).locator('rect[data-victims]').evaluateAll(
      (rs) => rs.reduce((n, r) => n + Number(r.getAttribute('data-killed')), 0));
    const bar = Number(await bars.nth(i).getAttribute('data-killed'));
    check(bar === want && stacks === want, `bar ${periods[i]}: ${bar} (stacks ${stacks}), places.geojson ${want}`);
  }
  const pick = periods.length - 1;
  await bars.nth(pick).dispatchEvent('click');
  check((await page.textContent('#period-label')) === periods[pick], 'a bar selects its period');
  const radii = await page.evaluate(() => window.tollmap.radii());
  const maxR = await page.evaluate(() => window.tollmap.maxRadius);
  check(radii.length > 0 && Math.abs(Math.max(...radii) - maxR) < 1e-9,
    `circles scaled to the period: largest ${Math.max(...radii)}, scale ${maxR}`);
  const totalsText = await page.textContent('#totals');
  check(totalsText.startsWith(`Syria, ${periods[pick]}:`), `national totals: ${totalsText}`);
  await page.evaluate(() => window.tollmap.map.setView([35.5, 37.5], 8, { animate: false }));
  await page.waitForTimeout(300);
  const hash = await page.evaluate(() => location.hash);
  check(hash.includes(`period=${encodeURIComponent(periods[pick])}`) && hash.includes('z=8'), `the view in the address: ${hash}`);
  const again = await page.context().newPage();
  await again.goto(url.split('#')[0] + hash);
  await again.waitForFunction(() => window.tollmap && window.tollmap.ready, null, { timeout: 15000 });
  const view = await again.evaluate(() => [document.getElementById('period-label').textContent,
    window.tollmap.map.getZoom(), window.tollmap.map.getCenter().lat.toFixed(2)]);
  check(view[0] === periods[pick] && view[1] === 8 && view[2] === '35.50', `the address reopens the view: ${view}`);
  await again.close();
  // Keyboard: a focused bar is chosen with Enter.
  await bars.nth(0).focus();
  await page.keyboard.press('Enter');
  check((await page.textContent('#period-label')) === periods[0], 'Enter on a bar selects its period');
  await page.$eval('#period', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });
  await page.evaluate(() => window.tollmap.home());

  // Search: a place's name opens its popup.
  const target = [...places].sort((a, b) => b.properties.killed_low - a.properties.killed_low)[0].properties;
  if (target.name) {
    await page.fill('#search', target.name);
    await page.press('#search', 'Enter');
    await page.waitForSelector('.leaflet-popup-content .tm-popup', { timeout: 5000 });
    const title = await page.textContent('.leaflet-popup-content h3');
    check(title.startsWith(target.name), `search for ${target.name} opened ${title}`);
    await page.evaluate(() => window.tollmap.map.closePopup());
  }
  // The table of places in view: every drawn place, sortable by killed.
  await page.evaluate(() => { window.tollmap.home(); document.getElementById('table-box').open = true; });
  await page.waitForTimeout(300);
  const tableRows = await page.locator('#places-table tbody tr').count();
  check(tableRows === Math.min(all, 300), `table rows ${tableRows}, places drawn ${all}`);
  await page.click('#places-table th button[data-sort="name"]');
  const sorted = await page.$$eval('#places-table tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  check(sorted.every((n, i) => i === 0 || sorted[i - 1].localeCompare(n) <= 0), `sorted by name: ${sorted}`);
  await page.evaluate(() => { document.getElementById('table-box').open = false; });

  // Tooltips give every outcome: none says "0 killed" alone.
  const tips = [];
  for (let i = 0; i < Math.min(all, 25); i += 1) {
    const circle = page.locator('path.tollmap-place').nth(i);
    await circle.dispatchEvent('mouseover');
    tips.push(...await page.$$eval('.leaflet-tooltip', (ts) => ts.map((t) => t.textContent)));
    await circle.dispatchEvent('mouseout');
  }
  check(tips.every((t) => !/: 0 killed$/.test(t)), `a tooltip with nothing but 0 killed: ${tips.filter((t) => /: 0 killed$/.test(t))}`);

  // Play steps through the periods; pause stops.
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('period-label').textContent !== 'all periods',
    null, { timeout: 5000 });
  await page.click('#play');
  const paused = await page.textContent('#period-label');
  await page.waitForTimeout(1500);
  check((await page.textContent('#period-label')) === paused, 'pause stops the slider');
  await page.$eval('#period', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });

  // Popups: every circle opens one; its quotes are the claims' own sentences, as text.
  let quoted = 0;
  let injectedSeen = false;
  // Every circle of a small map (the hostile fixture has one), the first 25 of a large one.
  for (let i = 0; i < Math.min(all, 25); i += 1) {
    await page.locator('path.tollmap-place').nth(i).dispatchEvent('click');
    await page.waitForSelector('.leaflet-popup-content .tm-popup', { timeout: 5000 });
    const texts = await page.$$eval('.leaflet-popup-content blockquote', (bs) => bs.map((b) => b.textContent));
    for (const t of texts) {
      check(quotes.has(t), `popup quote not in claims.geojson: ${t.slice(0, 80)}`);
      quoted += 1;
      if (t.includes('<img src=x onerror=alert(1)>') || t.includes('<script>')) { injectedSeen = true; }
    }
    const hrefs = await page.$$eval('.leaflet-popup-content a', (as) => as.map((a) => a.href));
    check(hrefs.every((h) => h.startsWith('http://') || h.startsWith('https://')), `links only http(s): ${hrefs}`);
    await page.evaluate(() => window.tollmap.map.closePopup());
  }
  check(quoted > 0, 'some popup shows a quote');
  if (xss) {
    check(injectedSeen, 'the hostile text is shown, as text');
    // Tooltips: a place name from an event table or an overlay is shown as text.
    let tipSeen = false;
    for (let i = 0; i < all; i += 1) {
      const circle = page.locator('path.tollmap-place').nth(i);
      await circle.dispatchEvent('mouseover');
      const tips = await page.$$eval('.leaflet-tooltip', (ts) => ts.map((t) => t.textContent));
      if (tips.some((t) => t.includes('<img src=x onerror=alert(5)>'))) { tipSeen = true; }
      await circle.dispatchEvent('mouseout');
    }
    check(tipSeen, 'a hostile place name is shown in its tooltip, as text');
    await page.waitForTimeout(500);
    check((await page.locator('img[src="x"]').count()) === 0, 'no injected <img>');
    check((await page.locator('.leaflet-popup-content script, #map script').count()) === 0, 'no injected <script>');
    check(dialogs.length === 0, `no dialog opened (${dialogs})`);
  }

  await page.evaluate(() => window.tollmap.home());
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot });
  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  console.log(`ok  ${url}: ${all} circles = ${placeIds.size} places; ${periods.length} periods on the slider; ` +
    `${quoted} quotes in popups${xss ? '; hostile text inert' : ''}; screenshot ${shot}`);
} finally {
  await browser.close();
}
