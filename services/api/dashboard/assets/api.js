// The /api/v1 client: the key typed once is kept in sessionStorage (gone
// with the tab) and sent as a Bearer header on every call.
const KEY_ITEM = 'jirasync.key';

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

export class ApiError extends Error {
  constructor(status, code, message, parameter) {
    super(message);
    this.status = status;
    this.code = code;
    this.parameter = parameter;
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const key = apiKey();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

// Calls the API and returns its JSON; throws ApiError with the server's
// message (or the network failure) so views can show it in the page.
export async function api(path, { method = 'GET', body, signal } = {}) {
  if (!apiKey()) throw new ApiError(0, 'no_key', 'Enter an API key above to load data.');
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server did not answer: ' + e.message);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(response.status, err.code || 'http_' + response.status,
      err.message || `${method} ${path} answered ${response.status}`, err.parameter);
  }
  return data || {};
}

// Query string from an object, skipping empty values; arrays repeat the name.
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => q.append(name, v));
    else q.append(name, String(value));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// Reads a Server-Sent Events stream with fetch() (EventSource cannot send the
// Authorization header). Calls onEvent(name, data) for every event; resolves
// when the stream ends or `signal` aborts.
export async function streamEvents(path, onEvent, signal) {
  const response = await fetch('/api/v1' + path, {
    headers: headers({ Accept: 'text/event-stream' }),
    signal,
  });
  if (!response.ok || !response.body) {
    throw new ApiError(response.status, 'http_' + response.status, `events answered ${response.status}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length) onEvent(name, data.join('\n'));
        else if (name !== 'message') onEvent(name, '');
        name = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        // comment (keep-alive)
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let v = colon < 0 ? '' : line.slice(colon + 1);
        if (v.startsWith(' ')) v = v.slice(1);
        if (field === 'event') name = v;
        else if (field === 'data') data.push(v);
      }
    }
  }
}
