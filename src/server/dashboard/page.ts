// The dashboard at /ui: one static page, its stylesheet and its script, written by hand — no build step, nothing
// fetched from elsewhere (the machine may be offline), no inline script or style, so the Content-Security-Policy can
// allow only this origin. The page holds no data: it asks for the access key once, keeps it in sessionStorage
// (gone when the tab closes; never in a URL, where logs and history would keep it), and reads the key-protected
// /ui/api/ routes with it in the Authorization header. Every value is set as text (textContent), never as HTML.

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llm-gateway</title>
<link rel="stylesheet" href="/ui/app.css">
<script src="/ui/app.js" defer></script>
</head>
<body>
<header><h1>llm-gateway</h1><span id="status"></span></header>
<form id="login" hidden>
  <label for="key">Access key (<code>llm-gateway serve</code> printed how to read it)</label>
  <input id="key" type="password" autocomplete="off" required>
  <button type="submit">Open</button>
  <p id="login-error" class="bad"></p>
</form>
<main id="board" hidden>
  <section><h2>Free quota</h2><table id="tiers"><thead><tr><th>model</th><th>provider</th><th>used</th><th></th><th>left</th><th>resets</th><th>state</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Provider health</h2><ul id="health"></ul></section>
  <section><h2>Tokens per day</h2><pre id="chart"></pre><p id="usage-total"></p></section>
  <section><h2>Last requests <small>(live)</small></h2><table id="requests"><thead><tr><th>time</th><th>from</th><th>model</th><th>tokens</th><th>ms</th><th>outcome</th><th>fallbacks</th></tr></thead><tbody></tbody></table></section>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5em 2em; color: #222; }
header { display: flex; gap: 1em; align-items: baseline; }
h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .15em .8em .15em 0; white-space: nowrap; }
th { font-weight: 600; color: #555; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 10em; height: .8em; background: #e4e4e4; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #2e8b57; }
.bad { color: #b22; } .warn { color: #a60; } .ok { color: #2e8b57; }
pre { font: 12px/1.15 ui-monospace, monospace; } .free { color: #2e8b57; } .paid { color: #a60; }
#requests tbody tr:first-child { animation: flash 1s; } @keyframes flash { from { background: #ffd; } }
`;

export const DASHBOARD_JS = `'use strict';
const KEY = 'llm-gateway-key';
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const num = (n) => Number(n).toLocaleString('en');
const auth = () => ({ authorization: 'Bearer ' + sessionStorage.getItem(KEY) });

function showLogin(message) {
  $('board').hidden = true; $('login').hidden = false; $('login-error').textContent = message || ''; $('key').focus();
}

async function api(path) {
  const res = await fetch(path, { headers: auth(), cache: 'no-store' });
  if (res.status === 401) { sessionStorage.removeItem(KEY); throw new Error('that key was refused'); }
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return res;
}

function renderOverview(o) {
  const tiers = $('tiers').tBodies[0]; tiers.replaceChildren();
  for (const t of o.quota.tiers) {
    const row = el('tr');
    const bar = el('span', undefined, 'bar'); const fill = el('span');
    fill.style.width = Math.min(100, t.tokens ? (100 * (t.used + t.reserved)) / t.tokens : 100) + '%'; bar.append(fill);
    const barCell = el('td'); barCell.append(bar);
    row.append(el('td', t.model), el('td', t.provider), el('td', num(t.used) + ' / ' + num(t.tokens), 'n'), barCell,
      el('td', num(t.remaining), 'n'), el('td', t.state === 'active' || t.state === 'exhausted' ? t.nextReset.slice(0, 16).replace('T', ' ') + ' UTC' : '—'),
      el('td', t.state, t.state === 'active' ? 'ok' : t.state === 'exhausted' ? 'bad' : 'warn'));
    tiers.append(row);
  }
  const health = $('health'); health.replaceChildren();
  if (o.cooldowns.length === 0) health.append(el('li', 'every provider is available', 'ok'));
  for (const c of o.cooldowns)
    health.append(el('li', (c.model ? c.model + ' (' + c.provider + ')' : c.provider) + ': cooling down (' + c.kind + ') until ' + c.until + ' — ' + c.reason, 'warn'));
  const chart = $('chart'); chart.replaceChildren();
  for (const line of o.usage.chart) {
    for (const part of line.split(/([█]+|[▒]+)/)) chart.append(part.startsWith('█') ? el('span', part, 'free') : part.startsWith('▒') ? el('span', part, 'paid') : document.createTextNode(part));
    chart.append('\\n');
  }
  $('usage-total').textContent = o.usage.summary;
}

let refresh;
/** A new request changed the quota and the chart: read the overview again, once for a burst. */
function refreshSoon() {
  clearTimeout(refresh);
  refresh = setTimeout(() => api('/ui/api/overview').then((r) => r.json()).then(renderOverview).catch(() => {}), 500);
}

function addRequest(r) {
  const body = $('requests').tBodies[0];
  const row = el('tr'); row.dataset.id = r.id;
  row.append(el('td', r.time.slice(0, 19).replace('T', ' ')), el('td', r.client ? r.origin + ' ' + r.client : r.origin),
    el('td', r.model ? r.model + ' (' + r.provider + ')' : '—'), el('td', num(r.inputTokens) + '+' + num(r.outputTokens), 'n'),
    el('td', num(r.ms), 'n'), el('td', r.error ? r.outcome + ': ' + r.error : r.outcome, r.outcome === 'ok' ? 'ok' : 'bad'),
    el('td', r.fallbacks.map((f) => f.model + ' (' + f.provider + '): ' + f.code).join(', ')));
  body.prepend(row);
  while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
}

async function follow() {
  const res = await api('/ui/api/requests');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  // The first chunk holds the last requests; those after it are new.
  for (let live = false; ; live = true) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\\n\\n')) >= 0) {
      const event = buffer.slice(0, end); buffer = buffer.slice(end + 2);
      const data = event.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
      if (data) { addRequest(JSON.parse(data)); if (live) refreshSoon(); }
    }
  }
}

async function start() {
  if (!sessionStorage.getItem(KEY)) return showLogin();
  try {
    renderOverview(await (await api('/ui/api/overview')).json());
    $('login').hidden = true; $('board').hidden = false; $('status').textContent = 'live';
    setInterval(() => api('/ui/api/overview').then((r) => r.json()).then(renderOverview).catch(() => {}), 15000);
    follow().catch((e) => { $('status').textContent = 'live list stopped: ' + e.message; });
  } catch (e) { showLogin(e.message); }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', (event) => {
    event.preventDefault(); sessionStorage.setItem(KEY, $('key').value.trim()); $('key').value = ''; start();
  });
  start();
});
`;
