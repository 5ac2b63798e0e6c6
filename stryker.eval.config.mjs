// The mutation run of the evaluation code alone (`npx stryker run stryker.eval.config.mjs`,
// the other part of stryker.config.mjs: generation, answer extraction, similarity, separability),
// its report kept apart in test-output/mutation-eval/, so the whole run (three hours and more on 2 cores) can be
// measured in parts that each finish.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['trainer/eval/*.ts', '!trainer/eval/compare.ts', '!trainer/eval/runReader.ts'],
  htmlReporter: { fileName: 'test-output/mutation-eval/index.html' },
  jsonReporter: { fileName: 'test-output/mutation-eval/mutation.json' },
  tempDirName: 'test-output/stryker-tmp-eval',
};
