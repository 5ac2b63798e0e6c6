// Shared pieces of the benchmark importers: reading files, locating JSON
// records by line, checked field access, and the index join that turns one
// row list per language into ParallelItems.

import * as path from 'node:path';
import { type LanguageEntry, ParallelItem } from '../../../protocol/dataset';
import { InputError, parseWith } from '../../../protocol/errors';
import { normaliseNumber } from '../../eval/extractAnswer';
import { jsonFieldAt, readUtf8File, type Utf8Fault } from '../utf8';
import type { FileLanguages } from './languages';

export type BenchmarkFormat = 'mgsm' | 'msvamp' | 'xcopa' | 'xnli';

/** One benchmark row, parsed, in one language. */
export interface ParsedRow {
  /** 1-based line in the source file, for error messages. */
  line: number;
  answer: string;
  entry: LanguageEntry;
  /** The benchmark's own item id when it has one (XCOPA idx, XNLI pairID): checked to agree across languages. */
  sourceId?: string;
}

/** All rows of one language, in item order. */
export interface LanguageRows {
  lang: string;
  file: string;
  rows: ParsedRow[];
}

/** What an importer is given besides its files. */
export interface ImportContext {
  /** Whether rows of this language are wanted (`--languages`); others are skipped. */
  want: (lang: string) => boolean;
  /** The language of each file whose content does not say it. */
  languages: FileLanguages;
}

/**
 * A file's text, read as strict UTF-8 (an invalid byte is an error naming its line and,
 * via `fieldAt`, its field) without a byte-order mark; empty or unreadable files are input errors.
 */
export function readText(file: string, fieldAt?: (fault: Utf8Fault) => string | undefined): string {
  const text = readUtf8File(file, 'a readable file', fieldAt).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new InputError({ file }, 'a non-empty file (this one has no rows)');
  return text;
}

/** Non-blank lines with their 1-based line numbers; handles CRLF. */
export function textLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.replace(/\r$/, '') }))
    .filter((l) => l.text.trim() !== '');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** Start line of each top-level element of a JSON array (the text must already parse). */
function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/**
 * Records of a JSON file that is either one array of objects or JSON Lines
 * (one object per line); each record keeps the line it starts on.
 */
export function readJsonRecords(file: string): { line: number; value: unknown }[] {
  const text = readText(file, jsonFieldAt);
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const pos = /position (\d+)/.exec(String(e));
      throw new InputError(
        { file, line: pos ? lineAt(text, Number(pos[1])) : undefined },
        `valid JSON (${(e as Error).message})`,
      );
    }
    if (!Array.isArray(parsed)) throw new InputError({ file }, 'a JSON array of objects');
    if (parsed.length === 0) throw new InputError({ file }, 'a non-empty file (the array has no rows)');
    const lines = arrayElementLines(text);
    return parsed.map((value: unknown, i) => ({ line: lines[i] ?? 1, value }));
  }
  return textLines(text).map(({ line, text: t }) => {
    try {
      return { line, value: JSON.parse(t) as unknown };
    } catch (e) {
      throw new InputError({ file, line }, `one JSON object per line (${(e as Error).message})`);
    }
  });
}

/** Checked access to one record's fields, with the record's location in every error. */
export class Fields {
  private readonly obj: Record<string, unknown>;
  constructor(
    value: unknown,
    readonly file: string,
    readonly line: number,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError({ file, line }, 'a JSON object');
    }
    this.obj = value as Record<string, unknown>;
  }

  /** First of `names` that is present, so aliases ("premise" | "sentence1") work. */
  private pick(names: readonly string[]): { name: string; value: unknown } {
    const name = names.find((n) => this.obj[n] !== undefined);
    if (name === undefined)
      throw new InputError(
        { file: this.file, line: this.line, field: names[0] },
        `a field ${names.map((n) => `"${n}"`).join(' or ')}`,
      );
    return { name, value: this.obj[name] };
  }

  has(name: string): boolean {
    return this.obj[name] !== undefined;
  }

  text(...names: string[]): string {
    const { name, value } = this.pick(names);
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InputError({ file: this.file, line: this.line, field: name }, 'a non-empty string');
    }
    return value;
  }

  /** A number or numeric string, normalised ("1,000.0" -> "1000"). */
  number(...names: string[]): string {
    const { name, value } = this.pick(names);
    const n =
      typeof value === 'number' && Number.isFinite(value)
        ? (normaliseNumber(String(value)) ?? String(value)) // String(1e21) is "1e+21": keep it rather than fail
        : typeof value === 'string'
          ? normaliseNumber(value)
          : null;
    if (n === null)
      throw new InputError(
        { file: this.file, line: this.line, field: name },
        `a number (got ${JSON.stringify(value)})`,
      );
    return n;
  }

  /** Raw value as a string id (numbers and strings alike). */
  id(name: string): string | undefined {
    const v = this.obj[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }

  raw(name: string): unknown {
    return this.pick([name]).value;
  }
}

function describe(rows: LanguageRows): string {
  return `${path.basename(rows.file)} (language "${rows.lang}")`;
}

/**
 * Join per-language rows by index into ParallelItems with ids
 * `<format>-0001`.... Every language must have the same number of rows, and
 * the answer (and source id, when present) of item k must agree across
 * languages, because a ParallelItem carries one gold answer.
 */
export function joinByIndex(format: BenchmarkFormat, sets: readonly LanguageRows[]): ParallelItem[] {
  const seen = new Map<string, LanguageRows>();
  for (const set of sets) {
    const prev = seen.get(set.lang);
    if (prev)
      throw new InputError({ file: set.file }, `one file per language, but "${set.lang}" also comes from ${prev.file}`);
    seen.set(set.lang, set);
  }
  const [first] = sets;
  if (!first) return [];
  for (const set of sets) {
    if (set.rows.length !== first.rows.length) {
      throw new InputError(
        { file: set.file },
        `the same number of items in every language: ${describe(set)} has ${set.rows.length} items but ${describe(first)} has ${first.rows.length}`,
      );
    }
  }
  const width = Math.max(4, String(first.rows.length).length);
  return first.rows.map((ref, k) => {
    const langs: Record<string, LanguageEntry> = {};
    for (const set of sets) {
      const row = set.rows[k];
      if (row.answer !== ref.answer) {
        throw new InputError(
          { file: set.file, line: row.line, field: 'answer' },
          `the same answer as ${path.basename(first.file)}:${ref.line} for item ${k + 1} ("${ref.answer}"), got "${row.answer}"`,
        );
      }
      if (row.sourceId !== undefined && ref.sourceId !== undefined && row.sourceId !== ref.sourceId) {
        throw new InputError(
          { file: set.file, line: row.line, field: 'id' },
          `items in the same order in every language: item ${k + 1} has id "${row.sourceId}" but ${path.basename(first.file)}:${ref.line} has "${ref.sourceId}"`,
        );
      }
      langs[set.lang] = row.entry;
    }
    const item = { id: `${format}-${String(k + 1).padStart(width, '0')}`, answer: ref.answer, langs };
    // Fields were checked row by row already; this guards against the schema moving on.
    return parseWith(ParallelItem, item, first.file, ref.line);
  });
}
