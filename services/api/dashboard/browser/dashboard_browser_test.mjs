// The dashboard in a real browser: Debian's Chromium, headless, driven by
// puppeteer-core, against `jirasync run` (embedded, SQLite) serving a
// simulator project synced first. Exit 0 = passed, 1 = failed, 77 = skipped
// (chromium or puppeteer-core missing and CI unset; with CI set that fails).
//
//   node dashboard_browser_test.mjs --jirasync BIN --jirasim BIN --artifacts DIR
//        [--server run | --server api --api BIN | --server distributed --api BIN --bin DIR]
//
// --server run (default): `jirasync run` serves the API and the page on
// `listen`, and its pipeline does what the page's buttons ask.
// --server distributed: `jirasync-api` on `api.listen` and the four services
// (from --bin DIR) over Kafka and PostgreSQL from scripts/services.sh (its
// `env` exported; a fresh database and topic prefix per run): the buttons
// drive the real pipeline.
// --server api: `jirasync-api` alone on SQLite with an in-process bus, so no
// pipeline answers the buttons: the refresh and the slow sync are run by the
// CLI and the page only watches them.
//
// Env: CHROMIUM (default /usr/bin/chromium), JIRASYNC_TOOLS_DIR (where
// scripts/deps.sh put puppeteer-core; default <repo>/.tools).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { requireBrowser, watchConsole, pageWidth, until, checks } from './browser_support.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
if (process.argv.includes('--help')) {
  console.log('usage: node dashboard_browser_test.mjs --jirasync BIN --jirasim BIN --artifacts DIR [--server run|api --api BIN]');
  process.exit(0);
}
for (const name of ['jirasync', 'jirasim', 'artifacts']) {
  if (!args[name]) {
    console.error(`dashboard_browser_test: --${name} is required (see --help)`);
    process.exit(2);
  }
}
const server = args.server || 'run';
const embedded = server === 'run';
const distributed = server === 'distributed';
const pipelineBehindButtons = embedded || distributed;
if (!['run', 'api', 'distributed'].includes(server) || (!embedded && !args.api) || (distributed && !args.bin)) {
  console.error('dashboard_browser_test: --server run|api|distributed; api and distributed need --api BIN, distributed --bin DIR');
  process.exit(2);
}
if (distributed && (!process.env.JIRASYNC_TEST_PG_URL || !process.env.JIRASYNC_TEST_KAFKA_BROKERS)) {
  console.error('FAIL: --server distributed needs the env of `bash scripts/services.sh env` (JIRASYNC_TEST_PG_URL, JIRASYNC_TEST_KAFKA_BROKERS)');
  process.exit(1);
}
const browserTools = requireBrowser();

