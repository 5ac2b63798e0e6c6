// A saved evaluation (evals/<data>-step-NNNNNN.json) in the shape `solar eval` writes, for
// the Generations tests: `n` arithmetic items in en (the pivot), sw, te and zh with
// prompts, generations, extracted answers and right/wrong marks that follow fixed rules,
// so a test can count what a filter must keep (first rule that applies wins):
//   te skipped (too long) on every 10th item (i % 10 === 0);
//   zh missing (null) on every 4th item (i % 4 === 0);
//   every language wrong with the same answer (gold + 2) on every 5th item: wrong, but no
//   language disagrees with the pivot;
//   sw wrong on every 3rd item (gold + 1): disagrees with the pivot;
//   zh with no answer found on every 7th item: wrong, disagrees;
//   else right.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalOutput, EvalReport } from '../../protocol/evalReport';
import { runFile } from '../../protocol/runFolder';

export const EVAL_LANGS = ['en', 'sw', 'te', 'zh'];

function output(lang: string, i: number): EvalOutput | null {
  const id = `q${i + 1}`;
  const gold = i * 2 + 3;
  const prompt = `[${lang}] Item ${i + 1}: what is ${i} + ${i + 3}?\nShow your work.`;
  const says = (answer: number, correct: boolean): EvalOutput => ({
    id,
    prompt,
    text: `${i} + ${i + 3} = ${answer}. The answer is ${answer}.`,
    answer: String(answer),
    correct,
  });
  if (lang === 'te' && i % 10 === 0) return { id, skipped: 'tooLong' };
  if (lang === 'zh' && i % 4 === 0) return null;
  if (i % 5 === 0) return says(gold + 2, false);
  if (lang === 'sw' && i % 3 === 0) return says(gold + 1, false);
  if (lang === 'zh' && i % 7 === 0) return { id, prompt, text: '我不知道', answer: null, correct: false };
  return says(gold, true);
}

/** The item indices each filter keeps with all four languages shown (pivot en), over 0..n-1. */
export function expectedItems(n: number) {
  const range = [...Array(n).keys()];
  const zhNone = (i: number) => i % 4 !== 0 && i % 7 === 0;
  return {
    wrong: range.filter((i) => i % 5 === 0 || i % 3 === 0 || zhNone(i)),
    disagree: range.filter((i) => i % 5 !== 0 && (i % 3 === 0 || zhNone(i))),
    /** With only en and te shown: te agrees with en wherever it is scored. */
    disagreeEnTe: [] as number[],
  };
}

export function evalReport(n: number, step = 150): EvalReport {
  const outputs = Object.fromEntries(EVAL_LANGS.map((l) => [l, [...Array(n).keys()].map((i) => output(l, i))]));
  const accuracy: Record<string, number> = {};
  const scored: Record<string, number> = {};
  for (const l of EVAL_LANGS) {
    const s = outputs[l].filter((o) => o?.text !== undefined);
    scored[l] = s.length;
    accuracy[l] = Number((s.filter((o) => o?.correct).length / s.length).toFixed(4));
  }
  return {
    kind: 'eval',
    step,
    time: '2025-01-01T00:10:00.000Z',
    accuracy,
    scored,
    accuracyMean: Number((Object.values(accuracy).reduce((a, b) => a + b, 0) / EVAL_LANGS.length).toFixed(4)),
    items: n,
    data: '/data/arith.parallel.jsonl',
    checkpoint: `/runs/demo/checkpoints/step-${String(step).padStart(6, '0')}`,
    notEvaluated: { yo: 'not in --languages' },
    gold: [...Array(n).keys()].map((i) => String(i * 2 + 3)),
    outputs,
  };
}

/** Write `report` (or any JSON, for malformed files) as evals/<name> of `runDir`; the file's path. */
export function writeEvalFile(runDir: string, name: string, report: unknown): string {
  const dir = runFile(runDir, 'evals');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report, null, 2));
  return file;
}
