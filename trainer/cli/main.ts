// `solar`: the headless trainer. The VS Code extension spawns this same program.
//   solar train CONFIG [--steps N] [--run-dir DIR] [--runs-dir DIR] [--quiet]
//   solar train --resume RUN_DIR [--steps N]
//   solar data validate FILE...
//   solar data generate --out FILE [--count N] [--seed S] [--languages a,b] [--coverage sw=0.1,...]
//   solar data import --format mgsm|msvamp|xcopa|xnli --out FILE [--language L] [--responses none|answer] FILES...
//   solar data score RUN_DIR|CHECKPOINT FILE [--out SIDECAR] [--languages a,b]
//   solar eval RUN_DIR|CHECKPOINT [--data FILE] [--size N] [--languages a,b] [--json]
//   solar compare RUN_DIR... [--json]
//   solar export RUN_DIR|CHECKPOINT [--out DIR] [--dtype float32|float16|bfloat16] [--max-shard-size 2GB]
// Exit codes: 0 success (also a graceful stop), 2 bad input or usage, 1 anything else.
import { parseArgs } from 'node:util';
import { CompareReport } from '../../protocol/compareReport';
import { InputError } from '../../protocol/errors';
import { compareRuns } from '../eval/compare';
import { formatComparison } from '../eval/compareText';
import { type StopSignal, train } from '../train/train';
import { dataCommand } from './dataCommand';
import { evalCommand } from './evalCommand';
import { exportCommand } from './exportCommand';
import { intFlag } from './flags';
import { UsageError } from './usageError';

export const USAGE = `solar — SOLAR soft-token alignment trainer

Usage:
  solar train CONFIG.solar.json [--steps N] [--run-dir DIR] [--runs-dir DIR] [--quiet]
  solar train --resume RUN_DIR [--steps N]
  solar eval RUN_DIR|CHECKPOINT_DIR [--data FILE] [--size N] [--languages a,b] [--per-layer] [--json]
  solar compare RUN_DIR... [--json]
  solar export RUN_DIR|CHECKPOINT_DIR [--out DIR] [--dtype float32|float16|bfloat16] [--max-shard-size 2GB]
  solar data validate FILE.parallel.jsonl...
  solar data generate --out FILE [--count N] [--seed S] [--languages en,sw,...]
                      [--coverage sw=0.1,yo=0.1] [--pivot-response sw=0.5]
                      [--no-responses] [--id-prefix P]
  solar data import --format mgsm|msvamp|xcopa|xnli --out FILE [--languages en,sw]
                    [--language L] [--responses none|answer] FILES...
  solar data score RUN_DIR|CHECKPOINT_DIR FILE.parallel.jsonl [--out SIDECAR] [--languages a,b]
  solar --help | --version

Runs are written to ./.solar/runs/<name>-<timestamp>/ (config.json, status.json,
metrics.jsonl, trainer.log, checkpoints/). Ctrl-C stops after the current step and
writes a checkpoint; resume with --resume.`;

async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      steps: { type: 'string' },
      'run-dir': { type: 'string' },
      'runs-dir': { type: 'string' },
      resume: { type: 'string' },
      quiet: { type: 'boolean' },
      'module-path': { type: 'string', multiple: true },
    },
  });
  if (!values.resume && positionals.length !== 1)
    throw new UsageError('train needs exactly one config file (or --resume RUN_DIR)');
  const steps = intFlag(values.steps, '--steps', 1);
  const stop: StopSignal = { requested: false };
  const onSignal = (sig: string) => {
    if (stop.requested) {
      process.stderr.write(`\n${sig} again: exiting without a checkpoint\n`);
      stop.onForceQuit?.();
      process.exit(130);
    }
    stop.requested = true;
    process.stderr.write(`\n${sig}: stopping after this step and writing a checkpoint (send again to quit at once)\n`);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  await train({
    configFile: positionals[0],
    resume: values.resume,
    steps,
    runDir: values['run-dir'],
    runsDir: values['runs-dir'],
    quiet: values.quiet,
    stop,
    modulePaths: values['module-path'],
  });
  return 0;
}

function compareCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length < 1) throw new UsageError('compare needs at least one run folder');
  const report = compareRuns(positionals, (line) => process.stderr.write(`solar: warning: ${line}\n`));
  // --json output is the CompareReport contract: checked here so a drift fails in the CLI, not in a UI.
  const text = values.json ? JSON.stringify(CompareReport.parse(report), null, 2) : formatComparison(report);
  process.stdout.write(text + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(USAGE + '\n');
      return cmd ? 0 : 2;
    }
    if (cmd === '--version') {
      process.stdout.write(`${process.env.SOLAR_VERSION ?? 'dev'}\n`);
      return 0;
    }
    if (cmd === 'train') return await trainCommand(rest);
    if (cmd === 'data') return await dataCommand(rest);
    if (cmd === 'eval') return await evalCommand(rest);
    if (cmd === 'compare') return compareCommand(rest);
    if (cmd === 'export') return exportCommand(rest);
    throw new UsageError(`unknown command "${cmd}"`);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`\nsolar: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`solar: ${(e as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`\nsolar: failed: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

/** Run the CLI on this process's arguments and exit with its code. */
export function run(): void {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

// `node dist/trainer.js ...` (how the extension spawns it) runs the CLI directly.
if (require.main === module) run();
