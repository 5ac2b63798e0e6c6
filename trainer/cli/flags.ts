// Numeric command-line flags, read strictly: "0x3", "1e2", "3.0" and " 3" are not integers
// a user meant, so they are usage errors (exit 2), never silently read as 3.
import { UsageError } from './usageError';

/** A decimal integer flag >= min, or undefined when the flag was not given. */
export function intFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} expects a whole number >= ${min} (got "${value}")`);
  }
  return n;
}
