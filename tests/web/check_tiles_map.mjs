// The web map of a large build (more place-periods than the page inlines): served by
// `tollmap serve`, the page draws tiles.pmtiles with protomaps-leaflet through range requests.
// Usage: node tests/web/check_tiles_map.mjs OUT_DIR BASE_URL SCREENSHOT.png
//   BASE_URL: where `tollmap serve OUT_DIR` answers (http://127.0.0.1:PORT/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './browser.mjs';

const [outDir, base, shot] = process.argv.slice(2);
function fail(msg) { console.error(`FAIL ${base}: ${msg}`); process.exitCode = 1; throw new Error(msg); }
function check(cond, msg) { if (!cond) { fail(msg); } }

const data = JSON.parse(readFileSync(join(outDir, 'data.js'), 'utf8')
  .replace(/^window\.TOLLMAP_DATA = /, '').replace(/;\s*$/, ''));
check(data.mode === 'tiles' && data.places.length === 0, 'a large build does not inline its places');
const places = JSON.parse(readFileSync(join(outDir, 'places.geojson'), 'utf8')).features;
const biggest = places.reduce((a, b) => (b.properties.killed_low > a.properties.killed_low ? b : a));

const { browser, page, errors } = await openBrowser();
try {
  // From file://: no server, so the page says how to see the places, and nothing fails.
  await page.goto(`file://${outDir}/index.html`);
  await page.waitForFunction(() => window.tollmap && window.tollmap.ready, null, { timeout: 15000 });
  const said = await page.textContent('#status');
  check(said.includes('tollmap serve'), `file:// explains it needs a server: ${said}`);

  const ranges = [];
  page.on('response', (r) => {
    if (r.url().endsWith('tiles.pmtiles')) { ranges.push(r.status()); }
  });
  await page.goto(`${base}index.html`);
  await page.waitForFunction(() => window.tollmap && window.tollmap.ready && window.tollmap.tiled(), null, { timeout: 15000 });
  await page.waitForLoadState('networkidle');
  check(ranges.length > 0 && ranges.every((s) => s === 206), `tiles read by range requests: ${ranges}`);
  const canvases = await page.locator('.leaflet-tile-pane canvas').count();
  check(canvases > 0, 'the places are drawn on canvas tiles');

  // Zoom to the place with the most killed and click it: its popup names it. (protomaps-leaflet
  // draws 512-pixel tiles: map zoom N shows the data of zoom N-1, so one past the data zoom.)
  const [lon, lat] = biggest.geometry.coordinates;
  await page.evaluate(([la, lo, z]) => window.tollmap.map.setView([la, lo], z, { animate: false }),
    [lat, lon, data.tiles_max_zoom + 1]);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(800);
  const pt = await page.evaluate(([la, lo]) => {
    const p = window.tollmap.map.latLngToContainerPoint([la, lo]);
    const r = document.getElementById('map').getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lat, lon]);
  await page.mouse.click(pt.x, pt.y);
  await page.waitForSelector('.leaflet-popup-content .tm-popup', { timeout: 5000 });
  const title = await page.textContent('.leaflet-popup-content h3');
  const name = biggest.properties.name || biggest.properties.admin1 || biggest.properties.place_id;
  check(title === name, `popup of the biggest place: ${title}, expected ${name}`);
  const text = await page.textContent('.leaflet-popup-content');
  check(/killed \d/.test(text), `the popup gives the totals: ${text}`);

  // The slider filters the tiles by period.
  await page.$eval('#period', (el) => { el.value = '1'; el.dispatchEvent(new Event('input')); });
  check((await page.textContent('#period-label')) === data.periods[0].id, 'slider moved');
  await page.evaluate(() => window.tollmap.home());
  await page.waitForLoadState('networkidle');
  await page.$eval('#period', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });
  await page.waitForTimeout(800);
  // Clusters of distinct sizes, not every one at the largest circle.
  const sizes = new Set((await page.evaluate(() => window.tollmap.tileRadii())).map((r) => Math.round(r)));
  check(sizes.size >= 4, `clusters of ${sizes.size} sizes: ${[...sizes].sort((a, b) => a - b)}`);
  await page.screenshot({ path: shot });
  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  console.log(`ok  ${base}: ${data.place_rows} place-periods drawn from tiles.pmtiles (${ranges.length} range requests, ` +
    `${canvases} canvas tiles); popup of ${name}; file:// explains; screenshot ${shot}`);
} finally {
  await browser.close();
}