// ---- helpers ----
const artifacts = path.resolve(args.artifacts);
fs.mkdirSync(artifacts, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jirasync-dashboard-'));
const children = [];
const { failures, check, fail } = checks();
const step = (what) => console.log(`--- ${what}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(name, bin, argv, env) {
  const log = fs.openSync(path.join(work, name + '.log'), 'a');
  const child = spawn(bin, argv, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  children.push(child);
  return child;
}

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(1));
process.on('SIGTERM', () => process.exit(1));

async function json(url, { method = 'GET', body, key } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = 'Bearer ' + key;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url} -> ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

function dumpLogs() {
  for (const f of fs.readdirSync(work).filter((x) => x.endsWith('.log'))) {
    const text = fs.readFileSync(path.join(work, f), 'utf8');
    console.log(`==== ${f} (last 40 lines)\n` + text.split('\n').slice(-40).join('\n'));
  }
}

// ---- the product: simulator, config, first sync, key, `jirasync run` ----
const PROJECT = 'DASH';
const env = { JIRA_API_TOKEN: 'jirasim-demo-token' };
let browser;
try {
  step('simulator');
  const portFile = path.join(work, 'sim.port');
  start('jirasim', args.jirasim, ['--port', '0', '--port-file', portFile, '--projects', `${PROJECT}:500`]);
  const simPort = Number(await until('the simulator port file', () => fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()));
  const sim = `http://127.0.0.1:${simPort}`;
  await until('the simulator', () => json(sim + '/__sim/health'));

  step('config and first sync');
  const apiPort = await freePort();
  const config = path.join(work, 'jirasync.yaml');
  let databaseUrl = `sqlite:${path.join(work, 'cache.db')}`;
  let busLines = ['bus: inprocess'];
  if (distributed) {
    const suffix = `${process.pid}_${Date.now()}`;
    const pg = new URL(process.env.JIRASYNC_TEST_PG_URL.replace(/^postgresql:/, 'http:'));
    const dbName = `dashboard_${suffix}`;
    const admin = `postgresql://postgres@${pg.host}/postgres`;
    const psql = (sql) => {
      const r = spawnSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr || r.error}`);
    };
    psql(`CREATE DATABASE ${dbName} OWNER ${decodeURIComponent(pg.username)}`);
    process.on('exit', () => spawnSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]));
    databaseUrl = `postgresql://${pg.username}@${pg.host}/${dbName}`;
    busLines = ['bus: kafka', 'kafka:', `  brokers: ${process.env.JIRASYNC_TEST_KAFKA_BROKERS}`, `  topic_prefix: "dashboard.${suffix}."`,
      `  api_version_request: ${process.env.JIRASYNC_KAFKA_API_VERSION_REQUEST || 'false'}`,
      `  broker_version_fallback: "${process.env.JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK || '0.9.0.1'}"`];
  }
  fs.writeFileSync(config, [
    'jira:', `  base_url: ${sim}`, '  email: demo@jirasim.test', '  rate_per_s: 0', '  page_size: 10', '  concurrency: 1',
    // Cron never fires during the test: only the runs it starts exist.
    'projects:', `  - key: ${PROJECT}`, '    strategy: MANUAL', '    cache_ttl: 1h',
    '    incremental_cron: "0 0 1 1 *"', '    full_cron: "0 0 1 1 *"',
    `database_url: ${databaseUrl}`, 'writer:', '  batch_size: 25', ...busLines,
    ...(embedded ? [`listen: 127.0.0.1:${apiPort}`] : ['listen: 127.0.0.1:0', 'api:', `  listen: 127.0.0.1:${apiPort}`]), '',
  ].join('\n'));
  if (distributed) {
    for (const role of ['scheduler', 'writer', 'reconciler', 'fetcher']) {
      start(role, path.join(args.bin, 'jirasync-' + role), ['--config', config], env);
    }
  }
  const cli = (argv, timeout = 120000) => {
    const r = spawnSync(args.jirasync, ['-c', config, ...argv], { env: { ...process.env, ...env }, encoding: 'utf8', timeout });
    if (r.status !== 0) throw new Error(`jirasync ${argv.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  cli(['sync', '--project', PROJECT, '--full', '--wait']);
  const created = cli(['apikey', 'create', 'dashboard-test', '--scope', 'admin']);
  const tokens = created.match(/[A-Za-z0-9_\-.~+/=]{24,}/g) || [];
  const key = tokens[tokens.length - 1];
  if (!key) throw new Error('no key in the output of `jirasync apikey create`: ' + created);

  step(embedded ? 'jirasync run' : 'jirasync-api');
  if (embedded) start('jirasync-run', args.jirasync, ['-c', config, 'run'], env);
  else start('jirasync-api', args.api, ['--config', config], env);
  // The issue page's refresh: its button, or (no pipeline behind
  // jirasync-api here) the CLI and a fresh look at the page.
  const refreshIssue = async (issueKey) => {
    if (pipelineBehindButtons) {
      await page.click('#refresh-issue');
      return;
    }
    cli(['refresh', issueKey]);
    await go('#/projects');
    await page.waitForSelector('#projects');
    await go(`#/issue/${issueKey}`);
  };
  const base = `http://127.0.0.1:${apiPort}`;
  await until('the dashboard at /', async () => (await fetch(base + '/')).ok, 60000, 200);
  await until('the project in /api/v1/projects', async () =>
    ((await json(base + '/api/v1/projects', { key })).projects || []).some((p) => p.key === PROJECT && p.tickets > 0));

  // ---- the browser ----
  step('browser');
  browser = await browserTools.launch();
  const page = await browser.newPage();
  const consoleErrors = watchConsole(page);
  const shot = async (name) => {
    const file = path.join(artifacts, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  const go = async (hash) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
  };
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(base + '/', { waitUntil: 'load' });

  step('key typed once');
  await page.type('#api-key', key);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#projects tr[data-project="${PROJECT}"]`, { timeout: 15000 });
  check(await page.evaluate(() => sessionStorage.getItem('jirasync.key') !== null), 'the key is kept in sessionStorage');
  check(await page.$eval('#api-key', (e) => e.value === ''), 'the key field is cleared after use');
  await shot('projects');

  step('since I last looked: mark everything seen');
  await go('#/changes?viewer=browser-test');
  await page.waitForSelector('#mark-seen:not([disabled])');
  await page.click('#mark-seen');
  await page.waitForFunction(() => location.hash.includes('&t=') && document.querySelector('#changes-empty, #changes'));
  await page.waitForSelector('#changes-empty', { timeout: 10000 });
  check(true, 'after "mark all as seen" the viewer sees nothing changed');

  step('search with JQL, validated as you type');
  await go('#/search');
  await page.waitForSelector('#jql');
  await page.type('#jql', `project = ${PROJECT} AND (`);
  await page.waitForSelector('#jql-status.error', { timeout: 10000 });
  const invalidText = await page.$eval('#jql-status', (e) => e.textContent);
  check(/line \d+, column \d+/.test(invalidText), `invalid JQL is reported with its position: "${invalidText}"`);
  await page.$eval('#jql', (e) => { e.value = ''; });
  await page.type('#jql', `project = ${PROJECT} ORDER BY key ASC`);
  await page.waitForSelector('#jql-status.ok', { timeout: 10000 });
  await page.click('#search-go');
  await page.waitForSelector('#results-table tbody tr', { timeout: 15000 });
  const jqlRows = await page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => ({
    key: r.dataset.key, source: r.querySelector('.source').textContent, age: r.lastElementChild.textContent })));
  check(jqlRows.length > 0 && jqlRows.every((r) => r.key.startsWith(PROJECT + '-')), `JQL search lists ${jqlRows.length} ${PROJECT} issues`);
  check(jqlRows.every((r) => r.source === 'cache' && r.age.trim() !== ''), 'every result shows its source (cache) and age');
  await shot('search-jql');

  step('search with a template');
  await go('#/search');
  await page.waitForSelector('#template option[value="in-project"]');
  await page.select('#template', 'in-project');
  await page.waitForSelector('#param-project');
  await page.$eval('#param-project', (e) => { e.value = ''; });
  await page.type('#param-project', PROJECT);
  await page.click('#search-go');
  await page.waitForFunction(() => location.hash.includes('template=in-project'));
  await page.waitForSelector('#results-table tbody tr', { timeout: 15000 });
  const templateRows = await page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => r.dataset.key));
  check(templateRows.length > 0 && templateRows.every((k) => k.startsWith(PROJECT + '-')), `template in-project lists ${templateRows.length} issues`);
  await shot('search-template');

  step('change an issue in Jira, refresh it, see the updated badge');
  const updatedKey = `${PROJECT}-2`;
  await json(`${sim}/__sim/issues/${updatedKey}`, { method: 'PUT', body: { labels: ['browser-test'] } });
  await go(`#/issue/${updatedKey}`);
  await page.waitForSelector('#refresh-issue');
  await refreshIssue(updatedKey);
  await page.waitForFunction(() => {
    const b = document.querySelector('#issue-badge');
    return b && b.textContent.trim() === 'updated' && [...document.querySelectorAll('[data-field="labels"]')].some((d) => d.textContent.includes('browser-test'));
  }, { timeout: 60000 });
  check(true, `${updatedKey} shows the updated badge and its new label after refresh`);
  await shot('issue-updated');
  await go('#/changes?viewer=browser-test');
  await page.waitForSelector(`#changes tr[data-key="${updatedKey}"]`, { timeout: 10000 });
  const feedBadge = await page.$eval(`#changes tr[data-key="${updatedKey}"] .badge`, (e) => e.textContent);
  check(feedBadge === 'updated', `the change feed since the viewer last looked shows ${updatedKey} as ${feedBadge}`);
  await shot('changes');

  step('a MANUAL conflict, resolved with a button');
  const conflictKey = `${PROJECT}-3`;
  await go(`#/issue/${conflictKey}`);
  await page.waitForSelector('#edit-form');
  await page.type('#edit-form-field', 'summary');
  await page.type('#edit-form-value', 'Summary kept locally');
  await page.click('#edit-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#edits tbody tr'), { timeout: 10000 });
  await json(`${sim}/__sim/issues/${conflictKey}`, { method: 'PUT', body: { summary: 'Summary changed in Jira' } });
  await refreshIssue(conflictKey);
  await page.waitForSelector('#issue-conflicts tr[data-conflict] button.resolve', { timeout: 60000 });
  await shot('issue-conflict');
  await go('#/conflicts');
  await page.waitForSelector(`#conflicts tr[data-key="${conflictKey}"] button.resolve[data-take="jira"]`, { timeout: 10000 });
  await shot('conflicts');
  await page.click(`#conflicts tr[data-key="${conflictKey}"] button.resolve[data-take="jira"]`);
  await page.waitForFunction((k) => !document.querySelector(`#conflicts tr[data-key="${k}"]`) && document.querySelector('#no-conflicts, #conflicts'), { timeout: 10000 }, conflictKey);
  const open = (await json(`${base}/api/v1/conflicts?key=${conflictKey}&open=true`, { key })).conflicts || [];
  check(open.length === 0, `the conflict on ${conflictKey} is resolved (${open.length} open)`);

  step('a progress bar moves during a slow sync');
  // A full sync fetches only what changed: change many issues, and make every
  // Jira request slow, so the run lasts seconds and applies in steps.
  await json(`${sim}/__sim/bulk-mutate`, { method: 'POST', body: { count: 400, seed: 7 } });
  await json(`${sim}/__sim/config`, { method: 'POST', body: { faults: { latencyMs: 1000 } } });
  await go('#/projects');
  await page.waitForSelector(`#projects tr[data-project="${PROJECT}"] button`);
  if (pipelineBehindButtons) {
    const [fullSync] = await page.$$(`#projects tr[data-project="${PROJECT}"] button`).then((b) => b.slice(1));
    await fullSync.click();
    await page.waitForFunction(() => location.hash === '#/runs');
  } else {
    await go('#/runs');
    await page.waitForSelector('#runs');
    start('jirasync-sync', args.jirasync, ['-c', config, 'sync', '--project', PROJECT, '--full', '--wait'], env);
  }
  const runId = await until('a running full sync in the runs table', () => page.evaluate(() => {
    const row = [...document.querySelectorAll('#runs tbody tr')].find((r) => r.dataset.status !== 'success' && r.dataset.status !== 'failed');
    return row ? row.dataset.run : null;
  }), 30000, 50);
  const seen = [];
  await until('the run to finish', async () => {
    const s = await page.evaluate((id) => {
      const row = document.querySelector(`#runs tbody tr[data-run="${id}"]`);
      if (!row) return null;
      const p = row.querySelector('span.progress');
      return { applied: Number(p.dataset.applied), status: row.dataset.status };
    }, runId);
    if (s && (seen.length === 0 || seen[seen.length - 1].applied !== s.applied)) seen.push(s);
    if (seen.length === 3) await shot('runs-progress');
    return s && (s.status === 'success' || s.status === 'failed');
  }, 120000, 40);
  const moving = seen.filter((s) => s.status !== 'success' && s.status !== 'failed').map((s) => s.applied);
  check(new Set(moving).size >= 2, `the progress bar of run ${runId} moved while running: ${seen.map((s) => `${s.applied}(${s.status})`).join(' -> ')}`);
  check(seen[seen.length - 1].status === 'success', `run ${runId} ended ${seen[seen.length - 1].status}`);
  await json(`${sim}/__sim/config`, { method: 'POST', body: { faults: {} } });
  await shot('runs');

  step('lag');
  await go('#/lag');
  await page.waitForFunction(() => document.querySelector('main h2')?.textContent === 'Consumer lag');
  await shot('lag');

  step('keyboard');
  await page.goto('about:blank');
  await page.goto(base + '/#/projects', { waitUntil: 'load' });
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab reaches the skip link');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.closest('.brand, .nav') !== null), 'then the navigation');
  const unlabeled = await page.$$eval('input, select, textarea', (els) => els.filter((e) =>
    !e.labels?.length && !e.getAttribute('aria-label') && e.type !== 'hidden').map((e) => e.id || e.name));
  check(unlabeled.length === 0, `every form control has a label (${unlabeled.join(', ')})`);

  step('390 px wide: nothing overflows');
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  for (const [name, hash, ready] of [
    ['narrow-projects', '#/projects', '#projects'],
    ['narrow-runs', '#/runs', '#runs'],
    ['narrow-changes', '#/changes?viewer=browser-test', '#changes, #changes-empty'],
    ['narrow-search', `#/search?jql=${encodeURIComponent(`project = ${PROJECT} ORDER BY key ASC`)}&source=cache`, '#results-table tbody tr'],
    ['narrow-issue', `#/issue/${conflictKey}`, '#issue-fields'],
    ['narrow-conflicts', '#/conflicts?all=1', '#conflicts, #no-conflicts'],
    ['narrow-lag', '#/lag', 'main h2'],
  ]) {
    await go(hash);
    await page.waitForSelector(ready, { timeout: 15000 });
    const width = await pageWidth(page);
    check(width.scroll <= width.view, `${hash} fits 390 px (scrollWidth ${width.scroll}, viewport ${width.view})`);
    await shot(name);
  }

  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ':\n  ' + consoleErrors.join('\n  ') : ''}`);
} catch (e) {
  fail(e);
} finally {
  if (browser) await browser.close().catch(() => {});
  stopAll();
}
console.log(`screenshots: ${artifacts}`);
if (failures.length) {
  dumpLogs();
  console.log(`FAILED (${failures.length}); work dir kept: ${work}`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
console.log('PASSED');
process.exit(0);
