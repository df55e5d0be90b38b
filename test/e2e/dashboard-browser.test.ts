// serve's dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core. The page loads with a
// strict Content-Security-Policy and no error, asks for the access key (kept in session storage, never in a URL),
// shows the free quota, and a request made meanwhile by another client (node's fetch, as curl would) appears in
// the live list. A screenshot is saved outside the repository and its path printed.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { startServe, type Served } from '../helpers/serve.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A chat request from another client, as curl would send it. */
const ask = (agent: string) =>
  fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json', 'user-agent': agent },
    body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }),
  });

let s: Served;
let browser: BrowserContext;
before(async () => {
  s = await startServe({ keys: ['groq'] });
  // A fresh profile each run; headless: true passes --headless.
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'llmgw-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 1000 },
  });
});
after(async () => {
  await browser?.close();
  assert.equal(await s.stop(), 0);
});

test('the dashboard: key asked once, quota and chart shown, a request made elsewhere appears live; screenshot', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));

  // One request before the page is opened: it is in the chart and the list from the start.
  assert.equal((await ask('openai-node/4.0')).status, 200);
  const response = await page.goto(`${s.url}/ui`);
  assert.equal(response?.status(), 200);
  assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'none'; script-src 'self'/);
  await page.locator('#key').waitFor({ state: 'visible' });
  await page.locator('#key').fill(s.key);
  await page.locator('#login button').click();

  // The free quota of the keyed tier, and the chart's scale.
  await page.locator('#tiers tbody tr', { hasText: 'llama-3.1-8b-instant' }).waitFor();
  assert.match(await page.locator('#chart').innerText(), /┤[\s\S]*█/);
  assert.equal(await page.locator('#requests tbody tr').count(), 1);
  assert.equal(await page.locator('#health li').first().innerText(), 'every provider is available');

  // Another client asks meanwhile: its request appears in the live list.
  const answer = await ask('curl/8.5.0');
  assert.equal(answer.status, 200);
  const id = answer.headers.get('x-request-id');
  const row = page.locator(`#requests tbody tr[data-id="${id}"]`);
  await row.waitFor({ timeout: 60_000 });
  const text = await row.innerText();
  assert.match(text, /serve \/v1\/chat\/completions curl\/8\.5\.0/);
  assert.match(text, /llama-3\.1-8b-instant \(groq\)/);
  assert.match(text, /11\+3/);
  assert.match(text, /\bok\b/);
  // The quota shown follows: 28 tokens used of the tier now.
  await page.locator('#tiers tbody tr', { hasText: '28 / 1,000,000' }).waitFor();

  // The key lives in this tab's session storage only, and never travelled in a URL.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('llm-gateway-key')), s.key);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.ok(urls.length > 3, urls.join('\n'));
  for (const url of urls) assert.ok(!url.includes(s.key), `the key is in a URL: ${url}`);
  assert.deepEqual(problems, [], 'the page logged errors (a CSP violation shows here)');

  const shot = join(mkdtempSync(join(tmpdir(), 'llmgw-dashboard-')), 'dashboard.png');
  await page.screenshot({ path: shot, fullPage: true });
  process.stdout.write(`# dashboard screenshot: ${shot}\n`);
});

test('the dashboard asks again when the key is wrong, and its data routes refuse a request without one', async () => {
  const page = await browser.newPage();
  await page.goto(`${s.url}/ui`);
  await page.locator('#key').fill('not-the-key');
  await page.locator('#login button').click();
  await page.locator('#login-error', { hasText: 'that key was refused' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('llm-gateway-key')), null);
  for (const path of ['/ui/api/overview', '/ui/api/requests'])
    assert.equal((await fetch(`${s.url}${path}`)).status, 401, path);
});
