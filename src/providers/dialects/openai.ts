// OpenAI's error dialect, the default for every OpenAI-compatible provider a user adds. Its rules are also the
// common rules every other dialect falls back on, after its own: most vendors copy OpenAI's envelope
// `{"error": {"message", "type", "param", "code"}}` and many of its codes.
import { CONTEXT_PHRASES, contextCodeRules } from './context-length.ts';
import type { Dialect, Rule } from './types.ts';

const ERROR_CODES = 'https://platform.openai.com/docs/guides/error-codes';
const ANTHROPIC_ERRORS = 'https://docs.anthropic.com/en/api/errors';

export const COMMON_RULES: readonly Rule[] = [
  // 429 "You exceeded your current quota, please check your plan and billing details".
  { source: ERROR_CODES, code: 'insufficient_quota', kind: 'quota' },
  { source: ERROR_CODES, type: 'insufficient_quota', kind: 'quota' },
  // Anthropic's 402 billing_error; several OpenAI-compatible vendors answer 402 Payment Required the same way.
  { source: ANTHROPIC_ERRORS, status: 402, kind: 'billing' },
  { source: ANTHROPIC_ERRORS, type: 'billing_error', kind: 'billing' },
  // Balance walls sent as 400/403 (Anthropic "Your credit balance is too low…", anthropics/claude-code#4208;
  // SiliconFlow and Kimi "insufficient balance", docs.siliconflow.cn/faqs/error-code, kimi.com/help/kimi-api/api-error-codes).
  {
    source: 'https://github.com/anthropics/claude-code/issues/4208',
    status: [400, 402, 403],
    message:
      /credit balance is too low|insufficient (account )?balance|balance is (too low|insufficient|not enough)|account is in arrears|余额不足|欠费/i,
    kind: 'billing',
  },
  // Groq 400 code model_decommissioned "The model `x` has been decommissioned and is no longer supported"
  // (console.groq.com/docs/deprecations; seen in crewAIInc/crewAI#1976).
  { source: 'https://console.groq.com/docs/deprecations', code: 'model_decommissioned', kind: 'retired' },
  {
    source: 'https://console.groq.com/docs/deprecations',
    status: [400, 404, 410],
    message: /has been (decommissioned|deprecated|retired)|no longer (supported|available)/i,
    kind: 'retired',
  },
  { source: ERROR_CODES, code: 'model_not_found', kind: 'not_found' },
  // Context length as a class: OpenAI's code, then every phrase family (context-length.ts).
  ...contextCodeRules('openai'),
  {
    source: 'src/providers/dialects/context-length.ts',
    status: [400, 413, 422],
    message: CONTEXT_PHRASES,
    kind: 'context_length',
  },
  // 413 tied to a rate window (Groq "Request too large for model … on tokens per minute (TPM): Limit 6000,
  // Requested 6294", elizaOS/eliza#4040): the request can never fit that deployment's window; another can take it.
  {
    source: 'https://console.groq.com/docs/rate-limits',
    status: 413,
    message: /per (minute|day)|\b(TPM|TPD|RPM)\b|rate.?limit/i,
    kind: 'too_large',
  },
];

export const openaiDialect: Dialect = { id: 'openai', rules: [] };
