// The clock every part of a run reads. `LLM_GATEWAY_NOW` (an ISO time) fixes it, so tests and demos can show a
// given day's windows; it is a test hook, documented as such. Without it the real clock runs.
import { UsageError } from '../core/errors.ts';

export function clockFromEnv(env: NodeJS.ProcessEnv): () => number {
  if (!env.LLM_GATEWAY_NOW) return Date.now;
  const fixed = Date.parse(env.LLM_GATEWAY_NOW);
  return () => {
    if (Number.isNaN(fixed))
      throw new UsageError(
        `LLM_GATEWAY_NOW must be an ISO time such as 2026-11-26T04:00:00Z, got "${env.LLM_GATEWAY_NOW}"`,
      );
    return fixed;
  };
}

/**
 * How a run waits out a rate limit: really, unless `LLM_GATEWAY_NOW` froze the clock — time cannot pass then, so a
 * wait would only hold the run up; it returns at once (the countdown is still printed). Undefined: the real sleep.
 */
export function sleepFromEnv(env: NodeJS.ProcessEnv): ((ms: number) => Promise<void>) | undefined {
  return env.LLM_GATEWAY_NOW ? async () => {} : undefined;
}
