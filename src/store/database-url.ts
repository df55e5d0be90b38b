// Which database holds the quota ledger, and how to name it without giving its password away. A URL in
// LLM_GATEWAY_DATABASE_URL wins over `database.url` in settings.json (0600, like keys.json); without either the
// ledger is ledger.db in the config directory. Every message, doctor line and log names the database through
// `describeDatabase`: user, host, port and database, never the password (nor any other query parameter's value).
export const DATABASE_URL_ENV = 'LLM_GATEWAY_DATABASE_URL';

/**
 * The shared database's URL, or undefined for the local ledger.db. An empty variable counts as unset; settings
 * (`fromSettings`: their `database.url`) are read only when the variable is not set.
 */
export function databaseUrlOf(env: NodeJS.ProcessEnv, fromSettings: () => string | undefined): string | undefined {
  const fromEnv = env[DATABASE_URL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return fromSettings();
}

/** Where the URL `databaseUrlOf` returns came from, as a hint names it: the variable, else settings. */
export function databaseUrlSource(env: NodeJS.ProcessEnv): string {
  const fromEnv = env[DATABASE_URL_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? DATABASE_URL_ENV : '`database.url` in settings.json';
}

/** The sslmode values the driver (pg) acts on; any other it would ignore silently. */
const SSL_MODES = ['disable', 'no-verify', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** Stands in for the empty host of a Unix-socket URL (`postgres://u:p@/db?host=/run/postgresql`), as pg does. */
const NO_HOST = 'llmgw-no-host';

/** `url` parsed, a socket URL's empty host included (WHATWG URL refuses it; pg accepts it); throws when not a URL. */
export function parseDatabaseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    return new URL(url.replace('@/', `@${NO_HOST}/`));
  }
}

/** The host the URL names: its own, else its `host` parameter (a socket directory), else localhost. */
function hostOf(parsed: URL): string {
  const own = parsed.hostname === NO_HOST ? '' : parsed.hostname;
  return own || parsed.searchParams.get('host') || 'localhost';
}

/** Why `url` cannot name a PostgreSQL database (said without quoting it), or undefined. */
export function databaseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = parseDatabaseUrl(url);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return `its scheme is ${parsed.protocol.slice(0, 20)} (only postgres:// and postgresql:// are supported)`;
  if ((parsed.hostname === '' || parsed.hostname === NO_HOST) && !parsed.searchParams.has('host'))
    return 'it names no host';
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) return `its sslmode is not one of ${SSL_MODES.join(', ')}`;
  return undefined;
}

/** The URL carries a password (in its user part or as `?password=`). */
export function databaseUrlHasPassword(url: string): boolean {
  try {
    const parsed = parseDatabaseUrl(url);
    return parsed.password !== '' || parsed.searchParams.has('password');
  } catch {
    return false;
  }
}

/** `postgres://user@host:port/db`: what a person needs to know which database is meant, and nothing secret. */
export function describeDatabase(url: string): string {
  try {
    const parsed = parseDatabaseUrl(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    const host = hostOf(parsed);
    const port = parsed.port ? `:${parsed.port}` : '';
    return `${parsed.protocol}//${user}${host}${port}${parsed.pathname}`;
  } catch {
    return 'the database URL (not a valid URL)';
  }
}

/** The host (and port) alone, for "cannot reach …". */
export function databaseHost(url: string): string {
  try {
    const parsed = parseDatabaseUrl(url);
    return `${hostOf(parsed)}:${parsed.port || '5432'}`;
  } catch {
    return 'the database host';
  }
}

/** `text` with the URL's password cut out wherever it occurs (a driver message may quote the URL or the password). */
export function withoutPassword(text: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(parseDatabaseUrl(url).password);
  } catch {
    // not a URL: there is no password to find
  }
  let out = text.split(url).join(describeDatabase(url));
  if (password.length > 0) out = out.split(password).join('****');
  return out;
}
