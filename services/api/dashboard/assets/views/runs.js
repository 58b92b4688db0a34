// Runs: history with statistics and errors, and live progress bars for the
// runs still going (Server-Sent Events read with fetch, see api.js).
import { api, query, streamEvents } from '../api.js';
import { h, replace, table, fmtTime, fmtDuration, statusChip, progress, isFinished, errorBox } from '../dom.js';

function duration(run) {
  if (!run.started_ms) return '—';
  return fmtDuration((run.finished_ms || Date.now()) - run.started_ms);
}

// `emitted` is only known once the fetch completes: until then the cell
// shows what was fetched so far (it read "0 / 200" during a full sync).
function emittedCell(run) {
  const applied = run.applied ?? 0;
  if (run.fetch_complete === false && !isFinished(run)) {
    return h('td', { class: 'num', title: 'fetched so far; emitted is known when the fetch completes' },
      `${run.fetched ?? 0}… / ${applied}`);
  }
  return h('td', { class: 'num' }, `${run.emitted ?? 0} / ${applied}`);
}

function row(run) {
  return h('tr', { dataset: { run: run.id, status: run.status } },
    h('td', { class: 'num' }, String(run.id)),
    h('td', {}, run.project),
    h('td', {}, run.kind),
    h('td', {}, statusChip(run.status)),
    h('td', {}, run.trigger || '—'),
    h('td', { class: 'progress-cell' }, progress(run)),
    emittedCell(run),
    h('td', {}, fmtTime(run.created_ms)),
    h('td', {}, duration(run)),
    h('td', { class: 'error-text' }, run.error || ''));
}

function stats(runs) {
  const by = {};
  let done = 0;
  let total = 0;
  for (const r of runs) {
    by[r.status] = (by[r.status] || 0) + 1;
    if (r.status === 'success' && r.started_ms && r.finished_ms) {
      done += 1;
      total += r.finished_ms - r.started_ms;
    }
  }
  return h('ul', { class: 'stats' },
    Object.entries(by).map(([s, n]) => h('li', {}, statusChip(s), ` ${n}`)),
    h('li', {}, 'mean successful run ', done ? fmtDuration(total / done) : '—'));
}

// Follows one run until its stream ends, replacing its row on every event.
async function follow(tbody, run, signal, streams) {
  if (streams.has(run.id)) return;
  streams.add(run.id);
  try {
    await streamEvents(`/runs/${encodeURIComponent(run.id)}/events`, (name, data) => {
      if (name !== 'progress' || !data) return;
      const next = JSON.parse(data);
      const old = tbody.querySelector(`tr[data-run="${CSS.escape(String(next.id))}"]`);
      if (old) old.replaceWith(row(next));
    }, signal);
  } catch (e) {
    if (e.name !== 'AbortError' && tbody.isConnected) tbody.closest('.table-wrap').before(errorBox(e));
  } finally {
    streams.delete(run.id);
  }
}

export async function render(root, { params, signal }) {
  const project = params.get('project') || '';
  const streams = new Set();
  const results = h('div', { id: 'runs-results' });
  const filter = h('form', { class: 'inline', onsubmit: (e) => {
    e.preventDefault();
    const v = e.currentTarget.elements.project.value.trim();
    location.hash = '#/runs' + (v ? '?project=' + encodeURIComponent(v) : '');
  } },
  h('label', { for: 'runs-project' }, 'Project'),
  h('input', { id: 'runs-project', name: 'project', value: project, size: 8 }),
  h('button', { type: 'submit' }, 'Filter'));
  const section = h('section', { 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Runs'), filter, results);

  // Only the table is rebuilt, so the filter keeps what is being typed.
  const load = async () => {
    const data = await api('/runs' + query({ project, limit: 50 }), { signal });
    const runs = data.runs || [];
    const tbody = h('tbody', {}, runs.map(row));
    replace(results, stats(runs),
      h('div', { class: 'table-wrap' }, h('table', { id: 'runs' },
        h('thead', {}, h('tr', {}, ['Run', 'Project', 'Kind', 'Status', 'Trigger', 'Progress', 'Emitted / applied',
          'Created', 'Duration', 'Error'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)));
    for (const run of runs) if (!isFinished(run)) follow(tbody, run, signal, streams);
  };
  await load();
  replace(root, section);
  // New runs appear (cron, webhooks, other users): look again now and then
  // (while a stream runs, its events keep the table current).
  const timer = setInterval(() => {
    if (streams.size === 0) load().catch(() => {});
  }, 2000);
  signal.addEventListener('abort', () => clearInterval(timer));
}
