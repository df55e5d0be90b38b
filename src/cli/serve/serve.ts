// `llm-gateway serve`: the same gateway as a local OpenAI- and Anthropic-compatible HTTP server. Secure by default:
// loopback only (another address only with a key chosen on purpose), an access key on every route but /health,
// Host and Origin checked. The banner goes to stderr; the request log is the product, on stdout.
import { type AddressInfo, isIP } from 'node:net';
import { networkInterfaces, hostname } from 'node:os';
import { UsageError } from '../../core/errors.ts';
import { loadAccessKey, SERVER_KEY_ENV } from '../../server/access-key.ts';
import { addressLines, providerLines } from '../../server/banner.ts';
import { describeAgentFits, freeAgentFits } from '../../core/agent-fit.ts';
import { LOOPBACK_HOSTS } from '../../server/guard.ts';
import { createRequestLog } from '../../server/request-log.ts';
import { createGatewayServer } from '../../server/server.ts';
import type { Context } from '../common/context.ts';
import { ExitCode } from '../common/exit-codes.ts';
import { createOutput } from '../common/output.ts';
import { parsePositiveInt } from '../common/options.ts';
import { serverRuntimeOf } from './runtime.ts';
import { quotaView } from '../../runtime/quota-report.ts';
import { printQuota } from '../quota/quota.ts';

export interface ServeOptions {
  host: string;
  port: string;
  allowPaid?: boolean;
  corsOrigin: string[];
  quiet?: boolean;
  jsonLog?: boolean;
  maxConcurrent?: string;
  maxBody?: string;
  metricsPublic?: boolean;
}

/** How long SIGINT/SIGTERM/SIGHUP lets answers in flight finish. */
const DRAIN_MS = 10_000;

export async function serveCommand(context: Context, options: ServeOptions): Promise<void> {
  const port = parsePort(options.port);
  const host = options.host.trim();
  if (!host) throw new UsageError('--host needs an address', 'e.g. --host 127.0.0.1 (the default) or --host ::1');
  const corsOrigins = options.corsOrigin.map(parseOrigin);
  const maxConcurrent =
    options.maxConcurrent === undefined ? undefined : parsePositiveInt(options.maxConcurrent, '--max-concurrent');
  const bodyLimit = options.maxBody === undefined ? undefined : parsePositiveInt(options.maxBody, '--max-body');
  const key = loadAccessKey(context.runtime.env, context.runtime.paths.dir);
  if (key.readableByOthers !== undefined)
    context.out.note(
      `${context.out.errStyle.yellow('warning:')} ${key.path} can be read by other users (mode ${key.readableByOthers.toString(8)}), who can then use this server and its keys: run \`llm-gateway doctor --repair\` to make it 0600`,
    );
  if (!isLoopback(host) && key.source !== 'env') {
    throw new UsageError(
      `refusing to listen on ${host} with a generated key: anyone who can reach that address would only need the key`,
      `set ${SERVER_KEY_ENV} to a key you chose (and share it only with your clients), or keep the default --host 127.0.0.1`,
    );
  }

  if (options.metricsPublic && !isLoopback(host))
    throw new UsageError(
      `--metrics-public needs a loopback --host: on ${host} anyone who can reach it would read your usage`,
      'keep --host 127.0.0.1, or scrape /metrics with the access key (Authorization: Bearer …)',
    );
  const runtime = serverRuntimeOf(context.runtime);
  context.runtime.catalog(); // a broken settings file stops the start, with its own message, before anything listens
  const gateway = createGatewayServer({
    runtime,
    guard: { accessKey: key.key, allowedHosts: allowedHosts(host), corsOrigins: new Set(corsOrigins) },
    allowPaid: Boolean(options.allowPaid),
    log: createRequestLog((line) => void context.out.stdout.write(line), Boolean(options.jsonLog)),
    bodyLimit,
    limits: maxConcurrent ? { maxConcurrent } : undefined,
    metricsPublic: Boolean(options.metricsPublic),
  });
  let address: AddressInfo;
  try {
    address = await gateway.listen(port, host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot listen on ${host}:${port}: ${code ?? (err as Error).message}`,
      code === 'EADDRINUSE'
        ? 'another process uses that port: pick another with --port (0 picks a free one)'
        : 'pick another --host or --port',
    );
  }
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  // The signals are ours before the address is printed: a script that stops the server as soon as it reads
  // "serving on" must get the clean stop, not Node's default death (the banner goes on after that line).
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(ExitCode.interrupted); // a second Ctrl-C: leave now
      stopping = true;
      const open = gateway.limiter.active + gateway.limiter.queued;
      context.out.note(
        `${signal}: stopping${open ? `, letting ${open} answer(s) in flight finish (up to ${DRAIN_MS / 1000} s)` : ''}`,
      );
      void gateway.close(DRAIN_MS).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop); // the terminal it ran in closed: stop as cleanly as for SIGTERM
  });
  if (options.quiet)
    context.out.note(`llm-gateway serving on ${url}`); // the address is all --quiet keeps
  else await printBanner(context, url, key);
  await stopped;
}

async function printBanner(context: Context, url: string, key: ReturnType<typeof loadAccessKey>): Promise<void> {
  const out = context.out;
  const rt = context.runtime;
  for (const line of providerLines(
    rt.catalog(),
    (p) => rt.keyFor(p)?.source,
    (p) => rt.keyProblem(p),
  ))
    out.note(line);
  if (rt.catalog().freeTiers.size > 0) {
    out.note('\nfree quota:');
    // The same table as `quota`, on stderr: stdout carries the request log.
    await printQuota(
      createOutput(out.stderr, out.stderr, rt.env),
      quotaView(rt.catalog(), await rt.snapshot(), rt.keyedProviders(), rt.now()),
    );
  }
  // Agents (Claude Code, Codex) send ~25K-token prompts: say which free models can take one at all.
  const agentLines = describeAgentFits(freeAgentFits(rt.catalog(), rt.now()), rt.keyedProviders());
  if (agentLines.length) out.note(['', ...agentLines].join('\n'));
  out.note('');
  for (const line of addressLines(url, key)) out.note(line);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`, '0 picks a free port');
  return port;
}

function parseOrigin(value: string): string {
  const notOrigin = () =>
    new UsageError(
      `--cors-origin must be an origin such as http://localhost:3000 (scheme, host and port; no path), got "${value}"`,
    );
  if (!URL.canParse(value)) throw notOrigin();
  const url = new URL(value);
  // A browser's Origin never has a path, query or credentials: one given with them would match nothing, silently.
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if (!/^https?:$/.test(url.protocol) || url.origin === 'null' || !bare) throw notOrigin();
  return url.origin;
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** Loopback names always; the bound address; for a wildcard bind, every address of this machine and its name. */
function allowedHosts(host: string): Set<string> {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  const hosts = new Set([...LOOPBACK_HOSTS, name]);
  if (name === '0.0.0.0' || name === '::') {
    for (const list of Object.values(networkInterfaces()))
      for (const nic of list ?? []) hosts.add(nic.address.toLowerCase());
    hosts.add(hostname().toLowerCase());
  }
  return hosts;
}
