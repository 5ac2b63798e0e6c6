// The Runs view's title buttons: Sort Runs… (newest first, name, best accuracy) and Filter
// Runs… (tick states, type words; one quick pick for both), applied to the tree, which
// keeps them in workspaceState.
import * as vscode from 'vscode';
import { RUN_STATES, type RunState } from '../protocol/metrics';
import type { RunStore } from './runStore';
import { DEFAULT_RUNS_VIEW, normaliseStates, RUN_SORTS, type RunSort, SORT_LABELS } from './runsOrder';
import type { RunsTree } from './runsTree';

const SORT_DETAILS: Record<RunSort, string> = {
  newest: 'by start time',
  name: 'alphabetical; runs of one name newest first',
  accuracy: 'best mean eval accuracy first; runs not evaluated yet last',
};

export async function pickRunsSort(tree: RunsTree): Promise<void> {
  const current = tree.viewState.sort;
  const pick = await vscode.window.showQuickPick(
    RUN_SORTS.map((sort) => ({
      label: `${sort === current ? '$(check)' : '$(blank)'} ${SORT_LABELS[sort]}`,
      description: SORT_DETAILS[sort],
      sort,
    })),
    { title: 'SOLAR: Sort Runs', placeHolder: `Sorted: ${SORT_LABELS[current]}` },
  );
  if (pick) await tree.setViewState({ sort: pick.sort });
}

/**
 * Tick the states to show and type words to look for (in a run's name, id, state, key
 * config and message). The state items always show (`alwaysShow`), so typing does not
 * filter them away: the typed text is the word filter. No tick and no text: no filter.
 */
export function pickRunsFilter(tree: RunsTree, store: RunStore): Promise<void> {
  type Item = vscode.QuickPickItem & { state: RunState };
  const counts = new Map<RunState, number>();
  for (const r of store.all) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const current = tree.viewState;
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'SOLAR: Filter Runs';
  qp.placeholder = 'Words to look for (name, config such as "λ 0" or "small", message); tick the states to show';
  qp.canSelectMany = true;
  qp.matchOnDescription = false;
  qp.items = RUN_STATES.map((state) => ({
    label: state,
    description: `${counts.get(state) ?? 0} run${counts.get(state) === 1 ? '' : 's'}`,
    alwaysShow: true,
    state,
  }));
  qp.selectedItems = qp.items.filter((i) => current.states.includes(i.state));
  qp.value = current.text;
  const clear: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clear-all'), tooltip: 'Clear Filter' };
  qp.buttons = [clear];
  return new Promise((resolve) => {
    let done = false;
    const finish = async (apply?: Pick<typeof current, 'states' | 'text'>) => {
      if (done) return;
      done = true;
      qp.hide();
      if (apply) await tree.setViewState(apply);
      resolve();
    };
    qp.onDidAccept(
      () => void finish({ states: normaliseStates(qp.selectedItems.map((i) => i.state)), text: qp.value.trim() }),
    );
    qp.onDidTriggerButton(() => void finish({ states: DEFAULT_RUNS_VIEW.states, text: DEFAULT_RUNS_VIEW.text }));
    qp.onDidHide(() => {
      qp.dispose();
      void finish();
    });
    qp.show();
  });
}
