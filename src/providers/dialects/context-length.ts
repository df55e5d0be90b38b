// "The prompt does not fit the model's window" as a class, not case by case: every phrasing the major SDKs, LiteLLM's
// exception mapping and the providers' own error pages use, grouped by family, plus a table of the numeric codes some
// providers send instead. A context-length error moves on to a candidate with a larger window; read as a plain bad
// request it would end the run. Each family names where its wording comes from.
import type { Rule } from './types.ts';

const LITELLM =
  'https://github.com/BerriAI/litellm/blob/main/litellm/litellm_core_utils/exception_mapping_utils.py (is_error_str_context_window_exceeded)';
const CREWAI = 'https://github.com/crewAIInc/crewAI (LLMContextLengthExceededException.CONTEXT_LIMIT_ERRORS)';

export interface PhraseFamily {
  /** What the family says, in one line. */
  family: string;
  pattern: RegExp;
  source: string;
  /** A message of this family as a provider sends it (test/unit/dialects-context.test.ts checks each). */
  sample: string;
}

export const CONTEXT_FAMILIES: readonly PhraseFamily[] = [
  {
    family: "the model's maximum context length",
    pattern:
      /maximum context (length|limit)|model'?s? (maximum )?context (length|limit)|longer than the model'?s context/i,
    source: `https://platform.openai.com/docs/guides/error-codes; ${LITELLM}`,
    sample: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.",
  },
  {
    family: 'context length / window exceeded',
    pattern: /context[ _.-]?(length|window)[ _]?(exceeded|full|exceeds)|context window|context.?length/i,
    source: `${CREWAI}; MiniMax "context window exceeds limit" (platform.minimaxi.com error code 2013)`,
    sample: 'context window exceeds limit',
  },
  {
    family: 'exceed(s) the context limit',
    pattern: /exceeds? (the )?context limit|exceeds? the available context size/i,
    source: `Anthropic's older 400 wording and llama.cpp's server, both listed in ${LITELLM}`,
    sample:
      'input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000, decrease input length or `max_tokens` and try again',
  },
  {
    family: 'the prompt / input is too long',
    pattern: /(prompt|input) is too long|input too long|input token length too long|request too long/i,
    source: `https://docs.anthropic.com/en/api/errors ("prompt is too long"); https://platform.moonshot.cn/docs/api/errors ("Input token length too long"); ${CREWAI}`,
    sample: 'Invalid request: Input token length too long',
  },
  {
    family: 'too many tokens / over the token limit',
    pattern:
      /too many (input )?tokens|exceeds? (the )?token limit|exceeded model token limit|input tokens exceed the configured limit|exceeds the maximum number of tokens allowed|input token count \(?\d*\)? ?exceeds the maximum/i,
    source: `${CREWAI}; https://platform.moonshot.cn/docs/api/errors ("exceeded model token limit"); Gemini "exceeds the maximum number of tokens allowed" (${LITELLM})`,
    sample: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
  },
  {
    family: 'the input length is out of range',
    pattern:
      /range of input length|maximum (input|prompt) length is|current length is \d+ while limit is|`?inputs`? tokens \+ `?max_new_tokens`? must be/i,
    source: `https://help.aliyun.com/zh/model-studio/error-code (DashScope "Range of input length"); Cerebras "Current length is X while limit is Y" and Hugging Face TGI (${LITELLM}); xAI "maximum prompt length is"`,
    sample: 'Please reduce the length of the messages or completion. Current length is 9000 while limit is 8192',
  },
  {
    family: "the prompt's tokens are over the sequence length",
    pattern: /prompt_tokens.{0,40}(max_seq_len|max_model_len)|maximum sequence length/i,
    source: 'SiliconFlow 400 {"code":20015} (https://wenku.csdn.net/answer/5r0ndbxt2j, quoting the API response); vLLM',
    sample: 'length of prompt_tokens (65878) must be less than max_seq_len (65536).',
  },
];

/** Any family: what the common rules test a 400 / 413 / 422 message against. */
export const CONTEXT_PHRASES = new RegExp(CONTEXT_FAMILIES.map((f) => f.pattern.source).join('|'), 'i');

/**
 * Numeric (or otherwise opaque) codes a provider sends for an over-long prompt, by provider id: the code alone
 * decides, whatever the message says.
 */
export const CONTEXT_CODES: Readonly<Record<string, readonly { code: string; source: string }[]>> = {
  openai: [{ code: 'context_length_exceeded', source: 'https://platform.openai.com/docs/guides/error-codes' }],
  siliconflow: [{ code: '20015', source: 'https://wenku.csdn.net/answer/5r0ndbxt2j (SiliconFlow 400 code 20015)' }],
};

/** A provider's context codes as dialect rules. */
export function contextCodeRules(provider: string): Rule[] {
  return (CONTEXT_CODES[provider] ?? []).map(({ code, source }) => ({ source, code, kind: 'context_length' }));
}
