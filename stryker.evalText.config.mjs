// The mutation run of generation and answer scoring (`npx stryker run stryker.evalText.config.mjs`):
// decoding, the evaluation loop, answer extraction, number styles and the SOLAR-vs-SFT
// comparison of texts and curves. One of three parts of stryker.config.mjs (with
// stryker.core.config.mjs and stryker.evalMaths.config.mjs), each of which finishes in a session;
// its report is kept apart in test-output/mutation-evalText/.
import { part } from './stryker.config.mjs';

export default part('evalText', [
  'trainer/eval/decode.ts',
  'trainer/eval/evaluate.ts',
  'trainer/eval/extractAnswer.ts',
  'trainer/eval/numberStyles.ts',
  'trainer/eval/compareText.ts',
  'trainer/eval/compareCurves.ts',
]);
