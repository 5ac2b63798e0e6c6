// The sidecar `solar data score` writes (protocol/datasetScores.ts): built from the figures
// of trainer/data/score.ts and the dataset's text (each item's line and hash), and, for
// `--changed-only`, which items an earlier sidecar already scored as they are now, so only
// new and edited items run through the model again.
import * as fs from 'node:fs';
import type { ParallelItem } from '../../protocol/dataset';
import { type DatasetScores, SCORES_VERSION } from '../../protocol/datasetScores';
import { contentHash, itemHash, readScores } from '../../protocol/datasetScoresFile';
import type { ItemFigures } from './score';

/** What a sidecar says about how it was scored: scores are reusable only when all of it matches. */
export type ScoresHeader = Pick<DatasetScores, 'run' | 'pivot' | 'languages' | 'settings'>;

/** Per item (in file order), its 1-based line and the hash of that line. */
export function itemLines(text: string): { line: number; hash: string }[] {
  // Item k is the k-th non-blank line: the loader refuses a file with any other line.
  return text.split('\n').flatMap((l, i) => (l.trim() ? [{ line: i + 1, hash: itemHash(l) }] : []));
}

/**
 * The figures of an earlier sidecar at `file` that still hold, keyed by item id: same
 * checkpoint, settings, pivot and languages, and the item's line unchanged (its hash).
 * An empty map when there is no such sidecar, or it was scored otherwise (said in `why`).
 */
export function reusableScores(
  file: string,
  header: ScoresHeader,
  lines: { hash: string }[],
  items: ParallelItem[],
): { reuse: Map<string, ItemFigures>; why?: string } {
  if (!fs.existsSync(file)) return { reuse: new Map(), why: `no earlier scores at ${file}` };
  const prev = readScores(file);
  const same =
    prev.run.checkpoint === header.run.checkpoint &&
    prev.pivot === header.pivot &&
    JSON.stringify(prev.languages) === JSON.stringify(header.languages) &&
    JSON.stringify(prev.settings) === JSON.stringify(header.settings);
  if (!same) return { reuse: new Map(), why: `${file} was scored with another checkpoint or settings` };
  const byId = new Map(prev.items.map((it) => [it.id, it]));
  const reuse = new Map<string, ItemFigures>();
  items.forEach((it, k) => {
    const old = byId.get(it.id);
    if (old && old.hash === lines[k].hash) reuse.set(it.id, old.langs);
  });
  return { reuse };
}

export function buildScores(
  header: ScoresHeader,
  file: string,
  text: string,
  items: ParallelItem[],
  figures: ItemFigures[],
  now = new Date(),
): DatasetScores {
  const lines = itemLines(text);
  return {
    kind: 'datasetScores',
    version: SCORES_VERSION,
    data: { file, hash: contentHash(text), items: items.length },
    ...header,
    scoredAt: now.toISOString(),
    items: items.map((it, k) => ({ id: it.id, line: lines[k].line, hash: lines[k].hash, langs: figures[k] })),
  };
}
