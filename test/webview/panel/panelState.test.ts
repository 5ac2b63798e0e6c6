// The panel's saved state: whatever getState returns is read field by field, with defaults
// for what is missing or of the wrong shape, and the host's and the Generations card's parts kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadState, toggleHidden } from '../../../webview/panel/panelState';

const DEFAULTS = {
  hidden: [],
  lossMetric: 'loss+ce',
  smoothing: 0.6,
  log: false,
  zoom: null,
  accuracyStep: null,
  alignmentView: 'similarity',
  heatmapStep: null,
};

test('nothing saved, or not an object: the defaults', () => {
  for (const raw of [undefined, null, 'x', 42]) assert.deepEqual(loadState(raw), DEFAULTS);
});

test('a saved state comes back, the parts others keep included', () => {
  const saved = {
    hidden: ['ce:sw', 'acc:te'],
    lossMetric: 'align',
    smoothing: 0.3,
    log: true,
    zoom: [20, 40],
    accuracyStep: 20,
    alignmentView: 'layers',
    heatmapStep: 0,
    runDir: '/runs/demo',
    generations: { file: null, filter: 'wrong' },
  };
  assert.deepEqual(loadState(JSON.parse(JSON.stringify(saved))), saved);
});

test('wrong shapes fall back field by field', () => {
  const s = loadState({
    hidden: ['ok', 3],
    lossMetric: 'accuracy',
    smoothing: 1,
    log: 'yes',
    zoom: [40, 20],
    accuracyStep: -1,
    alignmentView: 'matrix',
    heatmapStep: 2.5,
    runDir: 7,
  });
  assert.deepEqual(s, { ...DEFAULTS, hidden: ['ok'] });
});

test('toggleHidden switches a key off and on', () => {
  const s = loadState(undefined);
  toggleHidden(s, 'ce:sw');
  toggleHidden(s, 'ce:te');
  assert.deepEqual(s.hidden, ['ce:sw', 'ce:te']);
  toggleHidden(s, 'ce:sw');
  assert.deepEqual(s.hidden, ['ce:te']);
});
