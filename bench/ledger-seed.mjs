// Scripted use, written straight into a ledger: `rows` usage rows spread evenly over the `days` days before `now`
// (a year, or a month's window), across the built-in free tiers (what `quota` sums) and some paid calls (what it skips), plus the expired
// cooldowns such use leaves behind. The ledger itself is made by a build (its own schema), so this writes only rows
// every schema since m004 has — and, in a ledger that already keeps daily totals (m006), rebuilds them from the rows
// as that migration does. One transaction, so a million rows take seconds, not hours.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const DAY_MS = 86_400_000;
/** Built-in deployments with a free tier (`quota --json` lists them), and one paid deployment. */
const DEPLOYMENTS = [
  ['groq', 'llama-3.1-8b-instant', 'free-tier'],
  ['siliconflow', 'Qwen2.5-7B-Instruct', 'free-tier'],
  ['moonshot', 'moonshot-v1-8k', 'free-tier'],
  ['aliyun', 'qwen3-max-preview', 'free-tier'],
  ['openai', 'gpt-4o-mini', 'paid'],
];

export function seedLedger(path, rows, now, days = 365) {
  const db = new Database(path);
  try {
    const insert = db.prepare(
      `INSERT INTO usage (request_id, provider, model, tier_key, billing, input_tokens, output_tokens,
         reasoning_tokens, cache_read_tokens, cache_write_tokens, estimated, outcome, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?)`,
    );
    const cooldown = db.prepare(
      `INSERT OR REPLACE INTO cooldowns (provider, model, key_fp, endpoint_fp, kind, until, reason)
       VALUES (?, ?, ?, '', 'rate_limited', ?, 'seeded')`,
    );
    const start = now - days * DAY_MS;
    const step = (days * DAY_MS) / rows;
    db.transaction(() => {
      // `quota reset`, used to make the file, would hide every earlier row from the sums: undone here.
      db.prepare('DELETE FROM tier_resets').run();
      for (let i = 0; i < rows; i++) {
        const [provider, model, billing] = DEPLOYMENTS[i % DEPLOYMENTS.length];
        const tierKey = billing === 'paid' ? null : `${provider}:${model}`;
        const at = Math.floor(start + i * step);
        insert.run(
          `seed-${i}`,
          provider,
          model,
          tierKey,
          billing,
          20 + (i % 7),
          3 + (i % 5),
          i % 50 === 0 ? 1 : 0,
          i % 97 === 0 ? 'cut' : 'ok',
          at,
        );
        // Expired cooldowns, as rate limits and rotated keys leave them (one scope per key fingerprint).
        if (i % 200 === 0) cooldown.run(provider, model, (i / 200).toString(16).padStart(8, '0'), at + 60_000);
      }
      if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'usage_daily'").get()) {
        db.exec(`DELETE FROM usage_daily;
          INSERT INTO usage_daily
            SELECT coalesce(tier_key, ''), at - at % 86400000, provider, model, billing, outcome, count(*), sum(estimated),
                   sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cache_read_tokens), sum(cache_write_tokens)
            FROM usage GROUP BY 1, 2, 3, 4, 5, 6`);
      }
    })();
  } finally {
    db.close();
  }
}

/** Row counts of a ledger: detailed usage, daily totals (0 before m006), cooldowns. */
export function ledgerFacts(path) {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table) =>
      db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(table)
        ? db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()
        : 0;
    return { usage: count('usage'), daily: count('usage_daily'), cooldowns: count('cooldowns') };
  } finally {
    db.close();
  }
}
