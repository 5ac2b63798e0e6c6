// Deterministic synthetic MGSM-style parallel data: small arithmetic word
// problems with a short step-by-step response, rendered in many languages.
//
// Each item is decided once (template, name index, numbers) from the seed and
// its index alone, then rendered in every language from that decision. So the
// languages of one item always share the same numbers and story, and item i is
// the same problem whatever `languages` or `coverage` say: only which
// languages it carries changes.

import { ParallelItem } from '../../../protocol/dataset';
import { mulberry32 } from '../../numeric/rng';
import type { Numbers, TemplateId } from './languages';
import { LANGUAGE_SPECS, LANGUAGES_BY_CODE, NAME_COUNT, TEMPLATE_IDS } from './languages';

export interface GenerateOptions {
  /** Number of items. */
  count: number;
  /** Deterministic: same options -> identical output. */
  seed: number;
  /** Which languages to include (must be known; unknown ones throw). */
  languages: string[];
  /** Default 'en'; always included in every item. */
  pivot?: string;
  /** Fraction (0..1] of items that include that language; default 1. Pivot always 1. */
  coverage?: Record<string, number>;
  /** Default 'syn'; ids like syn-000001. */
  idPrefix?: string;
  /** Largest number that appears in a prompt; default 20, at least 4. */
  maxOperand?: number;
  /** Default true; false -> eval-style items without `response`. */
  withResponses?: boolean;
  /**
   * Fraction (0..1] of a language's items whose response is the pivot's response
   * (the prompt stays in the language): a low-resource prompt answered in English
   * gives the alignment loss a target the model can already reach. Default 0.
   */
  pivotResponse?: Record<string, number>;
}

export const GENERATOR_LANGUAGES: readonly string[] = Object.freeze(LANGUAGE_SPECS.map((s) => s.code));

export const LOW_RESOURCE_LANGUAGES: readonly string[] = Object.freeze(['sw', 'bn', 'te', 'th', 'yo']);

// ---------------------------------------------------------------------------
// PRNG. Self-contained so the output never depends on another module's RNG
// (or on Math.random): a seed written in a config must reproduce the file.

/** splitmix32 finaliser: a well-mixed 32-bit hash of a 32-bit input. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a short string (a language code) so it can salt a stream. */
function hashString(s: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * An independent stream per (seed, item, purpose). Separate streams keep the
 * item content fixed when coverage or the language list changes, and keep one
 * language's coverage draws independent of which other languages are asked for.
 */
function stream(seed: number, index: number, salt: number): () => number {
  return mulberry32(mix32(mix32(mix32(seed >>> 0) ^ index) ^ salt));
}

/** Uniform integer in [lo, hi] (inclusive). */
function intIn(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

// ---------------------------------------------------------------------------
// Numbers. Every operand shown is in [2, maxOperand]: starting at 2 keeps
// plural nouns correct in every language, and results are always
// non-negative integers (subtraction never goes below 1, division is exact).

function drawNumbers(template: TemplateId, rand: () => number, max: number): Numbers {
  switch (template) {
    case 'buy': {
      const a = intIn(rand, 2, max);
      const b = intIn(rand, 2, max);
      return { a, b, c: a + b };
    }
    case 'read': {
      const a = intIn(rand, 3, max);
      const b = intIn(rand, 2, a - 1);
      return { a, b, c: a - b };
    }
    case 'boxes': {
      const a = intIn(rand, 2, max);
      const b = intIn(rand, 2, max);
      return { a, b, c: a * b };
    }
    case 'share': {
      // Draw divisor and quotient, then build the dividend, so a / b is exact
      // and the dividend (the number shown) still stays within max.
      const b = intIn(rand, 2, Math.floor(max / 2));
      const c = intIn(rand, 2, Math.floor(max / b));
      return { a: b * c, b, c };
    }
  }
}

// ---------------------------------------------------------------------------

function checkOptions(opts: GenerateOptions): void {
  if (!Number.isInteger(opts.count) || opts.count < 0) {
    throw new Error(`generateItems: count must be a non-negative integer, got ${opts.count}`);
  }
  if (!Number.isInteger(opts.seed)) {
    throw new Error(`generateItems: seed must be an integer, got ${opts.seed}`);
  }
  const max = opts.maxOperand ?? 20;
  if (!Number.isInteger(max) || max < 4) {
    // 4 is the smallest bound that still allows an exact 2-by-2 division.
    throw new Error(`generateItems: maxOperand must be an integer >= 4, got ${max}`);
  }
  const pivot = opts.pivot ?? 'en';
  const unknown = [
    ...opts.languages,
    pivot,
    ...Object.keys(opts.coverage ?? {}),
    ...Object.keys(opts.pivotResponse ?? {}),
  ].filter((code) => !LANGUAGES_BY_CODE.has(code));
  if (unknown.length > 0) {
    const names = [...new Set(unknown)].join(', ');
    throw new Error(`generateItems: unknown language(s): ${names}; known: ${GENERATOR_LANGUAGES.join(', ')}`);
  }
  for (const [field, fractions] of [
    ['coverage', opts.coverage],
    ['pivotResponse', opts.pivotResponse],
  ] as const) {
    for (const [code, fraction] of Object.entries(fractions ?? {})) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new Error(`generateItems: ${field} for "${code}" must be in (0, 1], got ${fraction}`);
      }
    }
  }
}

