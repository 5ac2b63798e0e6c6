// The exported byte-level tokenizer description: @huggingface/tokenizers reading our
// tokenizer.json gives exactly our byte-level ids for text in several scripts, decodes them
// back, and names the special tokens at our ids.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tokenizer as HfLibTokenizer } from '@huggingface/tokenizers';
import { byteLevelAlphabet, byteTokenizerConfigJson, byteTokenizerJson } from '../../../trainer/model/exportTokenizer';
import { BOS, EOS, encodeText, PAD, SEP } from '../../../trainer/model/tokenizer';

const TEXTS = [
  'Tom has 3 apples and buys 4 more. How many?',
  '  Habari ya asubuhi?\n\tNi mangapi?  ',
  'Ẹ kú àárọ̀, ṣé dáadáa ni?', // Yoruba: combining diacritics
  'ఒక పెట్టెలో 4 గుడ్లు ఉన్నాయి.', // Telugu: 3 bytes a character
  '你好，世界！', // CJK
  'مرحبا بالعالم', // Arabic, right to left
  'Привет, мир', // Cyrillic
  'emoji 😀 and \u0000\u007f\u00ad nbsp\u00a0', // 4-byte UTF-8, control bytes, soft hyphen
];

function lib(): HfLibTokenizer {
  return new HfLibTokenizer(byteTokenizerJson(), byteTokenizerConfigJson(256));
}

test('the alphabet gives 256 distinct characters, printable ASCII as itself', () => {
  const a = byteLevelAlphabet();
  assert.equal(new Set(a).size, 256);
  assert.equal(a[65], 'A');
  assert.equal(a[32], 'Ġ'); // GPT-2's space
});

test('@huggingface/tokenizers encodes every script to our byte-level ids', () => {
  const t = lib();
  for (const text of TEXTS) {
    const ids = t.encode(text, { add_special_tokens: false }).ids;
    assert.deepEqual(ids, encodeText(text), text);
    // Adding special tokens adds none: our rows place <bos>/<sep>/<eos> themselves.
    assert.deepEqual(t.encode(text).ids, encodeText(text), text);
  }
});

test('decoding our ids gives the text back, special tokens skipped', () => {
  const t = lib();
  for (const text of TEXTS) {
    const ids = [BOS, ...encodeText(text), SEP, EOS, PAD];
    assert.equal(t.decode(ids, { skip_special_tokens: true }), text);
  }
});

test('the special tokens sit at our ids and the vocabulary is exactly 260', () => {
  const t = lib();
  assert.equal(t.token_to_id('<pad>'), PAD);
  assert.equal(t.token_to_id('<bos>'), BOS);
  assert.equal(t.token_to_id('<sep>'), SEP);
  assert.equal(t.token_to_id('<eos>'), EOS);
  assert.equal(t.id_to_token(EOS), '<eos>');
  assert.equal(t.id_to_token(260), undefined);
  assert.deepEqual(t.encode('<bos>hi<eos>').ids, [BOS, 104, 105, EOS]);
});
