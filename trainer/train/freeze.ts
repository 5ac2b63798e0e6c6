// Which parameters a run trains. A laptop can still tune a pretrained model by leaving its
// largest or lowest parts fixed: `model.freezeEmbeddings` keeps the vocabulary-sized
// matrices (the input embedding, and lm_head when untied) as they are, `model.trainLayers`
// trains only the top N transformer layers. Fixed parameters get no gradient and no AdamW
// moments (their memory is the weights alone) and are saved unchanged in checkpoints.
// With `model.lora` every base weight is fixed and only the adapters train (on the top
// `trainLayers` layers when set, recorded in the model config's lora.layers).
import { InputError } from '../../protocol/errors';
import type { RunConfig } from '../../protocol/runConfig';
import { adapterShapes } from '../model/lora';
import { paramShapes } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';

/** Names of the parameters that train, in paramShapes order (adapterShapes order with LoRA). */
export function trainableNames(
  c: ModelConfig,
  m: Pick<RunConfig['model'], 'freezeEmbeddings' | 'trainLayers'>,
): string[] {
  if (c.lora) return adapterShapes(c).map(([name]) => name);
  const lowest = m.trainLayers === undefined ? 0 : c.numHiddenLayers - m.trainLayers;
  return paramShapes(c)
    .map(([name]) => name)
    .filter((name) => {
      if (name === 'model.embed_tokens.weight' || name === 'lm_head.weight') return !m.freezeEmbeddings;
      const layer = /^model\.layers\.(\d+)\./.exec(name);
      return !layer || Number(layer[1]) >= lowest;
    });
}

/** A trainLayers beyond the model's depth is a mistake in the config, said before anything runs. */
export function checkTrainLayers(c: ModelConfig, config: RunConfig, file: string): void {
  const n = config.model.trainLayers;
  if (n !== undefined && n > c.numHiddenLayers)
    throw new InputError(
      { file, field: 'model.trainLayers' },
      `at most the model's ${c.numHiddenLayers} layers (got ${n})`,
    );
  if (trainableNames(c, config.model).length === 0)
    throw new InputError({ file, field: 'model' }, 'at least one parameter to train');
}
