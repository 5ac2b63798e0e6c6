// Strict UTF-8 reading: the first invalid byte is found exactly where the WHATWG decoder fails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { decodeUtf8, firstInvalidUtf8, tsvFieldAt } from '../../../trainer/data/utf8';
import { mulberry32 } from '../../../trainer/numeric/rng';

const fatal = new TextDecoder('utf-8', { fatal: true });
const valid = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

test('firstInvalidUtf8 agrees with the fatal decoder on valid text and on edge cases', () => {
  const enc = new TextEncoder();
  assert.equal(firstInvalidUtf8(enc.encode('plain, ñ, 中文, 𝄞, తెలుగు')), -1);
  const bad: [number[], number][] = [
    [[0x61, 0x80], 1], // lone continuation byte
    [[0xc0, 0xaf], 0], // overlong "/"
    [[0xe0, 0x80, 0xaf], 0], // overlong, 3 bytes
    [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // cut short at the end
    [[0xe9, 0x61], 0], // Latin-1 é
  ];
  for (const [bytes, at] of bad) {
    assert.equal(valid(Uint8Array.from(bytes)), false, String(bytes));
    assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, String(bytes));
  }
});

test('firstInvalidUtf8 finds invalid input exactly when the decoder rejects it (random bytes)', () => {
  const rand = mulberry32(7);
  for (let n = 0; n < 3000; n++) {
    // Mostly multi-byte lead and continuation bytes, where the rules are.
    const b = Uint8Array.from({ length: 1 + Math.floor(rand() * 6) }, () =>
      rand() < 0.2 ? Math.floor(rand() * 128) : 0x80 + Math.floor(rand() * 128),
    );
    const at = firstInvalidUtf8(b);
    assert.equal(at < 0, valid(b), String(b));
    if (at >= 0) assert.ok(valid(b.subarray(0, at)), `the bytes before ${at} decode: ${b}`);
  }
});

test('decodeUtf8 names the line; tsvFieldAt names the column from given names or the header', () => {
  const bytes = Uint8Array.from([...new TextEncoder().encode('premise\thypothesis\nok\tok\nok\tbad '), 0xff, 0x0a]);
  assert.throws(
    () => decodeUtf8(bytes, 'x.tsv', tsvFieldAt()),
    (e: unknown) =>
      e instanceof InputError &&
      e.location.line === 3 &&
      e.location.field === 'hypothesis' &&
      /0xff at byte 8/.test(e.message),
  );
  assert.throws(() => decodeUtf8(bytes, 'x.tsv', tsvFieldAt(['question', 'answer'])), /field "answer"/);
  assert.equal(decodeUtf8(new TextEncoder().encode('\uFEFFabc'), 'x'), 'abc');
});
