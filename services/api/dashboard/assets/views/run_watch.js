// Waits for runs started by a button (refresh, sync) to finish, following
// each one's event stream.
import { streamEvents } from '../api.js';

export async function followRuns(runs, signal, onProgress) {
  await Promise.all(runs.map((r) => {
    const id = r.run_id ?? r.id;
    if (id === undefined || id === null) return Promise.resolve();
    return streamEvents(`/runs/${encodeURIComponent(id)}/events`, (name, data) => {
      if (name === 'progress' && data && onProgress) onProgress(JSON.parse(data));
    }, signal);
  }));
}
