// Moonshot (Kimi) error dialect: OpenAI's envelope with Moonshot's own types
// (https://platform.moonshot.cn/docs/api/errors; kimi.com/help/kimi-api/api-error-codes):
//   400 invalid_request_error  "Your request exceeded model token limit: 8192"     -> context too long
//   429 rate_limit_reached_error "… request reached organization max RPM: 3, please try again after 1 seconds"
//   429 rate_limit_reached_error "request reached organization TPD rate limit, current: 1501880, limit: 1500000"
//   429 exceeded_current_quota_error "Your account … is suspended, please check your plan and billing details"
//   429 engine_overloaded_error "The engine is currently overloaded, please try again later"
//   403 "insufficient balance" (account balance depleted)
import type { Dialect } from './types.ts';

const ERRORS = 'https://platform.moonshot.cn/docs/api/errors';

export const moonshotDialect: Dialect = {
  id: 'moonshot',
  rules: [
    { source: ERRORS, status: 400, message: /exceeded model token limit/i, kind: 'context_length' },
    { source: ERRORS, status: 429, type: 'exceeded_current_quota_error', kind: 'billing' },
    { source: ERRORS, status: 429, type: 'engine_overloaded_error', kind: 'server' },
    // The TPD limit is the organisation's tokens per day (techrounder.com "kimi 429 rate_limit_reached_error TPD").
    { source: ERRORS, status: 429, message: /\b(TPD|RPD)\b|per day/i, kind: 'rate_limit', window: 'day' },
    { source: ERRORS, status: 429, type: 'rate_limit_reached_error', kind: 'rate_limit', window: 'minute' },
    {
      source: 'https://www.kimi.com/help/kimi-api/api-error-codes',
      status: 403,
      message: /balance|billing|arrear/i,
      kind: 'billing',
    },
  ],
};
