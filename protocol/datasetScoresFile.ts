// The scores sidecar on disk (protocol/datasetScores.ts is its schema): where it lives, the
// hashes that tell whether it still describes the dataset, reading it back validated, and
// writing it atomically. The trainer (`solar data score`) writes it; the extension reads it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DatasetScores } from './datasetScores';
import { fromZodError, InputError } from './errors';
import { writeFileAtomic } from './runFolder';

/** `<dataset>.scores.json`, next to the dataset. */
export function sidecarPath(datasetFile: string): string {
  return `${datasetFile}.scores.json`;
}

/** sha256 of a whole dataset's text (as decoded, without a BOM), hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of one item's line: its text without the whitespace around it (a CR of a CRLF
 * file, which an editor's line text never includes), 16 hex digits of sha256.
 */
export function itemHash(lineText: string): string {
  return createHash('sha256').update(lineText.trim(), 'utf8').digest('hex').slice(0, 16);
}

/** The sidecar as text: the header indented, then one item per line (readable, and diffs by item). */
export function formatScores(scores: DatasetScores): string {
  const { items, ...head } = DatasetScores.parse(scores);
  const header = JSON.stringify(head, null, 2);
  const body = items.map((it) => `    ${JSON.stringify(it)}`).join(',\n');
  return `${header.slice(0, -2)},\n  "items": [${items.length ? `\n${body}\n  ` : ''}]\n}\n`;
}

/** Items of `text` (non-blank lines) whose line is not one the scores were computed for: new or edited since. */
export function unscoredItems(scores: DatasetScores, text: string): number {
  const scored = new Set(scores.items.map((it) => it.hash));
  return text.split('\n').filter((l) => l.trim() !== '' && !scored.has(itemHash(l))).length;
}

/** Written to a temporary file and renamed: a reader sees the old sidecar or the new one, never half of one. */
export function writeScores(file: string, scores: DatasetScores): void {
  writeFileAtomic(file, formatScores(scores));
}

/** A validated sidecar; an InputError naming the file when it is unreadable or of another shape. */
export function readScores(file: string): DatasetScores {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError({ file }, `a scores file written by solar data score (${code ?? (e as Error).message})`);
  }
  const r = DatasetScores.safeParse(raw);
  if (!r.success) throw fromZodError(r.error, file);
  return r.data;
}
