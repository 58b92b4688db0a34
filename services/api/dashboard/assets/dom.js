// Building the page: every piece of data goes in as text (textContent or
// attribute values), never as HTML, so a ticket cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function fmtTime(ms) {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const neg = ms < 0;
  let s = Math.round(Math.abs(ms) / 1000);
  let out;
  if (s < 60) out = s + 's';
  else if (s < 3600) out = Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  else if (s < 86400) out = Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  else out = Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  return neg ? '-' + out : out;
}

// History says "inserted"; the feed says "new".
const BADGE_NAMES = { inserted: 'new' };

export function badge(kind) {
  if (!kind) return null;
  const name = BADGE_NAMES[kind] || kind;
  return h('span', { class: 'badge badge-' + name.replace(/[^a-z_-]/g, '') }, name);
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err && err.message ? err.message : String(err));
}

export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('shown'), 4000);
}

// A table that scrolls inside its own box on narrow screens.
export function table(headings, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs,
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

export function progress(run) {
  const total = run.expected_total || 0;
  const done = run.applied || 0;
  const attrs = { class: 'bar', max: total > 0 ? total : 1, 'aria-label': `run ${run.id} progress` };
  if (total > 0) attrs.value = Math.min(done, total);
  else if (isFinished(run)) attrs.value = 1;
  const bar = h('progress', attrs);
  const label = h('span', { class: 'bar-label' }, total > 0 ? `${done} / ${total}` : `${done}`);
  return h('span', { class: 'progress', dataset: { run: run.id, applied: done } }, bar, label);
}

export function isFinished(run) {
  return run.status === 'success' || run.status === 'failed';
}

export function statusChip(status) {
  return h('span', { class: 'status status-' + String(status || '').replace(/[^a-z_]/g, '') }, status || '—');
}
