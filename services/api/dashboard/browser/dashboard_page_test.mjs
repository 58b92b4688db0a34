// The page alone in a real browser (Chromium via puppeteer-core) against
// contract_fake_api.mjs: every view at 1280 and 390 px, hostile text shown as
// text, validation as you type, a progress bar fed by Server-Sent Events,
// resolving a conflict, no console errors. Exit 0/1, 77 = skipped.
//
//   node dashboard_page_test.mjs --artifacts DIR
import fs from 'node:fs';
import path from 'node:path';
import { requireBrowser, watchConsole, pageWidth, until, checks, repo } from './browser_support.mjs';
import { startFakeApi, KEY } from './contract_fake_api.mjs';

const at = process.argv.indexOf('--artifacts');
if (process.argv.includes('--help') || at < 0 || !process.argv[at + 1]) {
  console.log('usage: node dashboard_page_test.mjs --artifacts DIR');
  process.exit(process.argv.includes('--help') ? 0 : 2);
}
const artifacts = path.resolve(process.argv[at + 1]);
fs.mkdirSync(artifacts, { recursive: true });
const tools = requireBrowser();
const { failures, check, fail } = checks();

const fake = await startFakeApi(path.join(repo, 'services/api/dashboard/assets'));
const base = `http://127.0.0.1:${fake.port}`;
let browser;
try {
  browser = await tools.launch();
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const shot = (name) => page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: true });
  const go = (hash) => page.evaluate((h) => { location.hash = h; }, hash);
  await page.setViewport({ width: 1280, height: 900 });

  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForSelector('main h2');
  check(await page.$eval('main h2', (e) => e.textContent) === 'API key needed', 'without a key the page asks for one and calls nothing');
  check(!fake.calls.some((c) => c.startsWith('GET /api/') || c.startsWith('POST /api/')), 'no API call before a key is given');
  await page.type('#api-key', KEY);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#projects tr[data-project="FAKE"]');
  await shot('page-projects');

  const views = [
    ['#/projects', '#projects'],
    ['#/runs', '#runs'],
    ['#/changes', '#changes'],
    ['#/search?jql=project%20%3D%20FAKE&source=cache', '#results-table tbody tr'],
    ['#/search?template=in-project&param.project=FAKE&source=live', '#results-table tbody tr'],
    ['#/issue/FAKE-1', '#issue-fields'],
    ['#/conflicts', '#conflicts'],
    ['#/lag', '#lag'],
  ];
  for (const width of [1280, 390]) {
    await page.setViewport(width === 390 ? { width, height: 844, isMobile: true, hasTouch: true } : { width, height: 900 });
    for (const [hash, ready] of views) {
      await go(hash);
      await page.waitForSelector(ready, { timeout: 10000 });
      const w = await pageWidth(page);
      check(w.scroll <= w.view, `${hash} at ${width} px: scrollWidth ${w.scroll} <= ${w.view}`);
      check(await page.evaluate(() => window.__pwned === undefined && !document.querySelector('main img, main script')),
        `${hash}: hostile text stays text`);
      await shot(`page-${width}-${hash.replace(/[^a-z0-9]+/gi, '_').slice(1, 40)}`);
    }
  }
  await page.setViewport({ width: 1280, height: 900 });

  // Hostile data is visible as the characters it is.
  await go('#/issue/FAKE-1');
  await page.waitForSelector('#issue-description');
  check((await page.$eval('#issue-description', (e) => e.textContent)).includes('<img src=x onerror='), 'ADF description rendered as its text');
  check((await page.$eval('#issue-badge', (e) => e.textContent)) === 'updated', 'issue page shows the latest change badge');

  // Validation as you type (debounced).
  await go('#/search');
  await page.waitForSelector('#jql');
  const before = fake.calls.filter((c) => c.startsWith('POST /api/v1/jql/validate')).length;
  await page.type('#jql', 'project = FAKE AND', { delay: 20 });
  await page.waitForSelector('#jql-status.error');
  const validations = fake.calls.filter((c) => c.startsWith('POST /api/v1/jql/validate')).length - before;
  check(validations >= 1 && validations <= 3, `typing is debounced: ${validations} validation call(s) for 18 keystrokes`);
  check(/line 1, column 19/.test(await page.$eval('#jql-status', (e) => e.textContent)), 'the error names line and column');
  await page.type('#jql', ' status = Open');
  await page.waitForSelector('#jql-status.ok');

  // Bulk refresh of a selection.
  await go('#/search?jql=project%20%3D%20FAKE&source=cache');
  await page.waitForSelector('#results-table tbody tr');
  await page.click('#results-table tbody tr:nth-child(1) input.pick');
  await page.click('#results-table tbody tr:nth-child(2) input.pick');
  await page.click('#refresh-selected');
  await until('the bulk refresh call', () => fake.calls.some((c) => c === 'POST /api/v1/refresh'));
  check(true, 'bulk refresh of the selection posted to /refresh');

  // Progress from Server-Sent Events read with fetch (Bearer header).
  await fetch(base + '/__fake/restart-run', { method: 'POST' });
  await go('#/projects');
  await page.waitForSelector('#projects');
  await go('#/runs');
  await page.waitForSelector('#runs tr[data-run="41"]');
  const values = [];
  const counters = [];
  await until('run 41 to finish', async () => {
    const s = await page.$eval('#runs tr[data-run="41"]', (r) => ({ applied: r.querySelector('progress').value, status: r.dataset.status,
      counters: r.querySelectorAll('td.num')[1].textContent }));
    if (!values.length || values[values.length - 1] !== s.applied) values.push(s.applied);
    if (!counters.length || counters[counters.length - 1] !== s.counters) counters.push(s.counters);
    return s.status === 'success';
  }, 15000, 50);
  check(values.length >= 4 && values[values.length - 1] === 100, `the progress bar moved: ${values.join(' -> ')}`);
  // While the fetch runs, emitted is not known yet: the cell shows what was fetched, never "0 / 20".
  check(!counters.some((c) => /^0 \/ [1-9]/.test(c)) && counters[counters.length - 1] === '100 / 100',
    `emitted / applied while running: ${counters.join(' -> ')}`);

  // Mark seen.
  await go('#/changes?viewer=tester');
  await page.waitForSelector('#changes');
  const badges = await page.$$eval('#changes .badge', (b) => b.map((x) => x.textContent));
  check(['new', 'updated', 'significant', 'deleted', 'moved'].every((b) => badges.includes(b)), `change badges: ${badges.join(',')}`);
  await page.click('#mark-seen');
  await page.waitForSelector('#changes-empty');
  check(fake.calls.includes('POST /api/v1/changes/seen'), '"mark all as seen" posts /changes/seen');

  // Resolve a conflict.
  await go('#/conflicts');
  const resolve = '#conflicts tr[data-key="FAKE-1"] button.resolve[data-take="jira"]';
  await page.waitForSelector(resolve);
  await page.click(resolve);
  await page.waitForSelector('#no-conflicts');
  check(fake.calls.includes('POST /api/v1/conflicts/7/resolve'), 'the resolve button posts the choice');

  // Keyboard: the skip link first, then the navigation.
  await page.goto('about:blank');
  await page.goto(base + '/#/projects', { waitUntil: 'load' });
  await page.waitForSelector('#projects');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80));
  check(first.includes('class="skip"'), `first Tab reaches the skip link (${first})`);
  const unlabeled = await page.$$eval('input, select, textarea', (els) => els.filter((e) => !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.id || e.name));
  check(unlabeled.length === 0, `every control has a label ${unlabeled.join(',')}`);

  check(errors.length === 0, `no console errors${errors.length ? ':\n  ' + errors.join('\n  ') : ''}`);
} catch (e) {
  fail(e);
} finally {
  if (browser) await browser.close().catch(() => {});
  fake.server.close();
  fake.server.closeAllConnections?.();
}
console.log(`screenshots: ${artifacts}`);
console.log(failures.length ? `FAILED (${failures.length})` : 'PASSED');
process.exit(failures.length ? 1 : 0);
