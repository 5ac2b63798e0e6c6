// `solar export RUN_DIR|CHECKPOINT_DIR [--out DIR] [--dtype float32|float16|bfloat16]
// [--max-shard-size 2GB]`: the run's newest checkpoint (or the one named) as a Hugging Face
// model folder other tools load (trainer/model/exportModel.ts). Needs no backend: the
// weights are only converted, never run.
import { parseArgs } from 'node:util';
import { EXPORT_DTYPES, type ExportDtype, exportModel, parseShardSize } from '../model/exportModel';
import { UsageError } from './usageError';

export function exportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      dtype: { type: 'string' },
      'max-shard-size': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('export needs exactly one run folder or checkpoint folder');
  const dtype = values.dtype as ExportDtype | undefined;
  if (dtype !== undefined && !Object.hasOwn(EXPORT_DTYPES, dtype))
    throw new UsageError(`--dtype expects one of ${Object.keys(EXPORT_DTYPES).join(', ')} (got "${dtype}")`);
  const shard = values['max-shard-size'];
  const maxShardBytes = shard === undefined ? undefined : parseShardSize(shard);
  if (shard !== undefined && maxShardBytes === undefined)
    throw new UsageError(`--max-shard-size expects a size such as 2GB, 500MB or 1000 (bytes) (got "${shard}")`);
  const r = exportModel({ source: positionals[0], out: values.out, dtype, maxShardBytes });
  const mb = (r.bytes / 1e6).toFixed(1);
  process.stdout.write(
    `exported ${r.out} (${r.dtype}, ${mb} MB in ${r.files.length} file(s): ${r.files.join(', ')})\n`,
  );
  return 0;
}
