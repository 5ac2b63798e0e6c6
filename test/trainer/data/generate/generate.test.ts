// Tests for the synthetic parallel word-problem generator.
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';

import { ParallelItem } from '../../../../protocol/dataset';
import type { GenerateOptions } from '../../../../trainer/data/generate/generate';
import { GENERATOR_LANGUAGES, generateItems, LOW_RESOURCE_LANGUAGES } from '../../../../trainer/data/generate/generate';

const ALL = [...GENERATOR_LANGUAGES];
const base: GenerateOptions = { count: 400, seed: 7, languages: ALL };

/** Every maximal run of ASCII digits, in order. */
function numbersIn(text: string): string[] {
  return text.match(/[0-9]+/g) ?? [];
}

describe('generateItems', () => {
  it('supports the required languages, with the low-resource ones among them', () => {
    for (const code of ['en', 'es', 'fr', 'de', 'ru', 'zh', 'ja', 'bn', 'te', 'th', 'sw', 'yo']) {
      assert.ok(GENERATOR_LANGUAGES.includes(code), code);
    }
    assert.deepEqual([...LOW_RESOURCE_LANGUAGES].sort(), ['bn', 'sw', 'te', 'th', 'yo']);
    for (const code of LOW_RESOURCE_LANGUAGES) assert.ok(GENERATOR_LANGUAGES.includes(code), code);
  });

  it('is deterministic by seed', () => {
    assert.deepEqual(generateItems(base), generateItems({ ...base }));
    assert.notDeepEqual(generateItems(base), generateItems({ ...base, seed: 8 }));
  });

  it('keeps item content fixed when the language selection changes', () => {
    // Item i is decided from (seed, i) alone, so subsets line up with the full set.
    const full = generateItems(base);
    const some = generateItems({ ...base, languages: ['sw', 'en'], coverage: { sw: 0.5 } });
    for (let i = 0; i < full.length; i++) {
      assert.equal(some[i].answer, full[i].answer);
      assert.deepEqual(some[i].langs.en, full[i].langs.en);
      if (some[i].langs.sw) assert.deepEqual(some[i].langs.sw, full[i].langs.sw);
    }
  });

  it('produces items that validate against the protocol schema', () => {
    for (const item of generateItems(base)) {
      assert.doesNotThrow(() => ParallelItem.parse(item), item.id);
    }
    for (const item of generateItems({ ...base, withResponses: false })) {
      ParallelItem.parse(item);
      for (const entry of Object.values(item.langs)) assert.equal(entry.response, undefined);
    }
  });

  it('ends every response with the answer as its last number', () => {
    for (const item of generateItems({ ...base, count: 1000, maxOperand: 40 })) {
      assert.match(item.answer, /^[0-9]+$/, `${item.id}: answer is a non-negative integer`);
      for (const [code, entry] of Object.entries(item.langs)) {
        const response = entry.response ?? '';
        assert.ok(response.includes(item.answer), `${item.id}/${code}: ${response}`);
        assert.equal(numbersIn(response).at(-1), item.answer, `${item.id}/${code}: ${response}`);
      }
    }
  });

  it('uses the same numbers in every language of an item', () => {
    for (const item of generateItems(base)) {
      const pivotNumbers = numbersIn(item.langs.en.prompt).sort();
      for (const [code, entry] of Object.entries(item.langs)) {
        // Prompts may repeat a number, but the set of numbers must match.
        assert.deepEqual(
          [...new Set(numbersIn(entry.prompt))].sort(),
          [...new Set(pivotNumbers)],
          `${item.id}/${code}: ${entry.prompt}`,
        );
      }
    }
  });

  it('honours coverage approximately and always includes the pivot', () => {
    const items = generateItems({
      count: 1000,
      seed: 3,
      languages: ['en', 'sw', 'yo', 'fr'],
      coverage: { sw: 0.1, yo: 0.5, en: 0.2 },
    });
    const share = (code: string): number => items.filter((x) => x.langs[code]).length / items.length;
    assert.equal(share('en'), 1, 'pivot ignores its coverage');
    assert.ok(share('sw') >= 0.05 && share('sw') <= 0.15, `sw ${share('sw')}`);
    assert.ok(share('yo') >= 0.4 && share('yo') <= 0.6, `yo ${share('yo')}`);
    assert.equal(share('fr'), 1, 'default coverage is 1');
    assert.equal(Object.keys(items[0].langs)[0], 'en', 'pivot comes first');
  });

  it('includes a non-default pivot in every item', () => {
    const items = generateItems({ count: 50, seed: 1, languages: ['en'], pivot: 'sw' });
    for (const item of items) assert.deepEqual(Object.keys(item.langs), ['sw', 'en']);
  });

  it('throws on unknown languages, naming them', () => {
    assert.throws(() => generateItems({ ...base, languages: ['en', 'xx', 'qq'] }), /xx, qq/);
    assert.throws(() => generateItems({ ...base, pivot: 'zz' }), /zz/);
    assert.throws(() => generateItems({ ...base, coverage: { xy: 0.5 } }), /xy/);
    assert.throws(() => generateItems({ ...base, coverage: { sw: 0 } }), /coverage/);
    assert.throws(() => generateItems({ ...base, maxOperand: 3 }), /maxOperand/);
  });

  it('gives unique ids with the requested prefix', () => {
    const items = generateItems({ ...base, count: 1200, idPrefix: 'mgsm' });
    assert.equal(new Set(items.map((x) => x.id)).size, items.length);
    assert.equal(items[0].id, 'mgsm-000001');
    assert.ok(items.every((x) => x.id.startsWith('mgsm-')));
  });

  it('uses at least 3 distinct templates in every language', () => {
    const items = generateItems(base);
    for (const code of ALL) {
      // The response's operator identifies the template (+, -, *, /).
      const ops = new Set(
        items.flatMap((x) => {
          const m = x.langs[code]?.response?.match(/[0-9]+ ([-+*/]) [0-9]+ =/);
          return m ? [m[1]] : [];
        }),
      );
      assert.ok(ops.size >= 3, `${code}: ${[...ops].join(' ')}`);
    }
  });

  it('keeps results non-negative integers within the operand bound', () => {
    for (const item of generateItems({ ...base, count: 2000, maxOperand: 12 })) {
      const [a, b] = numbersIn(item.langs.en.prompt).map(Number);
      assert.ok(a >= 2 && a <= 12 && b >= 2 && b <= 12, item.langs.en.prompt);
      assert.ok(Number(item.answer) >= 0);
    }
  });

  it('keeps English prompts short for a byte-level model', () => {
    for (const item of generateItems({ ...base, count: 1000, maxOperand: 99 })) {
      assert.ok(Buffer.byteLength(item.langs.en.prompt) <= 200, item.langs.en.prompt);
    }
  });
});

