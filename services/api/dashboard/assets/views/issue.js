// One ticket: fields, description and comments as text, local notes, tags,
// links and edits, history, conflicts, and a refresh button.
import { api } from '../api.js';
import { h, replace, table, fmtTime, fmtDuration, badge, toast } from '../dom.js';
import { followRuns } from './run_watch.js';
import { resolveButtons } from './conflicts.js';

// Descriptions may come as plain text or as Atlassian Document Format; ADF is
// flattened to its text with a newline per block, never rendered as HTML.
const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'codeBlock', 'blockquote', 'tableRow', 'rule']);
export function plainText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node.type === 'text' && typeof node.text === 'string') out.push(node.text);
    else if (node.type === 'hardBreak') out.push('\n');
    else if (node.type === 'mention' && node.attrs) out.push(node.attrs.text || '@' + (node.attrs.id || ''));
    else if (node.type === 'emoji' && node.attrs) out.push(node.attrs.text || node.attrs.shortName || '');
    if (node.content) walk(node.content);
    if (BLOCKS.has(node.type)) out.push('\n');
    if (node.type === 'tableCell' || node.type === 'tableHeader') out.push('\t');
  };
  walk(value);
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
}

function text(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const FIELDS = [
  ['Summary', 'summary'], ['Type', 'issue_type'], ['Status', 'status'], ['Category', 'status_category'],
  ['Priority', 'priority'], ['Assignee', 'assignee'], ['Reporter', 'reporter'], ['Resolution', 'resolution'],
  ['Labels', 'labels'], ['Components', 'components'], ['Fix versions', 'fix_versions'], ['Parent', 'parent_key'],
];

async function act(fn, reload) {
  try {
    await fn();
    await reload();
  } catch (e) {
    if (e.name !== 'AbortError') toast(e.message);
  }
}

function smallForm(id, label, fields, onsubmit) {
  return h('form', { class: 'inline', id, onsubmit: (e) => {
    e.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.name, e.currentTarget.elements[f.name].value]));
    onsubmit(values, e.currentTarget);
  } },
  fields.map((f) => [h('label', { for: `${id}-${f.name}` }, f.label),
    h('input', { id: `${id}-${f.name}`, name: f.name, placeholder: f.placeholder || '', size: f.size || 14, required: true })]),
  h('button', { type: 'submit' }, label));
}

