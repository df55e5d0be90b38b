// PostgreSQL killed mid-run under a `serve` (issue 18): calls in flight when it dies still answer, and their usage
// waits on the machine (pending-usage.jsonl); the next call is refused before it reaches the upstream, since
// nothing could reserve or record it; once the server is back, the next call replays what was kept — each call
// counted once, none lost, none twice. This test owns its cluster (it kills it), apart from the shared test server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../scripts/pg-cluster.mjs';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { runSql } from '../helpers/postgres.ts';
import { startServe, type Served } from '../helpers/serve.ts';

const REPORTED = { input: 11, output: 3 };

describe('PostgreSQL killed under a running serve', () => {
  let cluster: Cluster;
  let url: string;
  let fake: FakeUpstream;
  let served: Served;

  before(async () => {
    cluster = await startCluster();
    await runSql(cluster.url, 'CREATE DATABASE outage');
    const u = new URL(cluster.url);
    u.pathname = '/outage';
    url = u.toString();
    fake = await startFakeUpstream({ defaultStep: { stallMs: 1500, text: ['a', 'b', 'c'], usage: REPORTED } });
    served = await startServe({ fake, env: { LLM_GATEWAY_DATABASE_URL: url } });
  });
  after(async () => {
    await served?.stop();
    await fake?.close();
    cluster?.stop();
  });

  const ask = async (content: string) => {
    const res = await fetch(`${served.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama-3.1-8b-instant', max_tokens: 100, messages: [{ role: 'user', content }] }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
  };

  it('in flight: answered, usage kept; next: refused unsent; after the restart: all counted exactly once', async () => {
    assert.equal((await ask('before')).status, 200);
    const inFlight = Array.from({ length: 5 }, (_, i) => ask(`in flight ${i}`));
    while (fake.requests.length < 6) await new Promise((r) => setTimeout(r, 20)); // all five reserved and sent
    cluster.kill();
    const during = await Promise.all(inFlight);
    assert.deepEqual(
      during.map((r) => r.status),
      [200, 200, 200, 200, 200],
      'an answer already paid for is delivered',
    );
    const spool = join(served.home, 'pending-usage.jsonl');
    assert.equal(readFileSync(spool, 'utf8').trim().split('\n').length, 5, 'their usage waits on this machine');

    const next = await ask('while down');
    // The client is told to come back: the shared ledger cannot be reached (where, but never its password).
    assert.equal(next.status, 503, next.body);
    assert.equal(next.retryAfter, '5');
    const error = JSON.parse(next.body).error;
    assert.equal(error.code, 'ledger_unreachable');
    assert.match(
      error.message,
      new RegExp(`the shared ledger at 127\\.0\\.0\\.1:${new URL(url).port} cannot be reached`),
    );
    assert.doesNotMatch(next.body + served.stdout() + served.stderr(), new RegExp(cluster.password));
    assert.equal(fake.requests.length, 6, 'no call was made that could not be reserved and recorded');

    cluster.start();
    const back = await ask('after');
    assert.equal(back.status, 200, back.body);
    assert.equal(existsSync(spool), false, 'what was kept has been replayed');
    const [row] = await runSql(
      url,
      'SELECT count(*)::int AS calls, sum(input_tokens + output_tokens)::int AS tokens FROM usage',
    );
    assert.deepEqual(row, { calls: 7, tokens: 7 * (REPORTED.input + REPORTED.output) });
    const [held] = await runSql(url, 'SELECT count(*)::int AS n FROM reservations');
    assert.deepEqual(held, { n: 0 }, 'the replay settled the reservations the dead calls held');
    process.stderr.write(
      `# outage: before 200; in flight ${during.map((r) => r.status).join(',')} (usage kept, 5 lines); ` +
        `while down ${next.status}; after restart ${back.status}; ledger ${row!.calls} calls, ${row!.tokens} tokens\n`,
    );
  });
});
