// One of many processes hammering the same ledger (see test/e2e/ledger-concurrency.test.ts). It says "ready" once
// loaded and waits for "go" on stdin before opening the ledger, so every process opens (and, on a new path, creates
// and migrates) and writes at the same moment: the contention is real, not staggered by start-up times.
// It prints one JSON line with what it did.
//   record <db> <id>       20 plain settles, 20 reserve+settle pairs, and each settle once more (must not count)
//   race   <db> <id>       20 tries to reserve 7 tokens from a 100-token tier, never settling
//   hold   <db> <id>       reserve 500 tokens for one minute, then wait to be killed
import { createInterface } from 'node:readline';
import { openLedger } from '../../src/store/ledger.ts';
import { RACE, RECORDS, reservation, T0, usage } from './ledger-fixtures.ts';

const [mode, dbPath, id] = process.argv.slice(2);
if (!mode || !dbPath || !id) throw new Error('usage: ledger-worker <record|race|hold> <db> <id>');

process.stdout.write('ready\n');
const stdin = createInterface({ input: process.stdin });
await new Promise((resolve) => stdin.once('line', resolve));
stdin.close();
const ledgerFile = openLedger(dbPath);
const ledger = ledgerFile.quota;

const result = { id, reserved: 0, refused: 0 };
if (mode === 'record') {
  for (let i = 0; i < RECORDS; i++) {
    ledger.settle(usage(`${id}-u${i}`));
    const ok = ledger.reserve(reservation(`${id}-r${i}`, { tokens: 50, limit: Number.MAX_SAFE_INTEGER }));
    if (!ok) throw new Error('an unlimited reservation was refused');
    result.reserved++;
    ledger.settle(usage(`${id}-r${i}`));
  }
  for (let i = 0; i < RECORDS; i++) ledger.settle(usage(`${id}-u${i}`, { inputTokens: 1000 }));
} else if (mode === 'race') {
  for (let i = 0; i < RACE.attempts; i++) {
    if (ledger.reserve(reservation(`${id}-r${i}`, { tokens: RACE.tokens, limit: RACE.limit }))) result.reserved++;
    else result.refused++;
  }
} else if (mode === 'hold') {
  ledger.reserve(reservation(`${id}-held`, { tokens: 500, now: T0, expiresAt: T0 + 60_000 }));
  process.stdout.write('held\n');
  await new Promise(() => setInterval(() => {}, 1000)); // until SIGKILL
} else {
  throw new Error(`unknown mode ${mode}`);
}
ledgerFile.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
