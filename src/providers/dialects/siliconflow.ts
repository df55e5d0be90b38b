// SiliconFlow's error dialect: no OpenAI envelope. The body is `{"code":20012,"message":"Model does not exist.
// Please check it carefully.","data":null}` (https://docs.siliconflow.cn/faqs/error-code), read as it is
// (upstream-error.ts takes the fields from `error` or from the body itself).
//   400 20012   model does not exist                    -> unknown model
//   400 20015   prompt_tokens longer than max_seq_len   -> context too long (context-length.ts)
//   403         balance insufficient, or real-name check -> billing, else a refused key
//   429         "… RPM / RPD / TPM / TPD / IPM / IPD …"  -> rate limit of that window
//   503 / 504   system load                              -> server
import { contextCodeRules } from './context-length.ts';
import type { Dialect } from './types.ts';

const ERRORS = 'https://docs.siliconflow.cn/faqs/error-code';
const RATE_LIMITS = 'https://docs.siliconflow.cn/rate-limits/rate-limit-and-upgradation';

export const siliconflowDialect: Dialect = {
  id: 'siliconflow',
  rules: [
    { source: ERRORS, code: '20012', kind: 'not_found' },
    ...contextCodeRules('siliconflow'),
    { source: ERRORS, status: 403, message: /balance|余额/i, kind: 'billing' },
    { source: RATE_LIMITS, status: 429, message: /\b(TPD|RPD|IPD)\b/, kind: 'rate_limit', window: 'day' },
    // "Request was rejected due to rate limiting. Details: TPM limit reached." (AIDotNet/OpenDeepWiki#269)
    {
      source: RATE_LIMITS,
      status: 429,
      message: /rate limiting|\b(RPM|TPM|IPM)\b/,
      kind: 'rate_limit',
      window: 'minute',
    },
  ],
};
