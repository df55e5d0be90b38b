// A failure in the terminal's words: the message and the hint that names the fix, from the failure's code and
// data (core/errors.ts). Errors raised by the CLI and the store bring their own words; the core's are worded here.
// The exit code is exit-codes.ts's to say.
import { noCandidateMessage } from '../../core/gateway-errors.ts';
import type { Failure, GatewayError, NoCandidateCause } from '../../core/errors.ts';
import type { RoutePlan } from '../../core/types.ts';
import { skipText } from './skip-text.ts';

export interface FailureText {
  message: string;
  hint?: string;
}

const CAUSE_HINTS: { readonly [C in NoCandidateCause]: string } = {
  quota: 'wait for a reset (`llm-gateway quota`), or allow paid models with --allow-paid',
  key: 'add a key: `llm-gateway providers add <provider> --api-key-stdin`, or set its environment variable',
  config: 'fix the setting named above (`llm-gateway doctor` checks the files)',
  down: 'a failing provider is tried again when its cooldown ends',
  request: 'shorten the input, or name a model with a larger context window (`llm-gateway models`)',
};

const ANSWER_BUDGET_HINT = 'lower --max-tokens: the answer budget alone does not fit the context windows';

/**
 * The request itself rules models out: too long for them, or it needs what they lack (an attached image needs
 * vision). Each says its own fix; a window-size hint for a missing capability would send the user the wrong way.
 */
function requestHint(plan: RoutePlan): string {
  const missing = [...new Set(plan.skipped.flatMap((s) => (s.reason === 'missing_capability' ? s.missing : [])))];
  const tooLong = plan.skipped.filter((s) => s.reason === 'context_too_small' || s.reason === 'over_rate_window');
  // The prompt fits every window it was too long for: the answer budget is what does not.
  const budgetOnly =
    tooLong.length > 0 &&
    tooLong.every((s) => s.reason === 'context_too_small' && s.neededTokens - s.answerTokens < s.contextWindow);
  const length = budgetOnly ? ANSWER_BUDGET_HINT : tooLong.length ? CAUSE_HINTS.request : undefined;
  const capability = missing.length
    ? `use a model that has ${missing.join(' and ')} (\`llm-gateway models ${missing.map((c) => `-c ${c}`).join(' ')}\`), with -m or --allow-paid`
    : undefined;
  return [length, capability].filter(Boolean).join('; ') || CAUSE_HINTS.request;
}

/**
 * A tier blocked only because calls hold its tokens comes back when they end, not at the reset: a killed call's hold
 * within 15 minutes, or at once with `quota release`.
 */
function quotaHint(plan: RoutePlan): string {
  const held = plan.skipped.some((s) => s.reason === 'exhausted' && s.held !== undefined);
  if (!held) return CAUSE_HINTS.quota;
  return (
    'tokens are held by calls in flight or killed ones: they free themselves when those calls end (a killed ' +
    "call's within 15 minutes), or now with `llm-gateway quota release`; or allow paid models with --allow-paid"
  );
}

export function failureText(err: GatewayError): FailureText {
  const { message } = err;
  const failure: Failure = err.failure;
  switch (failure.code) {
    case 'invalid_input':
    case 'config':
    case 'interrupted':
    case 'upstream':
    case 'answer_cut':
    case 'answer_invalid':
      return { message, ...(err.hint === undefined ? {} : { hint: err.hint }) };
    case 'unknown_model': {
      const { nearest } = failure;
      const hint = nearest.length
        ? `did you mean ${nearest.map((id) => `"${id}"`).join(', ')}? \`llm-gateway models\` lists them all`
        : '`llm-gateway models` lists the models you can use';
      return { message, hint };
    }
    case 'broken_alias':
      return { message, hint: 'fix the alias in settings.json (`llm-gateway models` lists the ids)' };
    case 'model_not_served':
      return { message, hint: `it is served by ${failure.servedBy.join(', ')}` };
    case 'unknown_provider': {
      const known = `known providers: ${failure.known.join(', ')}`;
      return { message, hint: failure.nearest.length ? `did you mean ${failure.nearest.join(', ')}? ${known}` : known };
    }
    case 'unknown_scenario':
      return { message, hint: `known scenarios: ${failure.known.join(', ')}` };
    case 'no_models_listed':
      return {
        message,
        hint: 'fix that scenario in settings.json (`llm-gateway models` lists the ids), or name a model with -m',
      };
    case 'no_candidate_quota':
    case 'no_candidate_key':
    case 'no_candidate_config':
    case 'no_candidate_down':
    case 'no_candidate_request': {
      const { plan, causes } = failure;
      return {
        message: noCandidateMessage(plan, (skip) => skipText(skip, plan.at)),
        hint: causes
          .map((c) => (c === 'request' ? requestHint(plan) : c === 'quota' ? quotaHint(plan) : CAUSE_HINTS[c]))
          .join('; '),
      };
    }
    case 'all_failed_quota': {
      // An account billing wall is not waited out: say so rather than "wait for a reset".
      const billing = failure.fallbacks.filter((f) => f.code === 'billing').map((f) => f.provider);
      const settle = billing.length
        ? `settle the account with ${[...new Set(billing)].join(', ')} (a billing problem, not the key); `
        : '';
      return {
        message,
        hint: `${settle}wait for a reset or for the rate limit to pass (\`llm-gateway quota\`), or allow paid models with --allow-paid`,
      };
    }
    case 'all_failed_rate_limit': {
      const when =
        failure.retryAfterMs === undefined
          ? 'shortly'
          : `in about ${Math.max(1, Math.ceil(failure.retryAfterMs / 1000))} s`;
      return {
        message,
        hint: `a rate limit, not a used-up quota: it lifts ${when}; run it again then, or allow paid models with --allow-paid`,
      };
    }
    case 'all_failed_auth':
      return { message, hint: 'check the keys with `llm-gateway providers list`' };
    case 'all_failed_context':
      return { message, hint: CAUSE_HINTS.request };
    case 'all_failed':
      return { message };
  }
}
