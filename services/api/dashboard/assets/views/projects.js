// Projects: tickets, freshness against the TTL, last and next run, cursor;
// sync buttons (admin key).
import { api } from '../api.js';
import { h, replace, table, fmtTime, fmtDuration, errorBox, toast, statusChip, progress } from '../dom.js';

function freshness(p) {
  if (p.age_ms === null || p.age_ms === undefined) return h('span', { class: 'badge badge-stale' }, 'never synced');
  const ratio = p.ttl_ms > 0 ? Math.min(p.age_ms / p.ttl_ms, 1) : 0;
  return h('span', { class: 'fresh' },
    h('meter', { min: 0, max: 1, low: 0.5, high: 0.9, optimum: 0, value: ratio.toFixed(3),
      'aria-label': `age ${fmtDuration(p.age_ms)} of TTL ${fmtDuration(p.ttl_ms)}` }),
    ` ${fmtDuration(p.age_ms)} / ${fmtDuration(p.ttl_ms)} `,
    p.stale ? h('span', { class: 'badge badge-stale' }, 'stale') : h('span', { class: 'badge badge-fresh' }, 'fresh'));
}

async function sync(project, kind, button) {
  button.disabled = true;
  try {
    const r = await api('/sync', { method: 'POST', body: { project, kind } });
    const started = (r.runs || []).map((x) => `#${x.run_id}${x.started ? '' : ' (already running)'}`).join(', ');
    toast(`${kind} sync of ${project}: run ${started}`);
    location.hash = '#/runs';
  } catch (e) {
    toast(e.message);
  } finally {
    button.disabled = false;
  }
}

export async function render(root, { signal }) {
  const data = await api('/projects', { signal });
  const list = data.projects || [];
  const rows = list.map((p) => {
    const run = p.last_run;
    const syncButtons = h('span', { class: 'actions' },
      h('button', { type: 'button', onclick: (e) => sync(p.key, 'incremental', e.currentTarget) }, 'Sync'),
      h('button', { type: 'button', onclick: (e) => sync(p.key, 'full', e.currentTarget) }, 'Full sync'));
    return h('tr', { dataset: { project: p.key } },
      h('th', { scope: 'row' }, h('a', { href: '#/search?jql=' + encodeURIComponent(`project = ${p.key} ORDER BY updated DESC`) }, p.key)),
      h('td', { class: 'num' }, p.tickets ?? '—'),
      h('td', {}, freshness(p)),
      h('td', {}, run ? [statusChip(run.status), ' ', run.kind, ' #', String(run.id), ' ', fmtTime(run.finished_ms || run.started_ms || run.created_ms), ' ', progress(run)] : '—'),
      h('td', {}, fmtTime(p.next_run_ms)),
      h('td', {}, fmtTime(p.cursor_ms)),
      h('td', {}, syncButtons));
  });
  replace(root,
    h('h2', {}, 'Projects'),
    list.length ? table(['Project', 'Tickets', 'Freshness (age / TTL)', 'Last run', 'Next run', 'Cursor', 'Sync (admin)'], rows, { id: 'projects' })
      : h('p', { class: 'muted' }, 'No projects configured.'));
  // Freshness moves with time: reload while the view is open, but not while a
  // control inside has the focus (keyboard users keep their place).
  const again = () => {
    if (signal.aborted) return;
    if (root.contains(document.activeElement) && document.activeElement !== root) {
      timer = setTimeout(again, 15000);
      return;
    }
    render(root, { signal }).catch((e) => {
      if (!signal.aborted && e.name !== 'AbortError') root.prepend(errorBox(e));
    });
  };
  let timer = setTimeout(again, 15000);
  signal.addEventListener('abort', () => clearTimeout(timer));
}
