// `--responses answer`: training responses built from the gold answers of a benchmark
// that publishes none (MGSM, MSVAMP, XCOPA, XNLI).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGE_SPECS, TEMPLATE_IDS } from '../../../../trainer/data/generate/languages';
import { importBenchmark } from '../../../../trainer/data/import';
import { ANSWER_SENTENCE_LANGUAGES, answerResponse } from '../../../../trainer/data/import/responses';
import { answersMatch, extractLastNumber } from '../../../../trainer/eval/extractAnswer';
import { fixture } from './importHelpers';

test('numeric answers: the answer sentence of the item language, the number as the gold answer writes it', () => {
  const files = [fixture('mgsm', 'mgsm_en.tsv'), fixture('mgsm', 'mgsm_bn.tsv'), fixture('mgsm', 'th.tsv')];
  const items = importBenchmark('mgsm', files, { responses: 'answer' });
  assert.equal(items[0].langs.en.response, 'The answer is 7.');
  assert.equal(items[1].langs.bn.response, 'উত্তর হলো 1250।');
  assert.equal(items[2].langs.th.response, 'คำตอบคือ 5.5');
  // Without the option nothing is made up.
  assert.equal(importBenchmark('mgsm', files)[0].langs.en.response, undefined);
});

test('multiple choice: the text of the right choice, the very string evaluation scores', () => {
  const items = importBenchmark('xcopa', [fixture('xcopa', 'xcopa_sw.jsonl'), fixture('xcopa', 'xcopa_zh.jsonl')], {
    responses: 'answer',
  });
  assert.equal(items[0].langs.sw.response, 'Aliogopa.');
  assert.equal(items[2].langs.zh.response, '水从喷口流出。');
  const nli = importBenchmark('xnli', [fixture('xnli', 'xnli.test.tsv')], { responses: 'answer' });
  assert.deepEqual(
    nli.map((i) => i.langs.hi.response),
    ['entailment', 'contradiction', 'neutral'],
  );
});

test('decimals take the decimal mark of the item language', () => {
  assert.equal(answerResponse('de', '5.5', { prompt: 'q' }), 'Die Antwort ist 5,5.');
  assert.equal(answerResponse('fr', '1.234', { prompt: 'q' }), 'La réponse est 1,234.');
  assert.equal(answerResponse('ru', '70000', { prompt: 'q' }), 'Ответ: 70000.');
  assert.equal(answerResponse('zh', '2.5', { prompt: 'q' }), '答案是2.5。');
  // Spanish reads a lone mark before three digits as thousands; a fourth digit keeps it a decimal.
  assert.equal(answerResponse('es', '1.234', { prompt: 'q' }), 'La respuesta es 1,2340.');
});

test('evaluation reads back the gold answer from every built response', () => {
  for (const lang of [...ANSWER_SENTENCE_LANGUAGES, 'et', 'it', 'qu']) {
    for (const gold of ['7', '1250', '5.5', '1.234', '70000', '0.125', '-3']) {
      const response = answerResponse(lang, gold, { prompt: 'q' });
      assert.ok(
        answersMatch(extractLastNumber(response, lang), gold),
        `${lang}: "${response}" reads as ${extractLastNumber(response, lang)}, not ${gold}`,
      );
    }
  }
});

test('a language without a known answer sentence gets the bare answer', () => {
  assert.equal(answerResponse('et', '42', { prompt: 'q' }), '42');
  assert.equal(answerResponse('et', '4.5', { prompt: 'q' }), '4,5');
  assert.equal(answerResponse('en', '1', { prompt: 'q', choices: ['no', 'yes'] }), 'yes');
});

test('answer sentences match the endings of the synthetic generator, language by language', () => {
  // The generator's worked responses end with the same sentence, so imported and
  // synthetic data teach one way of stating the answer.
  const person = (spec: (typeof LANGUAGE_SPECS)[number]) => spec.names[0];
  for (const spec of LANGUAGE_SPECS) {
    assert.ok(ANSWER_SENTENCE_LANGUAGES.includes(spec.code), `an answer sentence for ${spec.code}`);
    for (const id of TEMPLATE_IDS) {
      const { response } = spec.templates[id](person(spec), { a: 12, b: 3, c: 4 });
      const sentence = answerResponse(spec.code, '4', { prompt: 'q' });
      assert.ok(response.endsWith(sentence), `${spec.code}/${id}: "${response}" ends with "${sentence}"`);
    }
  }
});
