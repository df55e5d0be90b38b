// One of several processes booking one free tier on a shared PostgreSQL ledger (test/postgres-ledger.test.ts), each
// with its own pool, as separate hosts would be. It says "ready" once loaded and waits for "go", so the processes
// contend at the same moment; then it makes all its reservation attempts at once and prints one JSON line.
//   race <url> <id>   RACE.attempts concurrent tries to reserve RACE.tokens of a RACE.limit-token tier
import { createInterface } from 'node:readline';
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { RACE, reservation } from './ledger-fixtures.ts';

const [mode, url, id] = process.argv.slice(2);
if (mode !== 'race' || !url || !id) throw new Error('usage: pg-ledger-worker race <url> <id>');
const ledger = await openPgQuota(url);
process.stdout.write('ready\n');
const stdin = createInterface({ input: process.stdin });
await new Promise((resolve) => stdin.once('line', resolve));
stdin.close();
const tries = Array.from({ length: RACE.attempts }, (_, i) =>
  ledger.reserve(reservation(`${id}-r${i}`, { tokens: RACE.tokens, limit: RACE.limit })),
);
const won = (await Promise.all(tries)).filter(Boolean).length;
await ledger.close();
process.stdout.write(`${JSON.stringify({ id, reserved: won, refused: RACE.attempts - won })}\n`);
