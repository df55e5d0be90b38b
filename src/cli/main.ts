// The command table. Each command's code is imported only when it runs, so start-up pays for commander and this
// file alone. Every failure ends in the one catch at the bottom, which turns it into a message and an exit code.
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import packageJson from '../../package.json' with { type: 'json' };
import { PROTOCOL_NAMES } from '../core/types.ts';
import { refuseLossyArguments } from './argv-encoding.ts';
import { ExitCode, QuietExit } from './common/exit-codes.ts';
import { createContext, type Context } from './common/context.ts';
import { collect, collectEach } from './common/options.ts';
import { outputFailure } from './common/output-failure.ts';
import { reportFailure } from './common/report-failure.ts';

const EXIT_CODES = `
Exit codes:
  0    ok
  1    upstream failure after every fallback, a stream cut mid-answer, an answer not valid against --schema,
       output that could not be written, or a bug
  2    usage error: a bad flag or value, an unknown model, no prompt
  3    config or state error: a settings, key or ledger file that cannot be read (see \`llm-gateway doctor\`)
  4    authentication: no key, or the provider rejected it
  5    quota: no candidate has free quota left (and paid use is not allowed), or all are rate-limited
  130  interrupted`;

/**
 * Wraps a lazily imported command so it receives the context and commander's arguments, then its options (and
 * last the command object, which no command reads); the colour library (on a colour terminal only) loads alongside
 * the command's code. The compiler checks the arguments and options declared below against what the command's
 * function takes: a flag declared here but typed otherwise there fails the build.
 */
function run<Args extends unknown[]>(
  context: Context,
  load: () => Promise<(context: Context, ...args: Args) => unknown>,
) {
  return async (...args: Args): Promise<void> => {
    const [handler] = await Promise.all([load(), context.out.ready()]);
    await handler(context, ...args);
  };
}

/**
 * `--api-key` is no option (a key on the command line shows in `ps` and the shell history): commander would suggest
 * `--no-key`, and print `--api-key=<the key>` back. Point to the two ways a key is given, and never echo it.
 */
function withKeyFlagHint(text: string): string {
  if (!/^error: unknown option '--api-key(=|')/.test(text)) return text;
  return (
    "error: unknown option '--api-key'\n" +
    'hint: a key on the command line shows in `ps` and your shell history: give it with --api-key-file <path> (providers add also takes --api-key-stdin)\n'
  );
}

