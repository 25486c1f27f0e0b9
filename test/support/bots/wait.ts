// Waiting for what a participant can observe, bounded in time, with what was last seen in the error.

/**
 * Resolves once `check` returns true (checked at once, then every `everyMs`); rejects after `ms`
 * with `what` and, when given, `describe()`'s account of the state at that moment.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
  describe?: () => string | Promise<string>,
  everyMs = 50,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) {
      const seen = describe ? ` (${await describe()})` : '';
      throw new Error(`timed out after ${String(ms)} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The value at `fraction` (0..1) of `values` sorted; NaN when empty. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
