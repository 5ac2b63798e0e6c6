// The groups of a comparison, as the charts' legend: a toggle per group (its colour, label
// and the config fields that set it apart) and its runs, each with its seed and state, a
// mark on runs that did not finish (their figures come from an earlier step), and a link
// to the run's Metrics panel.
import type { CompareGroup, CompareMember } from '../../protocol/compareReport';
import { h, svg } from '../dom';

export interface GroupListHandlers {
  toggle(label: string): void;
  openMetrics(runDir: string): void;
}

function memberItem(m: CompareMember, open: (dir: string) => void): HTMLLIElement {
  const li = h('li', undefined, m.unfinished ? 'member unfinished' : 'member');
  const link = h('button', m.id, 'link', { title: `Open the metrics of ${m.id}` });
  link.addEventListener('click', () => open(m.dir));
  li.append(link, h('span', ` seed ${m.seed} `, 'muted'), h('span', m.state ?? 'no status', `state state-${m.state}`));
  if (m.unfinished) {
    const at = m.evalStep === null ? 'no evaluation' : `figures from step ${m.evalStep}`;
    li.append(h('span', `unfinished: step ${m.step}/${m.totalSteps}, ${at}`, 'unfinished-mark'));
  }
  return li;
}

export function groupList(
  groups: readonly CompareGroup[],
  colours: ReadonlyMap<string, string>,
  hidden: readonly string[],
  on: GroupListHandlers,
): HTMLElement {
  const list = h('div', undefined, 'group-list');
  for (const g of groups) {
    const item = h('div', undefined, 'group');
    const toggle = h('button', undefined, 'legend-item', {
      'data-key': g.label,
      'aria-pressed': String(!hidden.includes(g.label)),
      title: 'Show or hide this group in the charts',
    });
    const swatch = svg('svg', { class: 'swatch', viewBox: '0 0 16 4', width: 16, height: 4 });
    swatch.append(svg('line', { x1: 0, y1: 2, x2: 16, y2: 2, stroke: colours.get(g.label) ?? 'currentColor' }));
    toggle.append(swatch, ` ${g.label}`);
    if (g.differences.length) toggle.append(h('span', ` ${g.differences.join(' · ')}`, 'muted'));
    toggle.addEventListener('click', () => on.toggle(g.label));
    const members = h('ul', undefined, 'members');
    members.append(...g.members.map((m) => memberItem(m, on.openMetrics)));
    item.append(toggle, members);
    list.append(item);
  }
  return list;
}
