// The mutation run of generation and answer scoring (`npx stryker run stryker.evalText.config.mjs`):
// decoding, the evaluation loop, answer extraction, number styles and the SOLAR-vs-SFT
// comparison of texts and curves. One of three parts of stryker.config.mjs (with
// stryker.core.config.mjs and stryker.evalMaths.config.mjs), each of which finishes in a session;
// its report is kept apart in test-output/mutation-evalText/.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: [
    'trainer/eval/decode.ts',
    'trainer/eval/evaluate.ts',
    'trainer/eval/extractAnswer.ts',
    'trainer/eval/numberStyles.ts',
    'trainer/eval/compareText.ts',
    'trainer/eval/compareCurves.ts',
  ],
  htmlReporter: { fileName: 'test-output/mutation-evalText/index.html' },
  jsonReporter: { fileName: 'test-output/mutation-evalText/mutation.json' },
  tempDirName: 'test-output/stryker-tmp-evalText',
};
