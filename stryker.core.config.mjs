// The mutation run of the model and objective alone (`npx stryker run stryker.core.config.mjs`,
// about an hour on one core): the maths core of stryker.config.mjs, its report kept apart in
// test-output/mutation-core/, so the whole run (three hours and more on 2 cores) can be
// measured in parts that each finish.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: [
    'trainer/model/model.ts',
    'trainer/model/modelConfig.ts',
    'trainer/train/objective.ts',
    'trainer/train/batches.ts',
  ],
  htmlReporter: { fileName: 'test-output/mutation-core/index.html' },
  jsonReporter: { fileName: 'test-output/mutation-core/mutation.json' },
  tempDirName: 'test-output/stryker-tmp-core',
};
