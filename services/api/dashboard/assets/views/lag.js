// Consumer lag per group, topic and partition.
import { api } from '../api.js';
import { h, replace, table } from '../dom.js';

export async function render(root, { signal }) {
  const load = async () => {
    const data = await api('/lag', { signal });
    const groups = data.groups || [];
    const total = groups.reduce((n, g) => n + (Number(g.lag) || 0), 0);
    replace(root,
      h('h2', {}, 'Consumer lag'),
      data.note ? h('p', { class: 'muted' }, data.note) : null,
      h('p', {}, `Total lag: ${total}`),
      groups.length ? table(['Group', 'Topic', 'Partition', 'Committed', 'High watermark', 'Lag'], groups.map((g) => h('tr', {},
        h('td', {}, g.group), h('td', {}, g.topic), h('td', { class: 'num' }, String(g.partition)),
        h('td', { class: 'num' }, String(g.committed ?? '—')), h('td', { class: 'num' }, String(g.high_watermark ?? '—')),
        h('td', { class: 'num' + (g.lag > 0 ? ' warn' : '') }, String(g.lag ?? '—')))), { id: 'lag' })
        : h('p', { class: 'muted' }, 'No consumer groups.'));
  };
  await load();
  const timer = setInterval(() => load().catch(() => {}), 5000);
  signal.addEventListener('abort', () => clearInterval(timer));
}
