// The computed views as the user receives them: client-side latency of many requests per
// view (request sent to last byte of the answer read and parsed), with p50/p90/p99 and the
// answer's size, against a running `tiejun serve` on a demo database.
//
//   node bench/http/views_p99.mjs http://127.0.0.1:33180 [REQUESTS] [CONCURRENCY] [AS_OF]
//
// Defaults: 200 requests per view, 2 at a time (the machine has 2 cores; more concurrency
// measures queueing, not the view). Logs in as admin, manager1 and rep1 (password
// tiejun-demo), so the server must hold a `tiejun demo` organisation. Prints a Markdown
// table; VIEWS=alerts,coaching limits the views (matched against the case names). A case
// marked `all_pages` times reading every page of a paged answer, one after the other.
import { performance } from 'node:perf_hooks';

const base = process.argv[2] || 'http://127.0.0.1:33180';
const N = Number(process.argv[3] || 200);
const C = Number(process.argv[4] || 2);
const asOf = process.argv[5] || '';
const only = (process.env.VIEWS || '').split(',').filter(Boolean);

async function token(username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'tiejun-demo' }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await r.json();
  const t = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ name: `views bench ${username}` }),
  });
  if (!t.ok) throw new Error(`token ${username}: ${t.status} ${await t.text()}`);
  return (await t.json()).token;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// One sample: the answer at path, or with walk every page of it (next_cursor until null).
async function fetchAll(path, tok, walk) {
  let url = base + path;
  let bytes = 0;
  let ok = true;
  for (;;) {
    const r = await fetch(url, { headers: { Authorization: `Bearer ${tok}` } });
    const body = await r.text();
    const j = JSON.parse(body);
    bytes += Buffer.byteLength(body);
    ok &&= r.ok;
    if (!walk || !j.next_cursor) return { bytes, ok };
    url = base + path + (path.includes('?') ? '&' : '?') + `cursor=${encodeURIComponent(j.next_cursor)}`;
  }
}

async function measure(path, tok, walk = false) {
  const times = [];
  let bytes = 0;
  let errors = 0;
  let next = 0;
  async function worker() {
    while (next < N) {
      next++;
      const t0 = performance.now();
      const r = await fetchAll(path, tok, walk);
      times.push(performance.now() - t0);
      bytes = r.bytes;
      if (!r.ok) errors++;
    }
  }
  await Promise.all(Array.from({ length: C }, worker));
  times.sort((a, b) => a - b);
  return { n: times.length, p50: pct(times, 0.5), p90: pct(times, 0.9), p99: pct(times, 0.99), max: times.at(-1), bytes, errors };
}

const q = asOf ? `as_of=${asOf}&` : '';
const who = { admin: await token('admin'), manager: await token('manager1'), rep: await token('rep1') };
const cases = [];
for (const [w, scope] of [['manager', 'team'], ['admin', 'org']]) {
  cases.push(
    [`alerts_${scope}`, w, `/api/v1/alerts?${q}`],
    [`diagnosis_${scope}`, w, `/api/v1/diagnosis?${q}`],
    [`leaderboard_month_${scope}`, w, `/api/v1/leaderboard?${q}period=month`],
    [`coaching_${scope}`, w, `/api/v1/coaching?${q}`],
    [`coaching_compact_${scope}`, w, `/api/v1/coaching?${q}visits=none`],
    // the coaching answer is paged by rep (200 a page by default): the largest page, and every page of
    // that size one after the other, as the Team page reads them
    [`coaching_compact_500_${scope}`, w, `/api/v1/coaching?${q}visits=none&limit=500`],
    [`coaching_compact_all_pages_${scope}`, w, `/api/v1/coaching?${q}visits=none&limit=500`, true],
    [`rhythm_${scope}`, w, `/api/v1/rhythm?${q}`],
    [`feed_${scope}`, w, `/api/v1/feed?${q}`],
    [`metrics_month_${scope}`, w, `/api/v1/metrics/reps`],
    [`conversion_${scope}`, w, `/api/v1/insights/conversion?${q}`],
    [`discovery_${scope}`, w, `/api/v1/insights/discovery?${q}`],
    [`talent_${scope}`, w, `/api/v1/talent?${q}`],
    [`targets_progress_${scope}`, w, `/api/v1/targets/progress?${q}`],
    [`search_2chars_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('科技')}&limit=20`],
    [`search_4chars_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('杭州科技')}&limit=20`],
    [`search_4chars_rare_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('量子物流')}&limit=20`],
    [`search_4chars_few_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('科技（杭')}&limit=20`],
    [`search_4chars_frequent_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('网络科技')}&limit=20`],
    [`search_2chars_rare_${scope}`, w, `/api/v1/companies?q=${encodeURIComponent('鑫淼')}&limit=20`],
  );
}
cases.push(['prospects_rep', 'rep', `/api/v1/prospects?${q}`], ['alerts_rep', 'rep', `/api/v1/alerts?${q}`]);
// References in the same run: the smallest authenticated answer, and a static file.
cases.unshift(['reference: GET /api/v1/me', 'rep', '/api/v1/me']);

console.log(`${N} requests per view, ${C} at a time, ${base}\n`);
console.log('| view | p50 ms | p90 ms | p99 ms | max ms | answer KB | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, w, path, walk] of cases) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  await measure(path, who[w], walk).then(
    (m) => console.log(`| ${name} | ${m.p50.toFixed(1)} | ${m.p90.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.max.toFixed(1)} | ${(m.bytes / 1024).toFixed(1)} | ${m.errors} |`),
    (e) => console.log(`| ${name} | failed: ${e.message} | | | | | |`),
  );
}
