// The review page in headless Chromium (run by .ci/run).
// Usage: node tests/web/check_review.mjs REVIEW_DIR
// Checks: the page shows every claim of review-data.js with its readings marked in the
// sentence; hostile article text stays text; a claim's form makes the expected rows of a
// corrections file, and the download gives exactly them (saved as
// REVIEW_DIR/corrections-from-page.csv for the build that reads them back); the confidence
// filter shows the claims at most that sure.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './browser.mjs';

const dir = process.argv[2];
if (!dir) { console.error('usage: check_review.mjs REVIEW_DIR'); process.exit(2); }
function fail(msg) { console.error(`FAIL review page: ${msg}`); process.exit(1); }

const { browser, page, errors, dialogs } = await openBrowser();
try {
  await page.goto(`file://${join(dir, 'review.html')}`);
  await page.waitForSelector('article.claim');
  const data = await page.evaluate(() => window.TOLLMAP_REVIEW);
  const claims = data.claims;
  const shown = await page.locator('article.claim').count();
  if (shown !== claims.length || claims.length < 3) { fail(`${shown} claims shown of ${claims.length}`); }
  // Review order: confidence never falls.
  for (let i = 1; i < claims.length; i++) {
    if (claims[i].confidence < claims[i - 1].confidence) { fail(`order at ${claims[i].id}`); }
  }
  // Marks: each claim's marked count is its count's words, and the sentence is whole.
  let marked = 0;
  for (const [i, c] of claims.entries()) {
    const a = page.locator(`#claim-${c.rank}`);
    const quote = await a.locator('blockquote').textContent();
    const whole = c.segments.map((s) => s.text).join('');
    if (quote !== whole) { fail(`${c.id}: the sentence shown is not the claim's`); }
    const counts = await a.locator('mark.count').allTextContents();
    if (counts.length > 0) {
      marked++;
      if (counts[0].toLowerCase() !== c.reading.count_words.toLowerCase()) { fail(`${c.id}: count marked ${counts[0]}`); }
    }
    if (i > 200) { break; }
  }
  if (marked === 0) { fail('no count marked'); }
  // Hostile text stays text: no element made from it, no script run, no javascript: link.
  const hostile = claims.find((c) => c.segments.some((s) => s.text.includes('<img src=x onerror=alert(1)>')));
  if (!hostile) { fail('no hostile sentence in the data'); }
  const hostileQuote = await page.locator(`#claim-${hostile.rank} blockquote`).textContent();
  if (!hostileQuote.includes('<img src=x onerror=alert(1)>') || !hostileQuote.includes('<script>alert(2)</script>')) {
    fail('the hostile sentence is not shown as text');
  }
  const injected = await page.evaluate(() => document.querySelectorAll('main img, main script, main b, a[href^="javascript"]').length);
  if (injected !== 0) { fail(`${injected} elements made from article text`); }

  // The forms: the first claim's count and outcome changed with a note holding a comma and
  // quotes; the second rejected; the third kept apart from the first's event.
  const [c1, c2, c3] = claims;
  await page.fill('#by', 'ana');
  const f1 = page.locator(`#claim-${c1.rank} form`);
  await f1.locator('input[name=count]').fill('14-');
  const otherOutcome = data.choices.outcomes.find((o) => o !== c1.reading.outcome);
  await f1.locator('select[name=outcome]').selectOption(otherOutcome);
  await f1.locator('input[name=note]').fill('raised, "next day"');
  await f1.locator('button[type=submit]').click();
  const f2 = page.locator(`#claim-${c2.rank} form`);
  await f2.locator('input[value=reject]').check();
  await f2.locator('button[type=submit]').click();
  const f3 = page.locator(`#claim-${c3.rank} form`);
  await f3.locator('input[name=other_event]').fill(c1.id);
  await f3.locator('button[type=submit]').click();
  // An unchanged form makes no row.
  await page.locator(`#claim-${claims[3] ? claims[3].rank : c3.rank} form button[type=submit]`).click();
  const want = 'claim_id,action,value,note,by\n'
    + `${c1.id},count,14-,"raised, ""next day""",ana\n`
    + `${c1.id},outcome,${otherOutcome},"raised, ""next day""",ana\n`
    + `${c2.id},reject,,,ana\n`
    + `${c3.id},other_event,${c1.id},,ana\n`;
  const text = await page.inputValue('#csv');
  if (text !== want) { fail(`the corrections shown:\n${text}\nwanted:\n${want}`); }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  if (download.suggestedFilename() !== 'corrections.csv') { fail(`downloaded as ${download.suggestedFilename()}`); }
  const got = readFileSync(await download.path(), 'utf8');
  if (got !== want) { fail(`the download:\n${got}`); }
  writeFileSync(join(dir, 'corrections-from-page.csv'), got);
  // Clear takes a claim's rows away.
  await f3.locator('button.clear').click();
  if ((await page.inputValue('#csv')).includes('other_event')) { fail('Clear left the rows'); }

  // The confidence filter.
  const max = claims[Math.floor(claims.length / 2)].confidence;
  await page.fill('#max-confidence', String(max));
  const visible = await page.locator('article.claim:visible').count();
  const expected = claims.filter((c) => c.confidence <= max).length;
  if (visible !== expected) { fail(`filter at ${max}: ${visible} shown, ${expected} expected`); }

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, 'review.png'), fullPage: false });
  if (dialogs.length) { fail(`dialogs opened: ${dialogs.join(', ')}`); }
  if (errors.length) { fail(`console errors: ${errors.join(' | ')}`); }
  console.log(`ok  review page: ${claims.length} claims, ${marked} with the count marked; hostile text inert; `
    + `the form's rows and the download match (4 rows); filter at ${max} shows ${visible}`);
} finally {
  await browser.close();
}