export async function render(root, { args, signal }) {
  const key = args[0];
  if (!key) throw new Error('No issue key in the address.');
  const base = '/issues/' + encodeURIComponent(key);
  const reload = () => render(root, { args, signal });
  const data = await api(base, { signal });
  const issue = data.issue || {};
  // The API lists history oldest first; the page shows the newest first.
  const historyRows = [...(data.history || [])].reverse().sort((a, b) => (b.at_ms || 0) - (a.at_ms || 0));
  const latest = historyRows[0];

  const refreshButton = h('button', { type: 'button', id: 'refresh-issue', onclick: async (e) => {
    const b = e.currentTarget;
    b.disabled = true;
    b.textContent = 'Refreshing…';
    try {
      const r = await api(base + '/refresh', { method: 'POST', body: {} });
      await followRuns(r.runs || [], signal);
      toast(`${key} refreshed`);
      await reload();
    } catch (err) {
      if (err.name === 'AbortError') return;
      toast(err.message);
      b.disabled = false;
      b.textContent = 'Refresh from Jira';
    }
  } }, 'Refresh from Jira');

  const title = h('h2', { id: 'issue-title' }, issue.key || key, ' ',
    latest ? h('span', { id: 'issue-badge' }, badge(latest.change)) : null,
    issue.deleted ? badge('deleted') : null);
  const moved = data.key_requested && issue.key && data.key_requested !== issue.key
    ? h('p', { class: 'muted' }, `${data.key_requested} moved to ${issue.key}.`) : null;
  const meta = h('p', { class: 'muted' },
    `from ${issue.source || 'cache'}, synced ${fmtTime(issue.synced_ms)} (age ${fmtDuration(issue.age_ms)}) `,
    issue.stale ? badge('stale') : null, ' ', refreshButton);

  const fields = h('dl', { class: 'fields', id: 'issue-fields' },
    FIELDS.map(([label, name]) => [h('dt', {}, label), h('dd', { dataset: { field: name } }, text(issue[name]))]),
    h('dt', {}, 'Created'), h('dd', {}, fmtTime(issue.created_ms)),
    h('dt', {}, 'Updated'), h('dd', {}, fmtTime(issue.updated_ms)),
    h('dt', {}, 'Resolved'), h('dd', {}, fmtTime(issue.resolved_ms)),
    Object.entries(issue.custom_fields || {}).map(([n, v]) => [h('dt', {}, n), h('dd', {}, text(v))]));

  const description = h('div', { class: 'description', id: 'issue-description' }, plainText(issue.description) || '—');
  const comments = (issue.comments || []).map((c) => h('li', { class: 'comment' },
    h('p', { class: 'muted' }, `${c.author || 'someone'}, ${fmtTime(c.created_ms)}`),
    h('div', { class: 'description' }, plainText(c.body))));

  const notes = h('ul', { id: 'notes' }, (data.notes || []).map((n) => h('li', {}, h('span', { class: 'muted' }, fmtTime(n.at_ms) + ' '), h('span', { class: 'pre' }, n.text))));
  const noteForm = h('form', { class: 'stack', id: 'note-form', onsubmit: (e) => {
    e.preventDefault();
    const textValue = e.currentTarget.elements.text.value;
    act(() => api(base + '/notes', { method: 'POST', body: { text: textValue } }), reload);
  } }, h('label', { for: 'note-text' }, 'New note'), h('textarea', { id: 'note-text', name: 'text', rows: 2, required: true }),
  h('button', { type: 'submit' }, 'Add note'));

  const tags = h('ul', { class: 'chips', id: 'tags' }, (data.tags || []).map((t) => h('li', {}, t, ' ',
    h('button', { type: 'button', class: 'link', 'aria-label': 'remove tag ' + t,
      onclick: () => act(() => api(`${base}/tags/${encodeURIComponent(t)}`, { method: 'DELETE' }), reload) }, '×'))));
  const tagForm = smallForm('tag-form', 'Add tag', [{ name: 'tag', label: 'Tag' }],
    (v) => act(() => api(`${base}/tags/${encodeURIComponent(v.tag.trim())}`, { method: 'PUT', body: {} }), reload));

  const links = h('ul', { id: 'links' }, (data.links || []).map((l) => h('li', {},
    h('a', { href: '#/changes' }, `${l.type}:${l.id}`), ` ${fmtTime(l.at_ms)} `,
    h('button', { type: 'button', class: 'link', 'aria-label': `remove link ${l.type}:${l.id}`,
      onclick: () => act(() => api(`${base}/links/${encodeURIComponent(l.type)}/${encodeURIComponent(l.id)}`, { method: 'DELETE' }), reload) }, '×'))));
  const linkForm = smallForm('link-form', 'Link', [{ name: 'type', label: 'Type', placeholder: 'testcase', size: 9 }, { name: 'id', label: 'Id', placeholder: 'TC-17', size: 9 }],
    (v) => act(() => api(`${base}/links/${encodeURIComponent(v.type.trim())}/${encodeURIComponent(v.id.trim())}`, { method: 'PUT', body: {} }), reload));

  const edits = table(['Field', 'Local value', 'Edited', ''], (data.local_edits || []).map((e) => h('tr', {},
    h('td', {}, e.field), h('td', { class: 'pre' }, text(e.value)), h('td', {}, fmtTime(e.edited_ms)),
    h('td', {}, h('button', { type: 'button', 'aria-label': 'drop local edit of ' + e.field,
      onclick: () => act(() => api(`${base}/edits/${encodeURIComponent(e.field)}`, { method: 'DELETE' }), reload) }, 'Drop')))), { id: 'edits' });
  const editForm = smallForm('edit-form', 'Edit locally', [{ name: 'field', label: 'Field', placeholder: 'summary', size: 10 }, { name: 'value', label: 'Value', size: 18 }],
    (v) => act(() => api(`${base}/edits/${encodeURIComponent(v.field.trim())}`, { method: 'PUT', body: { value: v.value } }), reload));

  const conflicts = (data.conflicts || []);
  const conflictTable = table(['Field', 'Local', 'Jira', 'Strategy', 'Outcome', 'At', ''], conflicts.map((c) => h('tr', { dataset: { conflict: c.id } },
    h('td', {}, c.field), h('td', { class: 'pre' }, text(c.local_value)), h('td', { class: 'pre' }, text(c.jira_value)),
    h('td', {}, c.strategy || ''), h('td', {}, c.open ? badge('conflict') : (c.outcome || '')), h('td', {}, fmtTime(c.at_ms)),
    h('td', {}, c.open ? resolveButtons(c, reload) : ''))), { id: 'issue-conflicts' });

  const history = table(['Change', 'Run', 'At', 'Detail'], historyRows.map((x) => h('tr', {},
    h('td', {}, badge(x.change)), h('td', {}, x.run_id ? h('a', { href: '#/runs' }, '#' + x.run_id) : '—'),
    h('td', {}, fmtTime(x.at_ms)), h('td', { class: 'pre detail' }, x.detail && Object.keys(x.detail).length ? JSON.stringify(x.detail) : ''))), { id: 'history' });

  replace(root,
    h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => history.back() }, '← back')),
    title, h('p', { class: 'summary' }, issue.summary || ''), moved, meta,
    h('div', { class: 'cols' },
      h('section', { 'aria-labelledby': 'h-fields' }, h('h3', { id: 'h-fields' }, 'Fields'), fields),
      h('section', { 'aria-labelledby': 'h-desc' }, h('h3', { id: 'h-desc' }, 'Description'), description,
        h('h3', {}, `Comments (${comments.length})`), comments.length ? h('ol', { class: 'comments' }, comments) : h('p', { class: 'muted' }, 'No comments.'))),
    h('section', { 'aria-labelledby': 'h-conf' }, h('h3', { id: 'h-conf' }, 'Conflicts'), conflicts.length ? conflictTable : h('p', { class: 'muted' }, 'None.')),
    h('section', { 'aria-labelledby': 'h-local' }, h('h3', { id: 'h-local' }, 'Local data'),
      h('h4', {}, 'Notes'), notes, noteForm,
      h('h4', {}, 'Tags'), tags, tagForm,
      h('h4', {}, 'Links'), links, linkForm,
      h('h4', {}, 'Local edits'), edits, editForm),
    h('section', { 'aria-labelledby': 'h-hist' }, h('h3', { id: 'h-hist' }, 'History'), history));
}