test('pivotResponse gives that share of a language its English response, leaving coverage and prompts as they were', () => {
  const base = generateItems({ count: 400, seed: 3, languages: ['en', 'sw', 'te'], coverage: { sw: 0.5 } });
  const mixed = generateItems({
    count: 400,
    seed: 3,
    languages: ['en', 'sw', 'te'],
    coverage: { sw: 0.5 },
    pivotResponse: { sw: 0.5 },
  });
  let swapped = 0;
  let present = 0;
  mixed.forEach((it, i) => {
    assert.equal(Boolean(it.langs.sw), Boolean(base[i].langs.sw), 'coverage unchanged');
    assert.deepEqual(it.langs.te, base[i].langs.te, 'other languages unchanged');
    if (!it.langs.sw) return;
    present++;
    assert.equal(it.langs.sw.prompt, base[i].langs.sw!.prompt);
    if (it.langs.sw.response === it.langs.en.response) swapped++;
    else assert.equal(it.langs.sw.response, base[i].langs.sw!.response);
  });
  assert.ok(swapped / present > 0.4 && swapped / present < 0.6, `swapped ${swapped}/${present}`);
  assert.throws(
    () => generateItems({ count: 1, seed: 0, languages: ['en'], pivotResponse: { sw: 2 } }),
    /pivotResponse/,
  );
});
