// What both browser tests share: finding Chromium and puppeteer-core (skip
// with 77 when missing, unless CI is set: then fail), launching, and
// collecting console errors.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function missingTool(what) {
  if (process.env.CI) {
    console.error(`FAIL: ${what} is missing and CI is set (bash scripts/deps.sh test installs it)`);
    process.exit(1);
  }
  console.log(`SKIP: ${what} is missing (bash scripts/deps.sh test installs it)`);
  process.exit(77);
}

// Chromium from CHROMIUM (default /usr/bin/chromium), puppeteer-core from
// JIRASYNC_TOOLS_DIR/puppeteer (default <repo>/.tools), where deps.sh puts it.
export function requireBrowser() {
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) missingTool(`chromium (${chromium})`);
  const toolsDir = process.env.JIRASYNC_TOOLS_DIR || path.join(repo, '.tools');
  let puppeteer;
  try {
    puppeteer = createRequire(path.join(toolsDir, 'puppeteer', 'node_modules', 'x.js'))('puppeteer-core');
  } catch {
    missingTool(`puppeteer-core (under ${toolsDir}/puppeteer)`);
  }
  return {
    launch: () => puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    }),
  };
}

// Every console error, uncaught exception and HTTP error answer of the page.
export function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${JSON.stringify(m.location())}`);
  });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return errors;
}

export async function pageWidth(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
}

export async function until(what, fn, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? ': ' + last.message : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// Counts and prints checks; `finish` exits 0 or 1.
export function checks() {
  const failures = [];
  return {
    failures,
    check(ok, message) {
      if (ok) console.log(`ok: ${message}`);
      else {
        failures.push(message);
        console.log(`not ok: ${message}`);
      }
      return ok;
    },
    fail(e) {
      failures.push(String(e && e.stack ? e.stack : e));
      console.log('not ok: ' + (e && e.stack ? e.stack : e));
    },
  };
}
