// A reader that stops reading chat's stdout (issue 21, point 5: a paused pipe once held a 210 MB answer in memory).
// chat writes no faster than stdout drains, and reads the upstream no faster than it writes, so while nobody reads,
// the fake upstream's writes stall: asserted on the bytes the upstream got out, not on time. Once the reader
// resumes, the whole answer arrives, in order.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';
import { spawnBin } from '../helpers/cli.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const CHUNKS = 30_000;
const PIECE = `${'x'.repeat(1999)}\n`;
const ANSWER_BYTES = CHUNKS * PIECE.length; // 60 MB
/** Socket buffers on both ends (loopback autotunes to a few MB each), the pipe and one read: far below the answer. */
const BOUND = 24 * 1024 * 1024;

/** Resident memory of a process in bytes, from /proc (Linux); undefined elsewhere. */
function rss(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

test('a paused stdout reader stalls the upstream; resumed, the whole answer arrives', {
  timeout: 300_000,
}, async (t) => {
  const s = await e2e.scenario({ keys: ['groq'] });
  s.fake.script({ text: Array(CHUNKS).fill(PIECE), usage: { input: 11, output: 900 } });
  const child = spawnBin(['chat', '--no-log', '-m', `groq:${LLAMA}`, 'hi'], s.env);
  child.stdin!.end(); // no material on stdin: the prompt is the argument
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => {
    stderr += d;
  });
  // Nobody reads stdout: no 'data' listener, the stream paused.
  child.stdout!.pause();

  // Wait until the upstream has sent something and then stopped moving: ten looks in a row with no new byte.
  let last = -1;
  let still = 0;
  for (let looks = 0; looks < 600 && still < 10; looks++) {
    await sleep(100);
    const sent = s.fake.requests.find((r) => r.format)?.sentBytes ?? 0;
    still = sent > 0 && sent === last ? still + 1 : 0;
    last = sent;
  }
  assert.equal(still, 10, `the upstream never stalled (sent ${last} of ${ANSWER_BYTES} bytes); stderr: ${stderr}`);
  assert.ok(last < BOUND, `the upstream sent ${last} bytes with nobody reading (bound ${BOUND})`);
  const resident = rss(child.pid!);
  t.diagnostic(`upstream stalled at ${last} of ${ANSWER_BYTES} bytes; chat resident: ${resident ?? 'unknown'} bytes`);
  if (resident !== undefined) assert.ok(resident < 200 * 1024 * 1024, `chat holds ${resident} bytes resident`);

  const parts: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => parts.push(d));
  child.stdout!.resume();
  assert.equal(await exited, 0, stderr);
  const out = Buffer.concat(parts);
  assert.equal(out.length, ANSWER_BYTES);
  assert.ok(out.subarray(0, PIECE.length).equals(Buffer.from(PIECE)));
  assert.ok((s.fake.requests.find((r) => r.format)?.sentBytes ?? 0) > ANSWER_BYTES, 'the upstream sent it all');
});
