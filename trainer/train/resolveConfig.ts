// Loading a run config: parse, validate with the protocol schema, resolve dataset
// paths relative to the config file, check the datasets exist and hold the languages
// asked for, that every trained language has response tokens to train on, and that the
// config agrees with itself (languages once each, lowResource among them, the pivot in
// the eval set). Everything is checked before a run folder is created, so a bad config
// leaves nothing half-written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParallelItem } from '../../protocol/dataset';
import { InputError, parseWith } from '../../protocol/errors';
import { RunConfig } from '../../protocol/runConfig';
import { runNameFromConfigFile } from '../../protocol/runFolder';
import { datasetLanguages, languageCounts, loadParallelJsonl } from '../data/load';

export interface ResolvedRun {
  configFile: string;
  config: RunConfig; // with data paths made absolute and languages filled in
  train: ParallelItem[];
  eval: ParallelItem[] | null;
}

export function readConfigFile(file: string): RunConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(
      { file },
      `a readable run config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file, line: jsonErrorLine(text, e as Error) }, `valid JSON (${(e as Error).message})`);
  }
  return parseWith(RunConfig, raw, file);
}

/** JSON.parse reports a character position; turn it into a line number. */
function jsonErrorLine(text: string, e: Error): number | undefined {
  const m = /position (\d+)/.exec(e.message);
  return m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
}

export function resolveRun(file: string, overrides: { steps?: number } = {}): ResolvedRun {
  const configFile = path.resolve(file);
  const config = readConfigFile(configFile);
  const base = path.dirname(configFile);
  const resolveData = (p: string, field: string) => {
    const abs = path.resolve(base, p);
    if (!fs.existsSync(abs))
      throw new InputError({ file: configFile, field }, `an existing dataset file (${abs} does not exist)`);
    return abs;
  };
  config.data.train = resolveData(config.data.train, 'data.train');
  if (config.model.path) {
    // A pretrained folder, like the datasets, relative to the config file; its files are checked when it is read.
    const dir = path.resolve(base, config.model.path);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
      throw new InputError({ file: configFile, field: 'model.path' }, `an existing model folder (${dir} is not one)`);
    config.model.path = dir;
  }
  if (config.data.eval) config.data.eval = resolveData(config.data.eval, 'data.eval');
  if (overrides.steps !== undefined) config.steps = overrides.steps;
  if (!config.name) config.name = runNameFromConfigFile(path.basename(configFile));

  const twice = repeated(config.languages ?? []);
  if (twice)
    throw new InputError({ file: configFile, field: 'languages' }, `each language once ("${twice}" is listed twice)`);

  const train = loadParallelJsonl(config.data.train);
  const evalItems = config.data.eval ? loadParallelJsonl(config.data.eval) : null;
  const present = datasetLanguages(train, config.pivot);
  if (!present.includes(config.pivot))
    throw new InputError(
      { file: configFile, field: 'pivot' },
      `a language of the training set (${present.join(', ')}); "${config.pivot}" is not in it`,
    );
  if (config.languages) {
    const missing = config.languages.filter((l) => !present.includes(l));
    if (missing.length)
      throw new InputError(
        { file: configFile, field: 'languages' },
        `languages present in the training set (${present.join(', ')}); missing: ${missing.join(', ')}`,
      );
    if (!config.languages.includes(config.pivot)) config.languages = [config.pivot, ...config.languages];
  } else config.languages = present;
  checkLowResource(config, configFile);
  checkResponses(train, config, configFile);
  if (evalItems && !evalItems.some((it) => it.langs[config.pivot])) {
    throw new InputError(
      { file: configFile, field: 'data.eval' },
      `an eval set with the pivot "${config.pivot}" (similarity, consistency and alignment are measured against it); ${config.data.eval} has only ${datasetLanguages(evalItems, config.pivot).join(', ')}`,
    );
  }
  return { configFile, config, train, eval: evalItems };
}

/** The first value that occurs twice, if any. */
function repeated(values: readonly string[]): string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

/** lowResource only labels trained languages in the reports: one that is not trained would be a mean over nothing. */
function checkLowResource(config: RunConfig, configFile: string): void {
  const trained = config.languages ?? [];
  const twice = repeated(config.lowResource);
  if (twice)
    throw new InputError({ file: configFile, field: 'lowResource' }, `each language once ("${twice}" is listed twice)`);
  const untrained = config.lowResource.filter((l) => !trained.includes(l));
  if (untrained.length) {
    throw new InputError(
      { file: configFile, field: 'lowResource' },
      `languages that are trained (${trained.join(', ')}); not trained: ${untrained.join(', ')}`,
    );
  }
}

/**
 * Only response tokens are trained on: a set without them (a benchmark with answers but
 * no worked solutions) trains into NaN, or with lambda 0 "completes" at loss 0, and a
 * trained language without them has nothing to learn. Refused before anything is written.
 */
function checkResponses(train: ParallelItem[], config: RunConfig, configFile: string): void {
  const counts = languageCounts(train);
  const trained = config.languages ?? [];
  const bare = trained.filter((l) => !counts.get(l)?.responses);
  if (!bare.length) return;
  const all = bare.length === trained.length;
  const which = all ? `the languages trained (${trained.join(', ')})` : bare.map((l) => `"${l}"`).join(', ');
  const fix = all ? 'use the file as data.eval instead' : 'leave those languages out of "languages"';
  throw new InputError(
    { file: configFile, field: 'data.train' },
    `a training set with responses, as only response tokens are trained on: no response tokens in ${config.data.train} for ${which} ` +
      `(a benchmark with answers only can be imported with --responses answer; or ${fix})`,
  );
}
