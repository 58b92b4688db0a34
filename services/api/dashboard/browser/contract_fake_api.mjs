// A stand-in for /api/v1 that answers in the shapes of the API contract
// (docs: API_CONTRACT), with hostile text in its data, and serves the page's
// files from the source tree with the same headers as dashboard_routes().
// Used by dashboard_page_test.mjs to test the page alone; the product itself
// is tested by dashboard_browser_test.mjs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
export const KEY = 'fake-admin-key';
export const HOSTILE = '<img src=x onerror="window.__pwned=1">"&\'<script>window.__pwned=2</script>';

export function startFakeApi(assetDir) {
  const now = Date.now();
  const row = (n, extra = {}) => ({
    id: String(10000 + n), key: `FAKE-${n}`, project: 'FAKE', issue_type: 'Bug', status: 'Open', status_category: 'To Do',
    priority: 'High', assignee: n === 1 ? HOSTILE : 'Ада Лавлейс', reporter: '李小龙 🐉', resolution: null,
    summary: n === 1 ? HOSTILE : `A rather long summary of issue ${n} that goes on and on to test wrapping at narrow widths`,
    labels: ['a', 'b'], components: ['core'], fix_versions: [], parent_key: null, created_ms: now - 86400000 * n,
    updated_ms: now - 3600000 * n, resolved_ms: null, deleted: false, source: 'cache', synced_ms: now - 60000,
    age_ms: 60000 * n, stale: n % 3 === 0, ...extra,
  });
  const conflicts = [{ id: 7, key: 'FAKE-1', field: 'summary', local_value: 'local ' + HOSTILE, jira_value: 'jira', strategy: 'MANUAL', outcome: null, open: true, at_ms: now - 5000 }];
  const run = { id: 41, project: 'FAKE', kind: 'full', status: 'running', trigger: 'api', emitted: 0, applied: 0, fetched: 0, fetch_complete: false, expected_total: 100,
    created_ms: now - 1000, started_ms: now - 900, finished_ms: null, error: null };
  const done = { ...run, id: 40, status: 'failed', applied: 12, emitted: 12, fetched: 12, fetch_complete: true, finished_ms: now - 100000, started_ms: now - 200000, error: 'HTTP 503 ' + HOSTILE };
  const seen = { at: null };
  const calls = [];

  const routes = [
    ['GET', /^\/projects$/, () => ({ projects: [{ key: 'FAKE', tickets: 1234, ttl_ms: 3600000, last_success_ms: now - 600000, age_ms: 600000, stale: false, cursor_ms: now - 700000, last_run: done, next_run_ms: now + 1200000 },
      { key: 'NEVER', tickets: 0, ttl_ms: 3600000, last_success_ms: null, age_ms: null, stale: true, cursor_ms: null, last_run: null, next_run_ms: null }] })],
    ['GET', /^\/runs$/, () => ({ runs: [run, done] })],
    ['GET', /^\/runs\/(\d+)$/, (m) => ({ run: Number(m[1]) === run.id ? run : done })],
    ['POST', /^\/sync$/, () => ({ status: 202, body: { runs: [{ run_id: run.id, project: 'FAKE', started: true }] } })],
    ['GET', /^\/issues$/, (m, q) => ({ issues: [1, 2, 3, 4].map((n) => row(n, { source: q.get('source') === 'live' ? 'jira' : 'cache' })), next_cursor: q.get('cursor') ? null : 'c2', source: q.get('source') || 'cache', note: '' })],
    ['GET', /^\/issues\/([^/]+)$/, (m) => ({ issue: { ...row(1), description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ADF text ' + HOSTILE }] }] },
      comments: [{ author: HOSTILE, created_ms: now - 1000, body: 'comment ' + HOSTILE }], custom_fields: { 'Story points': 3 } },
      key_requested: decodeURIComponent(m[1]), notes: [{ text: 'note ' + HOSTILE, at_ms: now }], tags: ['t1', HOSTILE], links: [{ type: 'testcase', id: 'TC-1', at_ms: now }],
      local_edits: [{ field: 'summary', value: 'local ' + HOSTILE, edited_ms: now }], conflicts,
      history: [{ change: 'inserted', run_id: '39', at_ms: now - 9000, detail: {} }, { change: 'updated', run_id: '40', at_ms: now - 1000, detail: { labels: { old: [], new: ['x'] } } }] })],
    ['POST', /^\/issues\/([^/]+)\/refresh$/, () => ({ status: 202, body: { runs: [{ run_id: 40, project: 'FAKE', started: true }] } })],
    ['POST', /^\/refresh$/, () => ({ status: 202, body: { runs: [{ run_id: 40, project: 'FAKE', started: true }] } })],
    ['POST', /^\/issues\/([^/]+)\/notes$/, () => ({ status: 201, body: {} })],
    ['PUT', /^\/issues\/([^/]+)\/(tags|links|edits)\/.+$/, () => ({})],
    ['DELETE', /^\/issues\/([^/]+)\/(tags|links|edits)\/.+$/, () => ({})],
    ['GET', /^\/changes$/, (m, q) => ({ changes: q.get('viewer') && seen.at ? [] : ['new', 'updated', 'significant', 'deleted', 'moved', 'conflict'].map((b, i) => ({
      key: `FAKE-${i + 1}`, id: String(10001 + i), project: 'FAKE', summary: i === 0 ? HOSTILE : 'changed', status: 'Open', badge: b, changed_ms: now - i * 1000, changes: i })), since_ms: seen.at || now - 7 * 86400000 })],
    ['POST', /^\/changes\/seen$/, (m, q, body) => { seen.at = Date.now(); return { viewer: body.viewer, seen_ms: seen.at }; }],
    ['GET', /^\/links\/([^/]+)\/([^/]+)$/, (m) => ({ target: { type: m[1], id: m[2] }, reviewed_ms: null, tickets: [{ ...row(2), badge: 'updated', linked_ms: now }] })],
    ['POST', /^\/links\/([^/]+)\/([^/]+)\/review$/, () => ({ reviewed_ms: Date.now() })],
    ['GET', /^\/templates$/, () => ({ templates: [{ name: 'in-project', description: 'every issue of a project', params: [{ name: 'project', default: null }], jql: 'project = ${project} ORDER BY key ASC' },
      { name: 'stale-open', description: 'open, untouched', params: [{ name: 'days', default: '30' }], jql: '...' }] })],
    ['POST', /^\/jql\/validate$/, (m, q, body) => (/\($|AND\s*$/i.test(body.jql.trim())
      ? { valid: false, error: { message: 'unexpected end of input ' + HOSTILE, line: 1, column: body.jql.length + 1 } }
      : { valid: true, order_by: [{ field: 'key', direction: 'asc' }] })],
    ['GET', /^\/conflicts$/, (m, q) => ({ conflicts: q.get('open') === 'true' ? conflicts.filter((c) => c.open) : conflicts })],
    ['POST', /^\/conflicts\/(\d+)\/resolve$/, (m, q, body) => {
      const c = conflicts.find((x) => x.id === Number(m[1]));
      c.open = false;
      c.outcome = 'took ' + body.take;
      return { conflict: c };
    }],
    ['GET', /^\/lag$/, () => ({ groups: [{ group: 'jirasync-writer', topic: 'jirasync.decisions', partition: 0, committed: 10, high_watermark: 12, lag: 2 }], note: '' })],
  ];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      calls.push(`${req.method} ${url.pathname}${url.search}`);
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/assets/'))) {
        const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice('/assets/'.length);
        const file = path.join(assetDir, rel);
        if (!file.startsWith(assetDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('no asset');
          return;
        }
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });
        res.end(fs.readFileSync(file));
        return;
      }
      if (url.pathname === '/__fake/restart-run' && req.method === 'POST') {
        Object.assign(run, { status: 'running', applied: 0, emitted: 0, fetched: 0, fetch_complete: false, finished_ms: null });
        res.writeHead(204);
        res.end();
        return;
      }
      if (!url.pathname.startsWith('/api/v1/')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const error = (status, code, message) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code, message } }));
      };
      if (req.headers.authorization !== 'Bearer ' + KEY) return error(401, 'unauthenticated', 'a valid API key is needed');
      const sub = url.pathname.slice('/api/v1'.length);
      const events = /^\/runs\/(\d+)\/events$/.exec(sub);
      if (events && req.method === 'GET') {
        const id = Number(events[1]);
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
        const tick = () => {
          const r = id === run.id ? run : done;
          if (id === run.id && run.status === 'running') {
            // As the real pipeline: emitted is only set when the fetch completes.
            run.fetched = Math.min(100, run.fetched + 40);
            if (run.fetched >= 100) Object.assign(run, { fetch_complete: true, emitted: 100 });
            run.applied = Math.min(100, run.applied + 20);
            if (run.applied >= 100) { run.status = 'success'; run.finished_ms = Date.now(); }
          }
          res.write(`event: progress\ndata: ${JSON.stringify(r)}\n\n`);
          if (r.status === 'success' || r.status === 'failed') {
            res.end('event: end\ndata: {}\n\n');
            return;
          }
          setTimeout(tick, 400);
        };
        setTimeout(tick, 300);
        return;
      }
      for (const [method, re, handler] of routes) {
        const m = re.exec(sub);
        if (!m || method !== req.method) continue;
        let parsed = {};
        try { parsed = body ? JSON.parse(body) : {}; } catch { return error(400, 'bad_body', 'not JSON'); }
        const out = handler(m, url.searchParams, parsed);
        const status = out.status || 200;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out.status ? out.body : out));
        return;
      }
      return error(404, 'not_found', 'no route ' + sub);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, calls, run })));
}
