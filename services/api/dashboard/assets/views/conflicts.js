// Conflicts: open ones first, each with "take Jira" / "keep local" buttons
// (admin key).
import { api, query } from '../api.js';
import { h, replace, table, fmtTime, badge, toast } from '../dom.js';

function text(v) {
  if (v === null || v === undefined) return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function resolveButtons(conflict, after) {
  const resolve = (take) => async (e) => {
    const box = e.currentTarget.parentElement;
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    try {
      await api(`/conflicts/${encodeURIComponent(conflict.id)}/resolve`, { method: 'POST', body: { take } });
      toast(`Conflict on ${conflict.key} ${conflict.field}: took ${take}`);
      await after();
    } catch (err) {
      toast(err.message);
      for (const b of box.querySelectorAll('button')) b.disabled = false;
    }
  };
  return h('span', { class: 'actions' },
    h('button', { type: 'button', class: 'resolve', dataset: { take: 'jira' }, onclick: resolve('jira') }, 'Take Jira'),
    h('button', { type: 'button', class: 'resolve', dataset: { take: 'local' }, onclick: resolve('local') }, 'Keep local'));
}

export async function render(root, { params, signal }) {
  const showAll = params.get('all') === '1';
  const key = params.get('key') || '';
  const data = await api('/conflicts' + query({ key, open: showAll ? undefined : 'true' }), { signal });
  const list = data.conflicts || [];
  const reload = () => render(root, { params, signal });
  const rows = list.map((c) => h('tr', { dataset: { conflict: c.id, key: c.key } },
    h('th', { scope: 'row' }, h('a', { href: '#/issue/' + encodeURIComponent(c.key) }, c.key)),
    h('td', {}, c.field),
    h('td', { class: 'pre' }, text(c.local_value)),
    h('td', { class: 'pre' }, text(c.jira_value)),
    h('td', {}, c.strategy || ''),
    h('td', {}, c.open ? badge('conflict') : c.outcome || ''),
    h('td', {}, fmtTime(c.at_ms)),
    h('td', {}, c.open ? resolveButtons(c, reload) : '')));
  replace(root,
    h('h2', {}, 'Conflicts'),
    h('p', {}, showAll ? h('a', { href: '#/conflicts' }, 'Show open only') : h('a', { href: '#/conflicts?all=1' }, 'Show resolved too')),
    list.length ? table(['Key', 'Field', 'Local', 'Jira', 'Strategy', 'State', 'At', 'Resolve (admin)'], rows, { id: 'conflicts' })
      : h('p', { class: 'muted', id: 'no-conflicts' }, showAll ? 'No conflicts.' : 'No open conflicts.'));
}
