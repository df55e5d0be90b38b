// The request log in the shared database (issue 18): two `serve` processes with their own config directories (two
// "hosts") and one PostgreSQL ledger. `log` and `usage` on either host show both hosts' requests, the same on each,
// and `log --follow` on one prints a request the other answers while it runs (polled with --poll-ms, not seconds).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { runCli, spawnBin } from '../helpers/cli.ts';
import { freshDatabase } from '../helpers/postgres.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; outcome: string; model: string | null });

describe('the request log shared by two hosts', () => {
  let url: string;
  let fake: FakeUpstream;
  let hosts: Served[];
  const env = () => ({ LLM_GATEWAY_DATABASE_URL: url });

  before(async () => {
    url = await freshDatabase();
    fake = await startFakeUpstream({ defaultStep: { text: ['a', 'b'], usage: { input: 11, output: 3 } } });
    hosts = await Promise.all([startServe({ fake, env: env() }), startServe({ fake, env: env() })]);
  });
  after(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await fake.close();
  });

  /** One answered request to `host`; resolves to its request id. */
  const ask = async (host: Served, content: string) => {
    const res = await fetch(`${host.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama-3.1-8b-instant', max_tokens: 50, messages: [{ role: 'user', content }] }),
    });
    assert.equal(res.status, 200, await res.text());
    return res.headers.get('x-request-id')!;
  };
  const log = async (home: string) => {
    const out = await runCli(['log', '--json', '-n', '50'], { home, env: env() });
    assert.equal(out.code, 0, out.stderr);
    return lines(out.stdout);
  };
  /** Until `read` shows `count` requests: serve writes its log a moment after it answers. */
  const settled = async <T>(read: () => Promise<T[]>, count: number) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = await read();
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('log and usage on either host list both hosts’ requests; log --follow sees the other host’s next one', async () => {
    const ids = [await ask(hosts[0]!, 'on host a'), await ask(hosts[1]!, 'on host b')];
    const onA = await settled(() => log(hosts[0]!.home), 2);
    const onB = await log(hosts[1]!.home);
    assert.deepEqual(
      onA.map((e) => e.id),
      ids,
      'host a lists its own request and host b’s, in order',
    );
    assert.deepEqual(onB, onA, 'host b lists the same');
    for (const host of hosts)
      assert.equal(existsSync(join(host.home, 'ledger.db')), false, 'nothing of it is kept in a local ledger.db');

    const usage = async (home: string) => {
      const out = await runCli(['usage', '--json', '--since', '7d'], { home, env: env() });
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout);
    };
    const [usageA, usageB] = [await usage(hosts[0]!.home), await usage(hosts[1]!.home)];
    assert.deepEqual(usageA, usageB);
    assert.equal(usageA.total.calls, 2);

    const follower = spawnBin(['log', '--follow', '--json', '--poll-ms', '20'], { ...hosts[0]!.env, ...env() }, [
      'ignore',
      'pipe',
      'pipe',
    ]);
    let out = '';
    follower.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
    try {
      await settled(async () => lines(out), 2);
      const later = await ask(hosts[1]!, 'later, on host b');
      const seen = await settled(async () => lines(out), 3);
      assert.deepEqual(
        seen.map((e) => e.id),
        [...ids, later],
      );
    } finally {
      follower.kill('SIGINT');
    }
    assert.equal(await new Promise((resolve) => follower.on('close', resolve)), 0);
  });
});
