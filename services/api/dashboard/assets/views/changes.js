// The change feed: what changed since a time or since this viewer last
// looked (POST /changes/seen), with badges; and the tickets linked to one
// test case (or any outside thing) with their badges and a review mark.
import { api, query } from '../api.js';
import { h, replace, table, fmtTime, badge, errorBox, toast } from '../dom.js';

const KINDS = ['new', 'updated', 'significant', 'deleted', 'moved', 'conflict'];
const VIEWER_ITEM = 'jirasync.viewer';

function issueLink(key) {
  return h('a', { href: '#/issue/' + encodeURIComponent(key) }, key);
}

function feedRows(changes) {
  return changes.map((c) => h('tr', { dataset: { key: c.key, badge: c.badge } },
    h('td', {}, badge(c.badge)),
    h('th', { scope: 'row' }, issueLink(c.key)),
    h('td', {}, c.summary || ''),
    h('td', {}, c.status || ''),
    h('td', {}, fmtTime(c.changed_ms)),
    h('td', { class: 'num' }, c.changes ?? '')));
}

async function linksPanel(panel, target, signal) {
  const m = /^([^:]+):(.+)$/.exec(target.trim());
  if (!m) {
    replace(panel, h('p', { class: 'error', role: 'alert' }, 'Link target must be TYPE:ID, e.g. testcase:TC-17'));
    return;
  }
  const path = `/links/${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}`;
  const data = await api(path, { signal });
  const review = h('button', { type: 'button', onclick: async () => {
    try {
      const r = await api(path + '/review', { method: 'POST', body: {} });
      toast(`Reviewed at ${fmtTime(r.reviewed_ms)}`);
      await linksPanel(panel, target, signal);
    } catch (e) { toast(e.message); }
  } }, 'Mark reviewed');
  replace(panel,
    h('p', {}, `${m[1]}:${m[2]} — last reviewed ${fmtTime(data.reviewed_ms)} `, review),
    table(['Badge', 'Key', 'Summary', 'Status', 'Linked'], (data.tickets || []).map((t) => h('tr', {},
      h('td', {}, badge(t.badge)), h('th', { scope: 'row' }, issueLink(t.key)), h('td', {}, t.summary || ''),
      h('td', {}, t.status || ''), h('td', {}, fmtTime(t.linked_ms))))));
}

export async function render(root, { params, signal }) {
  const viewer = params.get('viewer') ?? (localStorage.getItem(VIEWER_ITEM) || '');
  const since = params.get('since') || (viewer ? '' : '-7d');
  const project = params.get('project') || '';
  const kinds = (params.get('kind') || '').split(',').filter(Boolean);
  const data = await api('/changes' + query({ since, viewer, project, kind: kinds.join(','), limit: 200 }), { signal });
  const changes = data.changes || [];

  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    const v = f.viewer.value.trim();
    localStorage.setItem(VIEWER_ITEM, v);
    const picked = KINDS.filter((k) => f['kind-' + k].checked);
    const q = new URLSearchParams();
    q.set('viewer', v);
    if (f.since.value.trim()) q.set('since', f.since.value.trim());
    if (f.project.value.trim()) q.set('project', f.project.value.trim());
    if (picked.length) q.set('kind', picked.join(','));
    location.hash = '#/changes?' + q.toString();
  } },
  h('label', { for: 'chg-viewer' }, 'Viewer'),
  h('input', { id: 'chg-viewer', name: 'viewer', value: viewer, size: 10, placeholder: 'your name' }),
  h('label', { for: 'chg-since' }, 'Since'),
  h('input', { id: 'chg-since', name: 'since', value: params.get('since') || '', size: 12, placeholder: viewer ? 'last looked' : '-7d' }),
  h('label', { for: 'chg-project' }, 'Project'),
  h('input', { id: 'chg-project', name: 'project', value: project, size: 8 }),
  h('fieldset', { class: 'kinds' }, h('legend', {}, 'Kinds'),
    KINDS.map((k) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'kind-' + k, checked: kinds.includes(k) }), ' ', k))),
  h('button', { type: 'submit' }, 'Show'));

  const seen = h('button', { type: 'button', id: 'mark-seen', disabled: !viewer, onclick: async () => {
    try {
      const r = await api('/changes/seen', { method: 'POST', body: { viewer } });
      toast(`${r.viewer} has seen everything up to ${fmtTime(r.seen_ms)}`);
      location.hash = '#/changes?viewer=' + encodeURIComponent(viewer) + '&t=' + Date.now();
    } catch (e) { toast(e.message); }
  } }, 'Mark all as seen');

  const linkPanel = h('div', { id: 'links-panel' });
  const linkForm = h('form', { class: 'inline', onsubmit: (e) => {
    e.preventDefault();
    linksPanel(linkPanel, e.currentTarget.elements.target.value, signal).catch((err) => replace(linkPanel, errorBox(err)));
  } },
  h('label', { for: 'link-target' }, 'Linked to'),
  h('input', { id: 'link-target', name: 'target', placeholder: 'testcase:TC-17', size: 16 }),
  h('button', { type: 'submit' }, 'Show tickets'));

  replace(root,
    h('h2', {}, 'Changes'),
    form,
    h('p', {}, viewer && !params.get('since') ? `Since ${viewer} last looked (${fmtTime(data.since_ms)}). ` : `Since ${fmtTime(data.since_ms)}. `, seen),
    changes.length ? table(['Badge', 'Key', 'Summary', 'Status', 'Changed', 'Changes'], feedRows(changes), { id: 'changes' })
      : h('p', { class: 'muted', id: 'changes-empty' }, 'Nothing changed.'),
    h('h3', {}, 'Tickets of a test case'), linkForm, linkPanel);
}
