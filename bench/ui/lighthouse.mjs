// Lighthouse 12 (mobile preset: the default config, a Moto G Power-class phone on slow 4G
// with simulated throttling) on the demo's pages, as a rep and as a manager:
//   Login, Today, Team, Customers, a customer, Prospects, Leaderboard, Diagnosis.
// Writes the table into docs/performance.md (between the lighthouse markers) and the full
// reports into test-artifacts/lighthouse/.
//
//   (cd bench/ui && npm ci) && node bench/ui/lighthouse.mjs
//
// Environment: TIEJUN_BIN (default build/release/tiejun, with the UI embedded),
// CHROME_PATH (default /usr/bin/chromium), LH_PORT (default 34201), LH_RUNS (runs per page,
// the median by performance score is kept; default 3), LH_PAGES (comma-separated page
// names to run, default all), LH_NO_WRITE=1 (print only). Goals (issue 15): performance
// >= 90 and accessibility >= 95 on every page; the script exits 1 when one misses.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.resolve(ROOT, process.env.TIEJUN_BIN || 'build/release/tiejun');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const PORT = Number(process.env.LH_PORT || 34201);
const RUNS = Number(process.env.LH_RUNS || 3);
const ONLY = process.env.LH_PAGES ? new Set(process.env.LH_PAGES.split(',')) : null;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'tiejun-demo';
const GOAL = { performance: 90, accessibility: 95 };

const dir = mkdtempSync(path.join(tmpdir(), 'tiejun-lh-'));
const db = `sqlite:${dir}/demo.db`;
let server = null;
process.on('exit', () => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

async function waitUp() {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(BASE + '/healthz');
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('tiejun serve did not come up');
}

async function login(username) {
  const r = await fetch(BASE + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('tj_session='));
  return cookie;
}

function median(runs) {
  const s = [...runs].sort((a, b) => a.performance - b.performance);
  return s[Math.floor((s.length - 1) / 2)];
}

async function audit(url, cookie) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    // No full-page screenshot: Lighthouse takes it by making the viewport as tall as the page, which
    // brings every chart and feed that waits to come near the screen (WhenVisible) into view and
    // adds their requests to the page's first load.
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      disableFullPageScreenshot: true,
    };
    if (cookie) flags.extraHeaders = { Cookie: cookie };
    const r = await lighthouse(url, flags);
    const lhr = r.lhr;
    const a = lhr.audits;
    const reqs = a['network-requests']?.details?.items ?? [];
    const api = reqs.filter((q) => q.url.includes('/api/v1/'));
    const failures = lhr.categories.accessibility.auditRefs.filter((ref) => ref.weight > 0 && a[ref.id]?.score === 0).map((ref) => a[ref.id]);
    return {
      report: r.report,
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      fcp: a['first-contentful-paint'].numericValue,
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      si: a['speed-index'].numericValue,
      requests: reqs.length,
      apiCalls: api.length,
      apiFailed: api.filter((q) => q.statusCode >= 400).length,
      kib: Math.round(reqs.reduce((s, q) => s + (q.transferSize || 0), 0) / 1024),
      a11yFails: failures.map((x) => x.id),
      errors: lhr.runtimeError ? lhr.runtimeError.message : null,
    };
  } finally {
    await chrome.kill();
  }
}

async function main() {
  console.log(`demo database in ${dir}`);
  const t0 = Date.now();
  execFileSync(BIN, ['demo', '--db', db], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`demo created in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${PORT}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitUp();
  const rep = await login('rep1');
  const mgr = await login('manager1');
  const mine = await (await fetch(BASE + '/api/v1/companies?limit=1', { headers: { Cookie: rep } })).json();
  const company = mine.items?.[0]?.id;
  if (!company) throw new Error('rep1 owns no company in the demo');
  const pages = [
    ['Login', '/', null],
    ['Today', '/today', rep],
    ['Team', '/team', mgr],
    ['Customers', '/customers', rep],
    ['Customer', `/customers/${company}`, rep],
    ['Prospects', '/prospects', rep],
    ['Leaderboard', '/leaderboard', rep],
    ['Diagnosis', '/diagnosis', mgr],
  ].filter(([name]) => !ONLY || ONLY.has(name));
  const out = path.join(ROOT, 'test-artifacts', 'lighthouse');
  mkdirSync(out, { recursive: true });
  const load0 = loadavg()[0];
  const rows = [];
  for (const [name, p, cookie] of pages) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await audit(BASE + p, cookie));
    const m = median(runs);
    writeFileSync(path.join(out, `${name.toLowerCase()}.json`), m.report);
    delete m.report;
    rows.push({ name, path: p.replace(/\/\d+$/, '/{id}'), who: cookie === mgr ? 'manager1' : cookie ? 'rep1' : '-', runs: runs.map((r) => r.performance), ...m });
    console.log(`${name.padEnd(12)} perf ${m.performance} (runs ${runs.map((r) => r.performance).join(', ')})  a11y ${m.accessibility}  ` +
      `FCP ${(m.fcp / 1000).toFixed(1)} s  LCP ${(m.lcp / 1000).toFixed(1)} s  TBT ${Math.round(m.tbt)} ms  CLS ${m.cls.toFixed(3)}  ` +
      `${m.requests} requests (${m.apiCalls} API, ${m.apiFailed} failed), ${m.kib} KiB`);
  }
  const load1 = loadavg()[0];
  const miss = rows.filter((r) => r.performance < GOAL.performance || r.accessibility < GOAL.accessibility);
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const table = [
    `Measured ${date} UTC by \`node bench/ui/lighthouse.mjs\` (Lighthouse 12.2.3, mobile preset, simulated throttling, ` +
      `Debian chromium; median of ${RUNS} runs by performance score) on the demo (\`tiejun demo\`), ${cpus().length} cores, ` +
      `load average ${load0.toFixed(1)} at the start and ${load1.toFixed(1)} at the end. Goals: performance ≥ ${GOAL.performance}, ` +
      `accessibility ≥ ${GOAL.accessibility}.`,
    '',
    '| page | path | as | performance (runs) | accessibility | FCP | LCP | TBT | CLS | requests (API, failed) | transferred |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      `| ${r.name} | \`${r.path}\` | ${r.who} | ${r.performance < GOAL.performance ? '**' + r.performance + '**' : r.performance} (${r.runs.join(', ')}) | ` +
      `${r.accessibility < GOAL.accessibility ? '**' + r.accessibility + '**' : r.accessibility} | ${(r.fcp / 1000).toFixed(1)} s | ` +
      `${(r.lcp / 1000).toFixed(1)} s | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ${r.requests} (${r.apiCalls}, ${r.apiFailed}) | ${r.kib} KiB |`),
    '',
    miss.length ? `Misses (bold): ${miss.map((r) => r.name).join(', ')}.` : 'Every page meets both goals.',
  ].join('\n');
  console.log('\n' + table);
  if (process.env.LH_NO_WRITE !== '1' && !ONLY) {
    const f = path.join(ROOT, 'docs', 'performance.md');
    const doc = readFileSync(f, 'utf8');
    const begin = '<!-- lighthouse:begin -->';
    const end = '<!-- lighthouse:end -->';
    const next = doc.includes(begin)
      ? doc.slice(0, doc.indexOf(begin) + begin.length) + '\n' + table + '\n' + doc.slice(doc.indexOf(end))
      : doc + `\n## UI: Lighthouse (issue 15)\n\n${begin}\n${table}\n${end}\n`;
    writeFileSync(f, next);
    console.log(`written to ${f}`);
  }
  server.kill('SIGTERM');
  process.exitCode = miss.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
