// The wasm backend runs out of its heap in ways no user can act on: "Aborted(). Build with
// -sASSERTIONS for more info." (after XNNPACK printed "status 6", its out-of-memory code),
// "memory access out of bounds", or emscripten's "Cannot enlarge memory". The memory
// estimate (trainer/train/memoryEstimate.ts) refuses most configs that cannot fit before
// they start; what slips past it fails with this said instead: what ran out, at which
// step, and what to change.

/** Messages of a wasm module that ran out of memory. */
const WASM_OUT_OF_MEMORY =
  /^(?:RuntimeError: )?(?:Aborted\(\)|memory access out of bounds)|Cannot enlarge memory|Out of memory/i;

/** The run's failure as the user should read it; other errors unchanged. */
export function explainFailure(message: string, backend: string | undefined, step: number): string {
  if (backend !== 'wasm' || !WASM_OUT_OF_MEMORY.test(message)) return message;
  return (
    `the wasm backend ran out of its 4 GiB heap at step ${step} ("${message.split('.')[0]}"): lower batchSize or ` +
    'model.maxSeqLen, train fewer languages per item, set model.freezeEmbeddings or train LoRA adapters ' +
    '(model.lora); the logits over a large vocabulary (Llama 3: 128k tokens) take the most'
  );
}
