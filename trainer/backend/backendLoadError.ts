// The error every backend loader throws, shared by selectBackend.ts and the loaders kept in
// files of their own (webgpuBackend.ts), so that 'auto' can tell a loader's own one-liner
// from an unexpected exception.

/**
 * A backend that could not be loaded: `message` is the full explanation with
 * the fix (thrown for explicit choices), `short` the one-liner that 'auto'
 * records in BackendInfo.notes when it moves on to the next option.
 */
export class BackendLoadError extends Error {
  constructor(
    message: string,
    readonly short: string,
  ) {
    super(message);
    this.name = 'BackendLoadError';
  }
}

/** The first line of an error's message (native addons put whole stacks in theirs). */
export function errorMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}