/** Generates `count` parallel items; see GenerateOptions. */
export function generateItems(opts: GenerateOptions): ParallelItem[] {
  checkOptions(opts);
  const pivot = opts.pivot ?? 'en';
  const max = opts.maxOperand ?? 20;
  const prefix = opts.idPrefix ?? 'syn';
  const withResponses = opts.withResponses ?? true;
  const coverage = opts.coverage ?? {};

  // Pivot first, then the others in registry order, so output does not depend
  // on the order the caller listed languages in.
  const wanted = new Set(opts.languages);
  const others = LANGUAGE_SPECS.filter((s) => s.code !== pivot && wanted.has(s.code));
  const pivotSpec = LANGUAGES_BY_CODE.get(pivot)!;
  const idWidth = Math.max(6, String(opts.count).length);

  const items: ParallelItem[] = [];
  for (let i = 0; i < opts.count; i++) {
    const rand = stream(opts.seed, i, 0);
    const template = TEMPLATE_IDS[Math.floor(rand() * TEMPLATE_IDS.length)];
    const nameIndex = Math.floor(rand() * NAME_COUNT);
    const numbers = drawNumbers(template, rand, max);

    const langs: ParallelItem['langs'] = {};
    for (const spec of [pivotSpec, ...others]) {
      if (spec !== pivotSpec) {
        const fraction = coverage[spec.code] ?? 1;
        if (fraction < 1 && stream(opts.seed, i, hashString(spec.code))() >= fraction) continue;
      }
      let out = spec.templates[template](spec.names[nameIndex], numbers);
      const swap = opts.pivotResponse?.[spec.code] ?? 0;
      // A separate stream (salted differently from coverage) so turning this on leaves coverage as it was.
      if (spec !== pivotSpec && swap > 0 && stream(opts.seed, i, hashString(spec.code) ^ 0x5e5)() < swap) {
        out = { ...out, response: pivotSpec.templates[template](pivotSpec.names[nameIndex], numbers).response };
      }
      // NFC so that precomposed vs combining accents (Yoruba tones, French
      // accents) can never give the same word two byte sequences.
      langs[spec.code] = withResponses
        ? { prompt: out.prompt.normalize('NFC'), response: out.response.normalize('NFC') }
        : { prompt: out.prompt.normalize('NFC') };
    }

    items.push(
      ParallelItem.parse({
        id: `${prefix}-${String(i + 1).padStart(idWidth, '0')}`,
        answer: String(numbers.c),
        langs,
      }),
    );
  }
  return items;
}
