// The mutation run of the evaluation maths alone (`npx stryker run stryker.evalMaths.config.mjs`,
// about 45 minutes on 2 cores): similarity, separability, consistency, hidden-state pooling,
// eval loss and per-item fit. One of three parts of stryker.config.mjs (with
// stryker.core.config.mjs and stryker.evalText.config.mjs), each of which finishes in a session;
// its report is kept apart in test-output/mutation-evalMaths/.
import { part } from './stryker.config.mjs';

export default part('evalMaths', [
  'trainer/eval/similarity.ts',
  'trainer/eval/separability.ts',
  'trainer/eval/consistency.ts',
  'trainer/eval/representations.ts',
  'trainer/eval/evalLoss.ts',
  'trainer/eval/itemFit.ts',
]);
