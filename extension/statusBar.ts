// One status-bar item for the active run: step / total, loss and ETA. Clicking it opens
// the metrics. Long training shows its progress here, not in a notification that would
// stay up for an hour.
import * as vscode from 'vscode';
import { formatDuration } from '../protocol/format';
import { Disposable } from './disposable';
import type { RunStore } from './runStore';

export class RunStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('solar.activeRun', vscode.StatusBarAlignment.Left, 50),
  );

  constructor(private readonly store: RunStore) {
    super();
    this.item.name = 'SOLAR Run';
    this.register(store.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const r = this.store.active;
    if (!r) {
      this.item.hide();
      return;
    }
    const progress = r.totalSteps ? `${r.step}/${r.totalSteps}` : 'starting';
    const loss = r.loss !== undefined ? ` · loss ${r.loss.toFixed(3)}` : '';
    const eta = r.state === 'running' && r.etaSec !== undefined ? ` · ETA ${formatDuration(r.etaSec)}` : '';
    this.item.text = `$(sync~spin) ${r.name} ${progress}${loss}${eta}`;
    this.item.tooltip = `SOLAR run ${r.id} (${r.state}${r.backend ? `, ${r.backend}` : ''}) — click to open its metrics`;
    this.item.command = { command: 'solar.openMetrics', title: 'Open Metrics', arguments: [r.dir] };
    this.item.show();
  }
}