export function buildProgram(context: Context): Command {
  const program = new Command('llm-gateway')
    .description('Talk to many LLM providers from one command line: free quota first, every token tracked.')
    .version(packageJson.version, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => context.out.stdout.write(s),
      writeErr: (s) => context.out.stderr.write(s),
      outputError: (s, write) => write(withKeyFlagHint(s)),
    })
    .addHelpText('after', EXIT_CODES);

  program
    .command('chat [prompt...]')
    .description(
      'ask a model: a prompt argument, text piped on stdin (or both), or an interactive session on a terminal',
    )
    .option('-m, --model <model>', 'a model id, alias, provider:model, or auto (the route planner picks)')
    .option('--scenario <name>', 'default, code, reasoning, long_context, or one you defined')
    .option('-s, --system <text>', 'a system prompt')
    .option('--max-tokens <n>', 'the longest answer, in tokens')
    .option('--temperature <t>', 'sampling temperature, 0 to 2')
    .option('--no-stream', 'print the answer at once when it is complete')
    .option('--json', 'print one JSON object: text, model, provider, usage, fallbacks')
    .option('--allow-paid', 'allow paid models for this run (free ones still come first)')
    .option('--explain', 'print the route plan and make no call')
    .option('-c, --continue', 'continue the last conversation')
    .option('--cid <id>', 'continue (or start) the conversation with this id')
    .option('--no-log', 'store nothing of this exchange but its token usage')
    .option('-q, --quiet', 'no spinner and no closing line on stderr')
    .option(
      '--timeout <seconds>',
      'give up on a provider silent this long (default: 30 s to answer, 120 s between chunks)',
    )
    .option(
      '--api-key-file <path>',
      'a key for this run only, for the provider of -m (it wins over the environment and the stored key)',
    )
    .option(
      '-a, --attach <file|url>',
      'an image (PNG, JPEG, WebP, GIF) or image URL for a vision model, or a text file appended to the prompt (repeatable)',
      collectEach,
      [],
    )
    .option(
      '--schema <json|file>',
      'a JSON Schema the answer must follow: prints the JSON alone, after one repair attempt at most',
    )
    .action(run(context, async () => (await import('./chat/chat.ts')).chatCommand));

  program
    .command('models')
    .description('list the models you can use: context, price, capabilities and free-tier status')
    .option('-p, --provider <id>', 'only models this provider serves')
    .option('--free', 'only models with a free tier still running, or free of charge')
    .option('-c, --capability <name>', 'only models with this capability (repeatable)', collect, [])
    .option('--json', 'print JSON instead of a table')
    .action(run(context, async () => (await import('./models/models.ts')).modelsCommand));

  const quota = program
    .command('quota')
    .description('show the free quota left on every free tier')
    .option('--json', 'print JSON instead of a table')
    .action(run(context, async () => (await import('./quota/quota.ts')).quotaCommand));
  quota
    .command('reset <model>')
    .description('start a free tier over: what was used before now no longer counts')
    .option('-p, --provider <id>', 'the provider, when several serve the model with a free tier')
    .action(run(context, async () => (await import('./quota/quota-edit.ts')).quotaResetCommand));
  quota
    .command('release [model]')
    .description("free the tokens held by calls that are not running any more (a killed call's); usage stays")
    .option('-p, --provider <id>', 'the provider, when several serve the model with a free tier')
    .action(run(context, async () => (await import('./quota/quota-edit.ts')).quotaReleaseCommand));
  quota
    .command('set <model>')
    .description('register a free tier, or change what these flags say about an existing one')
    .option('-p, --provider <id>', 'the provider (needed when several serve the model)')
    .option('--tokens <n>', 'tokens allowed each period (needed for a new tier)')
    .addOption(
      new Option('--period <period>', 'how often it renews (new tiers: monthly)').choices([
        'daily',
        'weekly',
        'monthly',
      ] as const),
    )
    .option('--anchor <date>', 'the day the tier started (YYYY-MM-DD); windows count from it (new tiers: today)')
    .option('--expires <date>', "the first day it no longer applies (YYYY-MM-DD), or 'never'")
    .option(
      '--limit <name=n>',
      "one of the provider's windows: rpm=30, rpd=14400, tpm=6000, itpm=…, tokens/month=…, @rolling or @<time zone>, =none removes (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(run(context, async () => (await import('./quota/quota-edit.ts')).quotaSetCommand));

  program
    .command('ledger')
    .description("this machine's quota ledger and a shared one")
    .command('copy')
    .description(
      "copy this machine's ledger.db (usage, resets, cooldowns, requests) into a shared PostgreSQL ledger, once",
    )
    .option(
      '--to <url>',
      "the shared ledger, postgres://… (default: $LLM_GATEWAY_DATABASE_URL, else settings' database.url)",
    )
    .action(run(context, async () => (await import('./ledger/ledger-copy.ts')).ledgerCopyCommand));

  program
    .command('usage')
    .description('what you used and what it cost: tokens, calls, fallbacks and failures per day, model or provider')
    .option('--since <when>', 'the first day: a number of days back (7d, 30d; today included) or YYYY-MM-DD', '30d')
    .option('--until <day>', 'the last day, YYYY-MM-DD (default: today)')
    .addOption(new Option('--by <what>', 'one row per').choices(['day', 'model', 'provider'] as const).default('day'))
    .option('-m, --model <model>', 'only this model')
    .option('-p, --provider <id>', 'only this provider')
    .option('--json', 'print JSON instead of the chart and table')
    .option('--csv', 'print CSV, one line per row of the table')
    .action(run(context, async () => (await import('./usage/usage.ts')).usageCommand));

  program
    .command('log')
    .description('the last requests, from chat and serve: who answered, tokens, time taken, how it ended')
    .option('-n, --lines <n>', 'how many', '20')
    .option('-f, --follow', 'keep printing requests as they are logged, until interrupted')
    .option('--json', 'one JSON object per line')
    .option('--cid <id>', "only this conversation's requests")
    .option('--poll-ms <ms>', 'how often --follow looks for new requests', '500')
    .action(run(context, async () => (await import('./log/log.ts')).logCommand));

  const providers = program.command('providers').description('add, list and remove providers and their keys');
  providers
    .command('list', { isDefault: true })
    .description('list providers, their keys (masked) and where each key comes from')
    .option('--json', 'print JSON instead of a table')
    .action(run(context, async () => (await import('./providers/providers.ts')).providersListCommand));
  providers
    .command('add <name>')
    .description('add a provider, or store a key or base URL for a built-in one')
    .option('--base-url <url>', 'the API base URL (OpenAI-compatible ones usually end in /v1)')
    .addOption(new Option('--protocol <protocol>', 'the wire protocol it speaks').choices(PROTOCOL_NAMES))
    .option('--api-key-stdin', 'read the key from standard input')
    .option('--api-key-file <path>', 'read the key from a file')
    .option('--api-key-env <VAR>', 'do not store a key: read it from this environment variable at each run')
    .option('--no-key', 'it takes no key (a local server): send none, and use it without one')
    .option('--auth-header <name>', "send the key in this header instead of the protocol's own (e.g. api-key)")
    .option(
      '-m, --model <id>',
      'a model it serves; `id=upstream-id` when the upstream calls it otherwise (repeatable)',
      collect,
      [],
    )
    .option('--free', 'the --model models cost nothing to use')
    .option('--context <tokens>', 'context window of the --model models')
    .option(
      '--capability <name>',
      'what the --model models take, instead of the assumed text, tools, json (repeatable; e.g. vision)',
      collect,
      [],
    )
    .option('--no-stream-usage', 'do not ask it for usage in streams (for servers that reject stream_options)')
    .option('--replace', 'replace a provider you added before')
    .action(run(context, async () => (await import('./providers/providers-add.ts')).providersAddCommand));
  providers
    .command('remove <name>')
    .description(
      'remove a provider you added (or the stored key and overrides of a built-in one), and what in settings named only its models',
    )
    .option('--json', 'print what was removed as JSON')
    .action(run(context, async () => (await import('./providers/providers.ts')).providersRemoveCommand));

  program
    .command('migrate')
    .description(
      'import an api-gateway installation: keys from .env, free-tier state from data/quota.json, providers, models and scenarios from config.json',
    )
    .option('--from <dir>', 'the api-gateway directory (default: the current directory)')
    .option('--dry-run', 'print the report and write nothing')
    .option('--force', 'where the source and what you already have differ (a key, a tier, a URL), take the source')
    .option('--json', 'print the report as one JSON object')
    .action(run(context, async () => (await import('./migrate/migrate.ts')).migrateCommand));

  program
    .command('serve')
    .description(
      'run the gateway as a local OpenAI- (chat completions, Responses) and Anthropic-compatible HTTP server',
    )
    .option(
      '--host <address>',
      'the address to listen on; another than loopback needs LLM_GATEWAY_SERVER_KEY',
      '127.0.0.1',
    )
    .option('--port <n>', 'the port (0 picks a free one)', '4141')
    .option('--allow-paid', 'allow paid models (free ones still come first); a request can only narrow this')
    .option('--cors-origin <url>', 'let a web page from this origin call the server (repeatable)', collect, [])
    .option('-q, --quiet', 'no start-up banner')
    .option('--json-log', 'log each request as one JSON object per line')
    .option('--max-concurrent <n>', 'upstream calls at once; more wait briefly, then get 429 (default 64)')
    .option('--max-body <bytes>', 'the largest request body accepted (default 10485760)')
    .option('--metrics-public', 'serve GET /metrics without the access key (loopback addresses only)')
    .action(run(context, async () => (await import('./serve/serve.ts')).serveCommand));

  program
    .command('doctor')
    .description('check the config directory: file modes, settings, keys and ledger')
    .option('--repair', 'move broken files aside (kept, timestamped) and fix modes')
    .action(run(context, async () => (await import('./doctor/doctor.ts')).doctorCommand));

  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const context = createContext();
  try {
    return await runCommand(context, argv);
  } finally {
    closeLedgers(context);
  }
}

/**
 * Closes the ledgers this run opened. The last SQLite connection to close folds the WAL back into ledger.db and
 * removes it, so a backup that copies ledger.db alone, after any command, has everything (the process exits right
 * after this: without it the WAL stayed until some later command happened to checkpoint it). Nothing it raises
 * (a full disk refusing the checkpoint) changes how the run ended: the data is safe in the WAL.
 */
function closeLedgers(context: Context): void {
  try {
    context.runtime.close();
  } catch {
    // the WAL stays and SQLite replays it on the next open
  }
}

async function runCommand(context: Context, argv: string[]): Promise<number> {
  try {
    refuseLossyArguments(argv.slice(2));
    await buildProgram(context).parseAsync(argv);
    return (await outputFailure(context)) ?? ExitCode.ok;
  } catch (err) {
    if (err instanceof QuietExit) return (await outputFailure(context)) ?? err.exitCode;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      return ExitCode.usage; // commander already printed what was wrong
    }
    await context.out.ready(); // a failure before any command ran is coloured too
    return reportFailure(context, err);
  }
}
