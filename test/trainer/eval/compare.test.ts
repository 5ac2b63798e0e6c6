// `solar compare`'s report, built from runs held in memory: grouping by config without the
// seed, the base model, deltas against the first trained group with their spread and the
// within-noise flag, curves averaged over seeds, the JSON contract round trip, and the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyDelta, CompareReport } from '../../../protocol/compareReport';
import type { EvalEvent, MetricEvent, RunStatus } from '../../../protocol/metrics';
import { RunConfig } from '../../../protocol/runConfig';
import type { RunContents } from '../../../protocol/runFolder';
import { BASE_LABEL, buildReport } from '../../../trainer/eval/compare';
import { curve, groupCurves } from '../../../trainer/eval/compareCurves';
import { formatComparison } from '../../../trainer/eval/compareText';

function evalAt(step: number, en: number, sw: number): EvalEvent {
  return { kind: 'eval', step, accuracy: { en, sw }, accuracyMean: (en + sw) / 2 };
}

function trainAt(step: number, loss: number, ce: Record<string, number>): MetricEvent {
  return { kind: 'train', step, time: '2025-01-01T00:00:00Z', loss, ce, align: {}, lr: 0.001, tokensPerSec: 1 };
}

function run(
  name: string,
  lambda: number,
  seed: number,
  events: MetricEvent[],
  state: RunStatus['state'] = 'completed',
  step = 10,
): RunContents {
  const config = RunConfig.parse({
    name,
    seed,
    steps: 10,
    objective: { lambda },
    data: { train: '/data/train.parallel.jsonl' },
    lowResource: ['sw'],
  });
  const status: RunStatus = {
    runId: `${name}-${seed}`,
    state,
    pid: 1,
    step,
    totalSteps: 10,
    startedAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
  return { dir: `/runs/${name}-${seed}`, config, status, events, problems: [] };
}

/** Two SOLAR seeds, two SFT seeds: en differs by far more than its spread, sw does not. */
function fourRuns(): RunContents[] {
  return [
    run('solar', 0.5, 0, [evalAt(0, 0.1, 0.0), trainAt(1, 3, { en: 2, sw: 4 }), evalAt(10, 0.6, 0.3)]),
    run('solar', 0.5, 1, [evalAt(0, 0.2, 0.0), trainAt(1, 5, { en: 2, sw: 6 }), evalAt(10, 0.62, 0.1)]),
    run('sft', 0, 0, [evalAt(0, 0.1, 0.0), trainAt(1, 2, { en: 1, sw: 3 }), evalAt(10, 0.3, 0.25)]),
    run('sft', 0, 1, [evalAt(0, 0.1, 0.0), trainAt(1, 4, { en: 3, sw: 5 }), evalAt(10, 0.32, 0.15)]),
  ];
}

test('accuracyDelta: spread combines both stds; within noise when it covers the delta; unknown for one seed', () => {
  const d = accuracyDelta({ mean: 0.5, std: 0.03, n: 3 }, { mean: 0.45, std: 0.04, n: 2 });
  assert.ok(Math.abs(d.delta - 0.05) < 1e-12);
  assert.ok(Math.abs(d.spread! - 0.05) < 1e-12, 'sqrt(0.03² + 0.04²)');
  assert.equal(d.withinNoise, true, '|0.05| <= 0.05');
  assert.equal(accuracyDelta({ mean: 0.3, std: 0.03, n: 3 }, { mean: 0.45, std: 0.04, n: 2 }).withinNoise, false);
  assert.equal(accuracyDelta({ mean: 0.44, std: 0.03, n: 3 }, { mean: 0.45, std: 0.04, n: 2 }).withinNoise, true);
  const single = accuracyDelta({ mean: 0.9, std: 0, n: 1 }, { mean: 0.1, std: 0.04, n: 2 });
  assert.deepEqual([single.spread, single.withinNoise], [null, null], 'one seed: never read as a difference');
});

test('runs group by config without the seed; the base model and deltas against the first group', () => {
  const report = buildReport(fourRuns());
  assert.deepEqual(
    report.groups.map((g) => [g.label, g.members.length, g.differences]),
    [
      ['solar', 2, ['λ 0.5']],
      ['sft', 2, ['λ 0']],
    ],
  );
  assert.equal(report.reference, 'solar');
  assert.equal(report.base?.label, BASE_LABEL);
  assert.ok(Math.abs(report.base!.accuracy.en.mean - 0.15) < 1e-12, "the first group's step-0 evals");
  assert.deepEqual(report.languages, ['en', 'sw', 'mean']);
  const solar = report.groups[0].accuracy;
  assert.ok(Math.abs(solar.en.mean - 0.61) < 1e-12);
  assert.ok(Math.abs(solar.en.std - Math.sqrt(0.0002)) < 1e-12, 'sample std of 0.60 and 0.62');

  assert.deepEqual(
    report.deltas.map((d) => d.label),
    [BASE_LABEL, 'sft'],
  );
  const sft = report.deltas[1].accuracy;
  assert.ok(Math.abs(sft.en.delta - (0.31 - 0.61)) < 1e-12);
  assert.equal(sft.en.withinNoise, false, '-30 points against a spread of ~2');
  // sw: SOLAR 0.2±0.141, SFT 0.2±0.071: a zero delta, inside the spread.
  assert.ok(Math.abs(sft.sw.delta) < 1e-12);
  assert.equal(sft.sw.withinNoise, true);
  assert.ok(Math.abs(sft.sw.spread! - Math.sqrt(0.02 + 0.005)) < 1e-9);
});

test('a single-seed group has deltas of unknown spread, and the text says ±?', () => {
  const runs = fourRuns().slice(0, 3);
  const report = buildReport(runs);
  assert.equal(report.deltas[1].accuracy.en.spread, null);
  assert.equal(report.deltas[1].accuracy.en.withinNoise, null);
  const text = formatComparison(report);
  assert.match(text, /solar \(n=2\)/);
  assert.match(text, /sft \(n=1\)/);
  assert.match(text, /delta vs solar/);
  assert.match(text, /^en +[-+\d.±]+ +- +-31\.0±\?$/m, 'base, reference (-), sft');
});

test('curves: mean ± std over seeds per step; a resumed step keeps its last value; bins stay spreads of seeds', () => {
  const report = buildReport(fourRuns());
  const { loss, ce, accuracy } = report.groups[0].curves;
  assert.deepEqual(loss, [{ step: 1, mean: 4, std: Math.SQRT2, n: 2 }]);
  assert.deepEqual(ce, [{ step: 1, mean: 3.5, std: Math.SQRT2 / 2, n: 2 }], 'CE is the mean over languages');
  assert.deepEqual(
    accuracy.map((p) => [p.step, p.n]),
    [
      [0, 2],
      [10, 2],
    ],
  );
  assert.equal(report.base!.curves.loss.length, 0);

  const a = new Map([
    [1, 1],
    [2, 3],
    [3, 5],
    [4, 7],
  ]);
  const b = new Map([
    [1, 3],
    [2, 5],
  ]); // stopped at step 2
  assert.deepEqual(curve([a, b]), [
    { step: 1, mean: 2, std: Math.SQRT2, n: 2 },
    { step: 2, mean: 4, std: Math.SQRT2, n: 2 },
    { step: 3, mean: 5, std: 0, n: 1 },
    { step: 4, mean: 7, std: 0, n: 1 },
  ]);
  // Two bins of two steps: each run averaged within the bin first (a: 2, 6; b: 4), then over runs.
  assert.deepEqual(curve([a, b], 2), [
    { step: 2, mean: 3, std: Math.SQRT2, n: 2 },
    { step: 4, mean: 6, std: 0, n: 1 },
  ]);
  const resumed = run('solar', 0.5, 0, [trainAt(1, 9, { en: 9 }), trainAt(2, 8, { en: 8 }), trainAt(2, 7, { en: 7 })]);
  assert.deepEqual(
    groupCurves([resumed]).loss.map((p) => p.mean),
    [9, 7],
  );
});

test('unfinished runs are marked, with the step their figures come from', () => {
  const runs = fourRuns();
  runs[3] = run('sft', 0, 1, [evalAt(0, 0.1, 0), evalAt(5, 0.2, 0.1)], 'stopped', 6);
  const report = buildReport(runs);
  const m = report.groups[1].members[1];
  assert.deepEqual([m.unfinished, m.state, m.step, m.evalStep], [true, 'stopped', 6, 5]);
  assert.equal(report.groups[0].members[0].unfinished, false);
  assert.match(formatComparison(report), /unfinished runs[^\n]*\n {2}sft-1: stopped at step 6\/10, evaluated at 5/);
});

test('the report is the CompareReport contract: JSON round trip, and malformed reports are refused', () => {
  const report = buildReport(fourRuns());
  const back = CompareReport.parse(JSON.parse(JSON.stringify(report)));
  assert.deepEqual(back, report);
  const bad: unknown[] = [
    { ...report, groups: [] },
    { ...report, deltas: [{ label: 'sft', accuracy: { en: { delta: 0.1, spread: 0.2 } } }] },
    { ...report, base: { ...report.base, accuracy: { en: { mean: 0.1, std: -1, n: 2 } } } },
    { ...report, groups: [{ ...report.groups[0], curves: { loss: [], ce: [] } }] },
  ];
  for (const b of bad) assert.equal(CompareReport.safeParse(b).success, false);
});
