// `solar eval` evaluates every language in the data unless --languages says otherwise,
// and names every language it leaves out, with why.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLanguages, parseLanguagesFlag } from '../../../trainer/cli/evalLanguages';
import { UsageError } from '../../../trainer/cli/usageError';

test('by default every language in the data is evaluated', () => {
  assert.deepEqual(chooseLanguages(['en', 'fr', 'yo'], undefined, 'd.jsonl'), {
    languages: ['en', 'fr', 'yo'],
    notEvaluated: {},
  });
});

test('--languages keeps the data order and says what was left out and why', () => {
  const c = chooseLanguages(['en', 'fr', 'sw', 'yo'], parseLanguagesFlag('yo, sw,xx'), 'd.jsonl');
  assert.deepEqual(c.languages, ['sw', 'yo']);
  assert.deepEqual(c.notEvaluated, { xx: 'not in d.jsonl', en: 'not in --languages', fr: 'not in --languages' });
});

test('--languages with nothing in the data, or a bad code, is a usage error', () => {
  assert.throws(
    () => chooseLanguages(['en'], ['xx'], 'd.jsonl'),
    (e: Error) => e instanceof UsageError && /none of --languages xx is in d\.jsonl \(it has en\)/.test(e.message),
  );
  assert.throws(() => parseLanguagesFlag('en,,sw'), UsageError);
  assert.throws(() => parseLanguagesFlag('EN'), UsageError);
  assert.equal(parseLanguagesFlag(undefined), undefined);
  assert.deepEqual(parseLanguagesFlag('en,en,zh-Hant'), ['en', 'zh-Hant']);
});
