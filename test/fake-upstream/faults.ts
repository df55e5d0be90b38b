// Error answers in each provider's real shape. The defaults copy what the providers actually send, so the
// adapters' classifier is tested against realistic bodies rather than against our own assumptions.
//   OpenAI:    { "error": { "message", "type", "param", "code" } }
//   Anthropic: { "type": "error", "error": { "type", "message" } }

import type { FaultName, Step, WireFormat } from './types.ts';

interface FaultDefaults {
  status: number;
  headers?: Record<string, string>;
  openai: { type: string; code: string | null; message: string };
  anthropic: { type: string; message: string };
}

const FAULTS: Record<FaultName, FaultDefaults> = {
  rate_limit: {
    status: 429,
    headers: { 'retry-after': '2' },
    openai: {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3.',
    },
    anthropic: {
      type: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit.',
    },
  },
  insufficient_quota: {
    status: 429,
    openai: {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      message: 'You exceeded your current quota, please check your plan and billing details.',
    },
    anthropic: { type: 'rate_limit_error', message: 'Your credit balance is too low; free tier quota exhausted.' },
  },
  unauthorized: {
    status: 401,
    openai: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
    anthropic: { type: 'authentication_error', message: 'invalid x-api-key' },
  },
  forbidden: {
    status: 403,
    openai: {
      type: 'invalid_request_error',
      code: 'unsupported_country_region_territory',
      message: 'Country, region, or territory not supported',
    },
    anthropic: {
      type: 'permission_error',
      message: 'Your API key does not have permission to use the specified resource.',
    },
  },
  not_found: {
    status: 404,
    openai: {
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: 'The model `nope` does not exist or you do not have access to it.',
    },
    anthropic: { type: 'not_found_error', message: 'model: nope' },
  },
  context_length: {
    status: 400,
    openai: {
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.",
    },
    anthropic: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
  },
  bad_request: {
    status: 400,
    openai: {
      type: 'invalid_request_error',
      code: null,
      message: "Invalid value for 'temperature': must be between 0 and 2.",
    },
    anthropic: { type: 'invalid_request_error', message: 'temperature: range: 0..1' },
  },
  server_error: {
    status: 500,
    openai: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
    anthropic: { type: 'api_error', message: 'Internal server error' },
  },
  bad_gateway: {
    status: 502,
    openai: { type: 'server_error', code: null, message: 'Bad gateway.' },
    anthropic: { type: 'api_error', message: 'Bad gateway' },
  },
  unavailable: {
    status: 503,
    openai: {
      type: 'server_error',
      code: null,
      message: 'The engine is currently overloaded, please try again later.',
    },
    anthropic: { type: 'api_error', message: 'Service unavailable' },
  },
  gateway_timeout: {
    status: 504,
    openai: { type: 'server_error', code: null, message: 'Gateway timeout.' },
    anthropic: { type: 'timeout_error', message: 'Gateway timeout' },
  },
  overloaded: {
    status: 529,
    openai: { type: 'server_error', code: 'overloaded', message: 'Overloaded' },
    anthropic: { type: 'overloaded_error', message: 'Overloaded' },
  },
};

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** True when the step answers with an error instead of a completion. */
export function isErrorStep(step: Step): boolean {
  return step.fault !== undefined || step.rawBody !== undefined || (step.status !== undefined && step.status >= 300);
}

/** Status, headers and body text of an error step, shaped for the wire format. */
export function renderError(
  step: Step,
  format: WireFormat,
): { status: number; headers: Record<string, string>; body: string } {
  const preset = step.fault ? FAULTS[step.fault] : undefined;
  if (step.fault && !preset) throw new Error(`fake-upstream: unknown fault ${JSON.stringify(step.fault)}`);
  const status = step.status ?? preset?.status ?? 500;
  const headers = { ...preset?.headers, ...step.headers };
  if (step.rawBody !== undefined) return { status, headers, body: step.rawBody };
  return { status, headers, body: JSON.stringify(errorBody(format, status, preset, step)) };
}

/** The body of an error, also used for error events inside a 200 stream. */
export function errorBody(
  format: WireFormat,
  status: number,
  preset: FaultDefaults | undefined,
  step: Pick<Step, 'error'>,
) {
  const e = step.error ?? {};
  if (format === 'openai') {
    const d = preset?.openai ?? {
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code: null,
      message: `status ${status}`,
    };
    return {
      error: {
        message: e.message ?? d.message,
        type: e.type ?? d.type,
        param: null,
        code: e.code !== undefined ? e.code : d.code,
      },
    };
  }
  const d = preset?.anthropic ?? {
    type: status >= 500 ? 'api_error' : 'invalid_request_error',
    message: `status ${status}`,
  };
  return { type: 'error', error: { type: e.type ?? d.type, message: e.message ?? d.message } };
}
