// Context-length errors as a class (src/providers/dialects/context-length.ts): every phrase family's sample is read as
// a prompt too long by every dialect, a provider's numeric code decides by itself, and the wordings of other errors
// that share words with them (a 413 on a rate window, a rate limit naming tokens, a parameter too long) are not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classify, dialectFor } from '../../src/providers/dialects/index.ts';
import { CONTEXT_FAMILIES } from '../../src/providers/dialects/context-length.ts';

const read = (provider: string, status: number, message: string, code?: string) =>
  classify(dialectFor(provider), { status, message, code, header: () => undefined }, 0).kind;

describe('context length as a class', () => {
  for (const family of CONTEXT_FAMILIES) {
    test(`${family.family}: read as context_length by every dialect`, () => {
      assert.ok(family.source, 'each family names where its wording comes from');
      for (const provider of ['openai', 'anthropic', 'groq', 'moonshot', 'siliconflow', 'aliyun', 'a-custom-one']) {
        assert.equal(read(provider, 400, family.sample), 'context_length', `${provider}: ${family.sample}`);
      }
    });
  }

  test("SiliconFlow's code 20015 decides alone, whatever the message; another provider's 20015 does not", () => {
    assert.equal(read('siliconflow', 400, 'request rejected', '20015'), 'context_length');
    assert.equal(read('openai', 400, 'request rejected', '20015'), 'bad_request');
  });

  test('wordings that share words with a context error are not one', () => {
    // Groq's 413 on its per-minute window (elizaOS/eliza#4040): too large for that deployment only.
    const tpm =
      'Request too large for model `llama-3.1-8b-instant` in organization `org_x` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested 6294, please reduce your message size and try again.';
    assert.equal(read('groq', 413, tpm), 'too_large');
    // OpenAI's check of the `user` field (LiteLLM excludes it for the same reason).
    assert.equal(
      read('openai', 400, "Invalid 'user': string too long. Expected a string with maximum length 64"),
      'bad_request',
    );
    // A rate limit that counts tokens.
    assert.equal(
      read('groq', 429, 'Rate limit reached for model `m` on tokens per minute (TPM): Limit 6000'),
      'rate_limit',
    );
  });
});
