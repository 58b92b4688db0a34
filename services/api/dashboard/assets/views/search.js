// Search: JQL validated as you type (debounced POST /jql/validate), the
// template list with its parameters, results with source and age, a
// selection to refresh in bulk.
import { api, query } from '../api.js';
import { h, replace, table, fmtDuration, errorBox, toast, badge } from '../dom.js';
import { followRuns } from './run_watch.js';

function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

function resultRow(issue) {
  return h('tr', { dataset: { key: issue.key } },
    h('td', {}, h('input', { type: 'checkbox', class: 'pick', value: issue.key, 'aria-label': 'select ' + issue.key })),
    h('th', { scope: 'row' }, h('a', { href: '#/issue/' + encodeURIComponent(issue.key) }, issue.key)),
    h('td', {}, issue.summary || ''),
    h('td', {}, issue.status || ''),
    h('td', {}, issue.assignee || '—'),
    h('td', {}, h('span', { class: 'source source-' + (issue.source || '') }, issue.source || '')),
    h('td', {}, fmtDuration(issue.age_ms), ' ', issue.stale ? badge('stale') : null, issue.deleted ? badge('deleted') : null));
}

export async function render(root, { params, signal }) {
  const jql = params.get('jql') || '';
  const template = params.get('template') || '';
  const source = params.get('source') || 'cache';
  const templates = (await api('/templates', { signal })).templates || [];

  const status = h('p', { id: 'jql-status', class: 'muted', role: 'status', 'aria-live': 'polite' }, '');
  const jqlInput = h('textarea', { id: 'jql', name: 'jql', rows: 2, spellcheck: 'false',
    'aria-describedby': 'jql-status', placeholder: 'project = WRKA AND status != Done ORDER BY updated DESC' }, jql);
  const validate = debounce(async () => {
    const text = jqlInput.value.trim();
    if (!text) {
      status.className = 'muted';
      status.textContent = '';
      return;
    }
    try {
      const r = await api('/jql/validate', { method: 'POST', body: { jql: text }, signal });
      if (jqlInput.value.trim() !== text) return;
      if (r.valid) {
        status.className = 'ok';
        status.textContent = 'valid JQL' + (r.order_by && r.order_by.length ? ` (order by ${r.order_by.map((o) => (typeof o === 'string' ? o : `${o.field} ${o.direction || ''}`.trim())).join(', ')})` : '');
        jqlInput.removeAttribute('aria-invalid');
      } else {
        const e = r.error || {};
        status.className = 'error';
        status.textContent = `line ${e.line ?? '?'}, column ${e.column ?? '?'}: ${e.message || 'invalid JQL'}`;
        jqlInput.setAttribute('aria-invalid', 'true');
      }
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.className = 'error';
      status.textContent = e.message;
    }
  }, 300);
  jqlInput.addEventListener('input', validate);

  const paramBox = h('div', { id: 'template-params', class: 'params' });
  const templateSelect = h('select', { id: 'template', name: 'template' },
    h('option', { value: '' }, '— JQL above —'),
    templates.map((t) => h('option', { value: t.name, selected: t.name === template }, t.name)));
  const showParams = () => {
    const t = templates.find((x) => x.name === templateSelect.value);
    if (!t) {
      replace(paramBox);
      return;
    }
    replace(paramBox,
      h('p', { class: 'muted' }, t.description || '', ' ', h('code', {}, t.jql || '')),
      (t.params || []).map((p) => h('span', { class: 'param' },
        h('label', { for: 'param-' + p.name }, p.name),
        h('input', { id: 'param-' + p.name, name: 'param.' + p.name,
          value: params.get('param.' + p.name) ?? (p.default ?? ''), placeholder: p.kind || '', size: 12 }))));
  };
  templateSelect.addEventListener('change', showParams);
  showParams();

  const sourceSelect = h('select', { id: 'source', name: 'source' },
    ['cache', 'live', 'auto'].map((s) => h('option', { value: s, selected: s === source }, s)));

  const form = h('form', { id: 'search-form', class: 'search', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (templateSelect.value) {
      q.set('template', templateSelect.value);
      for (const input of paramBox.querySelectorAll('input')) if (input.value !== '') q.set(input.name, input.value);
    } else {
      q.set('jql', jqlInput.value.trim());
    }
    q.set('source', sourceSelect.value);
    q.set('t', Date.now());
    location.hash = '#/search?' + q.toString();
  } },
  h('label', { for: 'jql' }, 'JQL'), jqlInput, status,
  h('div', { class: 'row' },
    h('label', { for: 'template' }, 'Template'), templateSelect,
    h('label', { for: 'source' }, 'Source'), sourceSelect,
    h('button', { type: 'submit', id: 'search-go' }, 'Search')),
  paramBox);

  const results = h('div', { id: 'results' });
  replace(root, h('h2', {}, 'Search'), form, results);
  if (jql) validate();
  if (!jql && !template) return;

  const request = { source, limit: 50 };
  if (template) {
    request.template = template;
    for (const [name, value] of params) if (name.startsWith('param.')) request[name] = value;
  } else {
    request.jql = jql;
  }
  const tbody = h('tbody', {});
  const more = h('button', { type: 'button', id: 'load-more', hidden: true }, 'Load more');
  const summary = h('p', { id: 'results-summary', class: 'muted' });
  const refresh = h('button', { type: 'button', id: 'refresh-selected', onclick: async () => {
    const keys = [...tbody.querySelectorAll('input.pick:checked')].map((c) => c.value);
    if (!keys.length) {
      toast('Select tickets to refresh first.');
      return;
    }
    refresh.disabled = true;
    try {
      const r = await api('/refresh', { method: 'POST', body: { keys } });
      toast(`Refreshing ${keys.length} ticket(s)…`);
      await followRuns(r.runs || [], signal);
      toast('Refresh done.');
      location.hash = location.hash.replace(/&t=\d+|$/, '&t=' + Date.now());
    } catch (e) {
      if (e.name !== 'AbortError') toast(e.message);
    } finally {
      refresh.disabled = false;
    }
  } }, 'Refresh selected (admin)');
  const all = h('input', { type: 'checkbox', id: 'pick-all', 'aria-label': 'select all', onchange: (e) => {
    for (const c of tbody.querySelectorAll('input.pick')) c.checked = e.currentTarget.checked;
  } });
  replace(results, summary, h('p', {}, refresh),
    h('div', { class: 'table-wrap' }, h('table', { id: 'results-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all),
        ['Key', 'Summary', 'Status', 'Assignee', 'Source', 'Age'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody)), more);

  let shown = 0;
  const page = async (cursor) => {
    try {
      const data = await api('/issues' + query({ ...request, cursor }), { signal });
      const issues = data.issues || [];
      shown += issues.length;
      issues.forEach((i) => tbody.appendChild(resultRow(i)));
      summary.textContent = `${shown} issue(s) from ${data.source || source}${data.note ? ' — ' + data.note : ''}`;
      more.hidden = !data.next_cursor;
      more.onclick = () => page(data.next_cursor);
    } catch (e) {
      if (e.name !== 'AbortError') results.prepend(errorBox(e));
    }
  };
  await page(undefined);
}
