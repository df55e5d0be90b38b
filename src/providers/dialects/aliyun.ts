// Aliyun Model Studio (DashScope) error dialect, OpenAI-compatible mode: OpenAI's envelope with DashScope codes
// (https://help.aliyun.com/zh/model-studio/error-code; https://www.alibabacloud.com/help/en/model-studio/error-code):
//   429 limit_requests "You have exceeded your current request limit"   -> per-second/minute rate limit
//   429 Throttling.RateQuota / Throttling.BurstRate                      -> rate limit (resumes within a minute)
//   429 Throttling.AllocationQuota "Free allocated quota exceeded."      -> that model's free quota used up
//   403 AllocationQuota.FreeTierOnly "The free tier of the model has been exhausted…" -> that model's free tier
//       used up; the key and the other models stay usable
//   400 Arrearage "Access denied, please make sure your account is in good standing." -> account billing
//   400 InvalidParameter "Range of input length should be [1, 30720]"  -> context too long
// Model Studio limits each model separately per account, per minute and per second
// (https://www.alibabacloud.com/help/en/model-studio/rate-limiting-best-practices).
import type { Dialect } from './types.ts';

const ERRORS = 'https://help.aliyun.com/zh/model-studio/error-code';
const RATE = 'https://www.alibabacloud.com/help/en/model-studio/rate-limiting-best-practices';

export const aliyunDialect: Dialect = {
  id: 'aliyun',
  rules: [
    { source: ERRORS, code: 'AllocationQuota.FreeTierOnly', kind: 'quota' },
    { source: ERRORS, code: 'Arrearage', kind: 'billing' },
    { source: ERRORS, status: 429, code: 'Throttling.AllocationQuota', message: /free/i, kind: 'quota' },
    {
      source: RATE,
      status: 429,
      code: /^(limit_requests|Throttling(\.RateQuota|\.BurstRate|\.AllocationQuota)?)$/,
      kind: 'rate_limit',
      window: 'minute',
    },
    { source: ERRORS, status: 400, message: /range of input length/i, kind: 'context_length' },
  ],
};
