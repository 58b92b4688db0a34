// The dashboard: hash routes (#/search, #/issue/KEY, ...) pick a view; each
// view renders into <main> and stops its timers and streams when the route
// changes (its AbortSignal fires).
import { apiKey, setApiKey } from './api.js';
import { h, replace, errorBox } from './dom.js';
import * as projects from './views/projects.js';
import * as runs from './views/runs.js';
import * as changes from './views/changes.js';
import * as search from './views/search.js';
import * as issue from './views/issue.js';
import * as conflicts from './views/conflicts.js';
import * as lag from './views/lag.js';

const ROUTES = { projects, runs, changes, search, issue, conflicts, lag };

let current = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || 'projects', args: parts.slice(1), params };
}

function markNav(name) {
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.getAttribute('href') === '#/' + name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function show() {
  if (current) current.abort();
  current = new AbortController();
  const route = parseHash();
  const view = ROUTES[route.name];
  const main = document.getElementById('view');
  markNav(route.name);
  if (!view) {
    replace(main, h('h2', {}, 'Not found'), h('p', {}, 'No such page: ', route.name));
    return;
  }
  if (!apiKey()) {
    replace(main, h('h2', {}, 'API key needed'),
      h('p', {}, 'Paste an API key (from ', h('code', {}, 'jirasync apikey create NAME --scope read|admin'),
        ') into the field above. It is kept for this tab only.'));
    return;
  }
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await view.render(main, { args: route.args, params: route.params, signal: current.signal });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    replace(main, errorBox(e));
  }
}

function setupKeyForm() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const state = document.getElementById('key-state');
  const refreshState = () => {
    state.textContent = apiKey() ? 'key set for this tab' : 'no key';
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    setApiKey(key);
    input.value = '';
    refreshState();
    show();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    setApiKey('');
    refreshState();
    show();
  });
  refreshState();
}

window.addEventListener('hashchange', show);
window.addEventListener('unhandledrejection', (e) => {
  // Aborted fetches of a view left behind are expected, not failures.
  if (e.reason && e.reason.name === 'AbortError') e.preventDefault();
});
setupKeyForm();
show();
