// The mutation run of the model and objective alone (`npx stryker run stryker.core.config.mjs`,
// about an hour on one core): the maths core of stryker.config.mjs, its report kept apart in
// test-output/mutation-core/, so the whole run (three hours and more on 2 cores) can be
// measured in parts that each finish.
import { part } from './stryker.config.mjs';

export default part('core', [
  'trainer/model/model.ts',
  'trainer/model/modelConfig.ts',
  'trainer/train/objective.ts',
  'trainer/train/batches.ts',
]);
