// Mutation testing of the maths: `npm run mutate` (about an hour on 2 cores, so it is
// not part of `npm test` or CI). StrykerJS plants one small bug at a time (a flipped
// sign, a dropped mask, a changed constant) in the model, objective, batching and
// evaluation code and reruns the fast unit tests that cover it; a mutant no test
// notices "survives". The score is the share of mutants killed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  // Each unit-test file runs as its own `node --import tsx FILE` process; node:test
  // prints TAP when its output is piped. Integration tests (*.int.test.ts) are left out.
  testRunner: 'tap',
  tap: {
    testFiles: ['test/trainer/**/!(*.int).test.ts'],
    nodeArgs: ['--import', 'tsx'],
    forceBail: true,
  },
  mutate: [
    'trainer/model/model.ts',
    'trainer/model/modelConfig.ts',
    'trainer/train/objective.ts',
    'trainer/train/batches.ts',
    'trainer/eval/*.ts',
    // Run-folder reading and the compare table: files and formatting, not maths.
    '!trainer/eval/compare.ts',
    '!trainer/eval/runReader.ts',
  ],
  // Per test file: a mutant reruns only the files that executed its line.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // The cpu-backend model tests take seconds; a mutant that loops gets this much more.
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-output/mutation/index.html' },
  jsonReporter: { fileName: 'test-output/mutation/mutation.json' },
  tempDirName: 'test-output/stryker-tmp',
  // The sandbox copy needs only the trainer, protocol and tests.
  ignorePatterns: [
    '/.cache',
    '/scratch',
    '/test-output',
    '/dist',
    '/.solar',
    '/media',
    '/webview',
    '/extension',
    '/bench',
  ],
  cleanTempDir: 'always',
};
export default config;

/**
 * One part of this run, with its own report folder (test-output/mutation-<name>/) and
 * sandbox, so the whole (three hours and more on 2 cores) is measured in parts that each
 * finish: stryker.core.config.mjs, stryker.evalMaths.config.mjs, stryker.evalText.config.mjs.
 * @param {string} name
 * @param {string[]} mutate
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function part(name, mutate) {
  return {
    ...config,
    mutate,
    htmlReporter: { fileName: `test-output/mutation-${name}/index.html` },
    jsonReporter: { fileName: `test-output/mutation-${name}/mutation.json` },
    tempDirName: `test-output/stryker-tmp-${name}`,
  };
}
