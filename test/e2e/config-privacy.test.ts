// The config directory is trusted only when it is private (issue 9.4). With a world-writable directory another local
// user replaced settings.json and the victim's next `chat` sent its Groq key to the attacker's base URL. Settings and
// keys are now read only from a directory and files that are ours and that nobody else can write; doctor reports
// the rest and --repair fixes what a mode change can fix. The real binary in a subprocess.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const KEY = 'gsk-CANARY-privacy-4c1d9e7a2b';
const ROOT = process.getuid?.() === 0;
const OTHER_UID = 65534; // nobody
const fakes: FakeUpstream[] = [];
after(() => Promise.all(fakes.map((f) => f.close())));

const mode = (path: string) => statSync(path).mode & 0o777;

/** A config directory as the attacker left it: settings.json pointing groq at their server. */
async function planted(): Promise<{ home: string; attacker: FakeUpstream }> {
  const attacker = await startFakeUpstream({ steps: [{ text: ['stolen'] }] });
  fakes.push(attacker);
  const home = tempHome();
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({ providers: { groq: { baseUrl: attacker.openaiBaseUrl } } }),
    { mode: 0o600 },
  );
  return { home, attacker };
}

const chat = (home: string) =>
  runCli(['chat', '-m', 'groq:llama-3.1-8b-instant', 'hi'], { home, env: { GROQ_API_KEY: KEY } });

test('a world-writable config dir let another user redirect chat and take the Groq key: refused with exit 3, nothing sent', async () => {
  const { home, attacker } = await planted();
  chmodSync(home, 0o777);
  const r = await chat(home);
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`refusing to read settings or keys: ${home} can be written by other users \\(mode 777\\)`),
  );
  assert.match(r.stderr, /llm-gateway doctor --repair/);
  assert.equal(attacker.requests.length, 0, 'the key went nowhere');
  assert.ok(!(r.stdout + r.stderr).includes(KEY));

  // Edits are refused too: a key must not be stored where others can replace the files around it.
  const add = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: KEY });
  assert.equal(add.code, 3, add.stderr);
  assert.match(add.stderr, /can be written by other users/);
});

test('a group-writable settings.json is refused by every command that reads it, naming the file', async () => {
  const { home, attacker } = await planted();
  const settings = join(home, 'settings.json');
  chmodSync(settings, 0o620);
  for (const args of [['models', '--json'], ['quota'], ['providers', 'list']]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${settings} can be written by other users \\(mode 620\\)`));
  }
  assert.equal((await chat(home)).code, 3);
  assert.equal(attacker.requests.length, 0);
});

test('settings.json owned by another user is refused (doctor --repair cannot change an owner, and says so)', {
  skip: !ROOT && 'only root can give a file to another user',
}, async () => {
  const { home, attacker } = await planted();
  const settings = join(home, 'settings.json');
  chownSync(settings, OTHER_UID, OTHER_UID);
  const r = await chat(home);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${settings} belongs to uid ${OTHER_UID}, not to you \\(uid 0\\)`));
  assert.equal(attacker.requests.length, 0);

  const check = await runCli(['doctor'], { home });
  assert.equal(check.code, 3);
  assert.match(check.stdout, new RegExp(`broken +${settings}: belongs to uid ${OTHER_UID}`));
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 3, 'an owner it cannot change is still a problem');
  assert.match(repair.stdout, /cannot repair: .*owner/);
  assert.equal(statSync(settings).uid, OTHER_UID);
});

test('as root, a config dir another user owns is refused, not read (as ssh does)', {
  skip: !ROOT && 'needs root',
}, async () => {
  const { home, attacker } = await planted();
  chownSync(home, OTHER_UID, OTHER_UID);
  const r = await chat(home);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${home} belongs to uid ${OTHER_UID}, not to you \\(uid 0\\)`));
  assert.match(r.stderr, /as root, llm-gateway reads only files root owns/);
  assert.equal(attacker.requests.length, 0);
});

test('a keys.json others can read: one warning on stderr, and the command works', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'keys.json'), JSON.stringify({ keys: { groq: KEY } }), { mode: 0o644 });
  chmodSync(join(home, 'keys.json'), 0o644);
  const r = await runCli(['providers', 'list'], { home });
  assert.equal(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((line) => line.includes('can be read by other users'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(
    warnings[0]!,
    new RegExp(`warning: ${join(home, 'keys.json')} can be read by other users \\(mode 644\\).*doctor --repair`),
  );
  assert.ok(!r.stderr.includes(KEY));
});

test('doctor finds a world-writable config dir; --repair makes it 0700 and the next chat goes where it should', async () => {
  const fake = await startFakeUpstream({ steps: [{ text: ['hello'] }] });
  fakes.push(fake);
  const home = tempHome();
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ providers: { groq: { baseUrl: fake.openaiBaseUrl } } }), {
    mode: 0o600,
  });
  chmodSync(home, 0o777);
  const check = await runCli(['doctor'], { home });
  assert.equal(check.code, 3);
  assert.match(check.stdout, new RegExp(`broken +${home}: directory mode is 777, others can write to it`));
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 0, repair.stdout + repair.stderr);
  assert.match(repair.stdout, /repaired .*\n +mode set to 700/);
  assert.equal(mode(home), 0o700);
  const r = await chat(home);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello\n');
});

test('doctor --repair chmodded a regular file given as the config dir to 0700 and called it repaired: now "not a directory", exit 3', async () => {
  const file = join(tempHome(), 'not-a-dir');
  writeFileSync(file, 'some file of the user\n', { mode: 0o644 });
  chmodSync(file, 0o644);
  for (const args of [['doctor'], ['doctor', '--repair']]) {
    const r = await runCli(args, { home: file });
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, new RegExp(`${file}:? is not a directory`));
    assert.doesNotMatch(r.stdout, /repaired/);
  }
  assert.equal(mode(file), 0o644, 'the file was not touched');
  assert.equal(readFileSync(file, 'utf8'), 'some file of the user\n');
  const models = await runCli(['models', '--json'], { home: file });
  assert.equal(models.code, 3);
  assert.match(models.stderr, /is not a directory/);
});

test('a private config dir inside a world-writable sticky /tmp is fine (only the config dir itself is checked)', async () => {
  const parent = tempHome();
  chmodSync(parent, 0o1777);
  const home = join(parent, 'gateway');
  mkdirSync(home, { mode: 0o700 });
  const add = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: KEY });
  assert.equal(add.code, 0, add.stderr);
  const list = await runCli(['providers', 'list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stderr, '');
  assert.equal(mode(dirname(join(home, 'keys.json'))), 0o700);
});
