// Every shipped config fits every language it lists: with the byte-level tokenizer a
// Telugu character is three tokens, so a context sized for English silently cuts Telugu
// rows before their answer (te accuracy would be 0 by construction). Each training row
// must fit whole, and each eval prompt must leave room for its reference response.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadParallelJsonl } from '../../trainer/data/load';
import { encodeText } from '../../trainer/model/tokenizer';
import { resolveRun } from '../../trainer/train/resolveConfig';
import { EXAMPLES } from '../helpers/helpers';

/** Tokens of <bos> prompt <sep> response <eos>. */
const rowTokens = (prompt: string, response: string | undefined) =>
  encodeText(prompt).length + (response === undefined ? 0 : encodeText(response).length) + 3;

for (const name of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.solar.json'))) {
  test(`${name}: every row of every listed language fits model.maxSeqLen`, () => {
    const { config } = resolveRun(path.join(EXAMPLES, name));
    const max = config.model.maxSeqLen;
    const sets = [['train', config.data.train], ...(config.data.eval ? [['eval', config.data.eval]] : [])] as const;
    for (const [which, file] of sets) {
      const longest: Record<string, number> = {};
      for (const item of loadParallelJsonl(file)) {
        for (const l of config.languages!) {
          const entry = item.langs[l];
          if (!entry) continue;
          longest[l] = Math.max(longest[l] ?? 0, rowTokens(entry.prompt, entry.response));
        }
      }
      for (const l of config.languages!) {
        assert.ok(longest[l] !== undefined, `${which} set has no ${l} rows`);
        assert.ok(
          longest[l] <= max,
          `${name}: the longest ${which} row in ${l} is ${longest[l]} tokens, over maxSeqLen ${max}`,
        );
      }
    }
  });
}
