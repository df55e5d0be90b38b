// Why the router passed a model over, in the terminal's words: the core's plain detail plus the fix a CLI user
// can apply (a flag, an environment variable, a command). `--explain` and the "no model can take this request"
// error both print these lines.
import { because, when } from '../../core/router-detail.ts';
import type { Skip } from '../../core/types.ts';

/** `at`: the moment the plan was made (RoutePlan.at), which its "in 3h 5m" counts from. */
export function skipText(skip: Skip, at: number): string {
  switch (skip.reason) {
    case 'no_key':
      return skip.configured
        ? `no key: ${keyHint(skip.provider, skip.keyEnv)}`
        : `provider "${skip.provider}" is not configured: run \`llm-gateway providers add ${skip.provider}\``;
    case 'key_invalid': {
      const { variable } = skip.keyProblem;
      const fix = variable
        ? `set it again, e.g. export ${variable}="$(cat key.txt)", or unset it`
        : `store it again with \`llm-gateway providers add ${skip.provider}\``;
      return `${skip.detail}; ${fix}`;
    }
    case 'endpoint_invalid':
      return `${skip.detail}: set it to the API's base URL (e.g. https://api.example.com/v1), or unset it`;
    case 'key_rejected':
      return (
        `${skip.providerName} rejected the key${because(skip.cooldownReason)}; ${keyHint(skip.provider, skip.keyEnv)}` +
        ` (otherwise retried after ${when(skip.until, at)})`
      );
    case 'exhausted':
    case 'expired':
      return skip.payable ? `${skip.detail}; pass --allow-paid to use it at its paid price` : skip.detail;
    case 'paid_not_allowed':
      return `${skip.detail}; pass --allow-paid or set allowPaid`;
    case 'cooling_down':
    case 'context_too_small':
    case 'missing_capability':
      return skip.detail;
    case 'over_rate_window':
      return `${skip.detail}; lower --max-tokens or shorten the input`;
  }
}

/** How to give a provider a key: its environment variable(s) or the providers command. */
export function keyHint(provider: string, keyEnv: readonly string[]): string {
  const [first, ...others] = keyEnv;
  const env = first ? `set ${first}${others.length ? ` (or ${others.join(', ')})` : ''} or ` : '';
  return `${env}run \`llm-gateway providers add ${provider}\``;
}
