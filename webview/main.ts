// Browser entry point of every SOLAR webview (one bundle, dist/webview.js): the page
// root's data-view picks the view, `metrics` (the sidebar), `panel` (a run's Metrics
// panel), `compare` (Compare Runs) or `dataset` (the parallel dataset grid). Each view listens first, then the page says
// `ready`, so the host never posts into a page that is not listening yet.
import { startCompareView } from './compare/compareView';
import { startDatasetView } from './dataset/datasetView';
import { startPanelView } from './panel/panelView';
import { startSidebarView } from './sidebarView';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi();
const root = document.getElementById('root')!;
if (root.dataset.view === 'panel') startPanelView(root, vscode);
else if (root.dataset.view === 'compare') startCompareView(root, vscode);
else if (root.dataset.view === 'dataset') startDatasetView(root, vscode);
else startSidebarView(root, vscode);
vscode.postMessage({ type: 'ready' });
