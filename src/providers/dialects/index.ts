// The dialect of each built-in provider, by provider id. A provider the user added speaks OpenAI's, unless it
// is reached over the Anthropic protocol.
import { aliyunDialect } from './aliyun.ts';
import { anthropicDialect } from './anthropic.ts';
import { geminiDialect } from './gemini.ts';
import { groqDialect } from './groq.ts';
import { moonshotDialect } from './moonshot.ts';
import { openaiDialect } from './openai.ts';
import { siliconflowDialect } from './siliconflow.ts';
import type { Dialect } from './types.ts';

const BUILT_IN: ReadonlyMap<string, Dialect> = new Map(
  [openaiDialect, anthropicDialect, groqDialect, moonshotDialect, siliconflowDialect, aliyunDialect, geminiDialect].map(
    (d) => [d.id, d],
  ),
);

export function dialectFor(providerId: string, protocol?: 'openai' | 'anthropic'): Dialect {
  return BUILT_IN.get(providerId) ?? (protocol === 'anthropic' ? anthropicDialect : openaiDialect);
}

export { classify } from './classify.ts';
export type { Classification, Dialect, ErrorSignal, RateWindow, Rule } from './types.ts';
