// Shared helpers of the security suites (tests/security/*.test.mjs). They reuse
// the API harness (tests/api/harness.mjs) and add:
//   - dbDigest(srv, orgId): a hash of every row of one organisation, read from
//     the database itself (sqlite3 CLI, or psql for TIEJUN_TEST_PG), so a refused
//     write can be shown to have changed nothing at all (audit rows included);
//   - watchSecrets(srv): scans every response the suite receives for password
//     hashes, session ids, token secrets and CSRF tokens where they must not be;
//   - openapiOps(srv): the routes the binary documents (GET /api/v1/openapi.json,
//     kept equal to the route table by tests/unit/openapi_test.cpp); openapiMinRoles(srv)
//     their declared minimum roles;
//   - serveDb(srv, dbUrl, opts): (re)starts `tiejun serve` on an existing
//     database (demo data, restarts after kill -9, RLIMIT_FSIZE).
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { binPath, Server } from '../api/harness.mjs';

export const RUN = randomBytes(4).toString('hex');

// ---------- database digest ----------

// Tables left out of the digest: sessions (last_seen is touched by reads) and
// job_runs (the daily job may run at midnight). login_failures and the FTS
// tables carry no org_id and are outside it anyway.
const DIGEST_SKIP = new Set(['sessions', 'job_runs']);

function sqlitePath(dbUrl) {
  return dbUrl.startsWith('sqlite:') ? dbUrl.slice(7) : null;
}

const tableCache = new Map();
function orgTables(dbUrl) {
  if (tableCache.has(dbUrl)) return tableCache.get(dbUrl);
  let names;
  const file = sqlitePath(dbUrl);
  if (file) {
    const out = execFileSync('sqlite3', [file,
      "SELECT m.name FROM sqlite_master m WHERE m.type='table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name='org_id') ORDER BY 1"],
      { encoding: 'utf8' });
    names = out.split('\n').filter(Boolean);
  } else {
    const out = execFileSync('psql', [dbUrl, '-At', '-c',
      "SELECT table_name FROM information_schema.columns WHERE column_name='org_id' AND table_schema=current_schema() ORDER BY 1"],
      { encoding: 'utf8' });
    names = out.split('\n').filter(Boolean);
  }
  names = names.filter((n) => !DIGEST_SKIP.has(n) && !n.startsWith('company_fts'));
  tableCache.set(dbUrl, names);
  return names;
}

// Every row of organisation `orgId`, per table: {hash, tables: {name: {hash, rows}}}.
export function dbDigest(srv, orgId) {
  const dbUrl = srv.dbUrl || srv;
  const tables = orgTables(dbUrl);
  const file = sqlitePath(dbUrl);
  let out;
  if (file) {
    const sql = [`SELECT 'orgs', * FROM orgs WHERE id=${Number(orgId)};`]
      // no ORDER BY rowid: some tables are WITHOUT ROWID (rep_day_stats); lines are sorted below
      .concat(tables.map((t) => `SELECT '${t}', * FROM "${t}" WHERE org_id=${Number(orgId)};`))
      .join('\n');
    out = execFileSync('sqlite3', ['-readonly', '-cmd', '.mode quote', '-cmd', '.timeout 10000', file], {
      input: sql, encoding: 'utf8', maxBuffer: 1 << 30,
    });
  } else {
    const sql = [`SELECT 'orgs', x::text FROM orgs x WHERE id=${Number(orgId)};`]
      .concat(tables.map((t) => `SELECT '${t}', x::text FROM "${t}" x WHERE org_id=${Number(orgId)} ORDER BY 2;`))
      .join('\n');
    out = execFileSync('psql', [dbUrl, '-At', '-F', ',', '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8', maxBuffer: 1 << 30 });
  }
  const per = {};
  for (const line of out.split('\n')) {
    if (!line) continue;
    const m = line.match(/^'?([a-z_0-9]+)'?,/);
    const t = m ? m[1] : '?';
    // A refused 撞单 (a duplicate name) records the attempt for the company's owner (SPEC §3:
    // the owner is told): the one row a refused write adds, not a change of the organisation's data.
    // The same attempt reaches the owner's bell and the channels (SPEC §7): a notification and its deliveries.
    if ((t === 'audit_log' || t === 'notifications' || t === 'deliveries') && line.includes('duplicate_attempt')) continue;
    (per[t] ||= []).push(line);
  }
  const tablesOut = {};
  const all = createHash('sha256');
  for (const t of Object.keys(per).sort()) {
    per[t].sort();
    const h = createHash('sha256').update(per[t].join('\n')).digest('hex');
    tablesOut[t] = { hash: h, rows: per[t].length, lines: per[t] };
    all.update(t + ':' + h + '\n');
  }
  return { hash: all.digest('hex'), tables: tablesOut };
}

// Asserts two digests are equal and, when not, names the tables and rows that changed.
export function assertSameDigest(before, after, what = '') {
  if (before.hash === after.hash) return;
  const diffs = [];
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  for (const t of names) {
    const b = before.tables[t], a = after.tables[t];
    if (b?.hash === a?.hash) continue;
    const bl = new Set(b?.lines || []), al = new Set(a?.lines || []);
    const gone = [...bl].filter((l) => !al.has(l)).slice(0, 3);
    const added = [...al].filter((l) => !bl.has(l)).slice(0, 3);
    diffs.push(`${t}: ${b?.rows ?? 0} -> ${a?.rows ?? 0} rows; removed ${JSON.stringify(gone)}; added ${JSON.stringify(added)}`);
  }
  assert.fail(`${what ? what + ': ' : ''}the database changed:\n  ${diffs.join('\n  ')}`);
}

// ---------- secrets in responses ----------

// Wraps srv.fetch so that every response of the suite is scanned. Rules:
//  - no body ever carries an argon2 hash ($argon2), nor 64 hex digits in a row
//    (a session id, or the sha256 of a session or token as stored);
//  - a token secret (tj_ + 64 hex) appears only in the answer of POST /api/v1/tokens;
//  - a CSRF token appears only in the answer of POST /api/v1/session;
//  - no Set-Cookie except on POST/DELETE /api/v1/session.
// Violations are collected in srv.secretLeaks (checked by secretsTest()).
export function watchSecrets(srv) {
  if (srv.secretLeaks) return;
  srv.secretLeaks = [];
  srv.knownCsrf = new Set();
  const orig = srv.fetch.bind(srv);
  srv.fetch = async (method, p, payload, headers = {}) => {
    const r = await orig(method, p, payload, headers);
    const route = p.split('?')[0];
    const text = r.text || '';
    const leak = (why) => srv.secretLeaks.push(`${method} ${p.slice(0, 120)} -> ${r.status}: ${why}`);
    if (/\$argon2/i.test(text)) leak('a password hash');
    const stripped = text.replace(/tj_[0-9a-f]{64}/gi, 'TOKEN');
    if (/[0-9a-f]{64}/i.test(stripped)) leak(`64 hex digits (a session id or stored hash): ${stripped.match(/.{0,40}[0-9a-f]{64}/i)[0]}`);
    const isTokenCreate = method === 'POST' && route === '/api/v1/tokens' && r.status === 201;
    if (!isTokenCreate && /tj_[0-9a-f]{64}/i.test(text)) leak('a bearer token secret');
    const isLogin = method === 'POST' && route === '/api/v1/session';
    if (isLogin && r.status === 200 && r.body?.csrf_token) srv.knownCsrf.add(r.body.csrf_token);
    // GET /api/v1/session answers the caller's own token (one a login gave): never a new one
    else if (method === 'GET' && route === '/api/v1/session' && r.status === 200) {
      if (!srv.knownCsrf.has(r.body?.csrf_token)) leak('GET /api/v1/session answered a token no login gave');
    } else for (const c of srv.knownCsrf) if (text.includes(c)) leak('a CSRF token');
    const setCookie = r.headers?.getSetCookie ? r.headers.getSetCookie() : [];
    if (setCookie.length && route !== '/api/v1/session') leak(`Set-Cookie on a non-session route: ${setCookie[0].slice(0, 40)}`);
    return r;
  };
}

export function secretsTest(test, ctx) {
  test('no response carried a password hash, session id, token secret or CSRF token where it must not', () => {
    assert.deepEqual(ctx.srv?.secretLeaks ?? [], []);
  });
}

// ---------- the route table, as documented ----------

// The minimum role of each documented route ('rep': any logged-in user; null: public), as the
// route table declares it (x-min-role; scripts/openapi/gen_openapi.py reads src/http/api.cpp).
export async function openapiMinRoles(srv) {
  const r = await srv.fetch('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, 'GET /api/v1/openapi.json');
  const out = {};
  for (const [p, item] of Object.entries(r.body.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) out[`${m.toUpperCase()} ${p}`] = op['x-min-role'] ?? null;
    }
  }
  return out;
}

export async function openapiOps(srv) {
  const r = await srv.fetch('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, 'GET /api/v1/openapi.json');
  const ops = [];
  for (const [p, item] of Object.entries(r.body.paths)) {
    for (const m of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) ops.push(`${m.toUpperCase()} ${p}`);
    }
  }
  return ops;
}

// ---------- serving an existing database ----------

// Starts `tiejun serve` on dbUrl for a harness Server object (which then works
// with Client, login, etc.). opts.prlimit: extra `prlimit` arguments, e.g.
// ['--fsize=20000000']; opts.args: extra serve arguments; opts.port: 0 default;
// opts.env: extra environment variables (e.g. TMPDIR).
export async function serveDb(srv, dbUrl, opts = {}) {
  srv.dbUrl = dbUrl;
  const args = ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${opts.port ?? 0}`, ...(opts.args || [])];
  const cmd = opts.prlimit ? 'prlimit' : binPath();
  const argv = opts.prlimit ? [...opts.prlimit, '--', binPath(), ...args] : args;
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env || {}) } });
  srv.child = child;
  srv.hung = null;
  srv.stderr = '';
  child.stderr.on('data', (d) => {
    srv.stderr += d.toString();
    if (srv.stderr.length > 200000) srv.stderr = srv.stderr.slice(-100000);
  });
  srv.base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner: ${out} ${srv.stderr}`)), 30000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/Tiejun serving .* at (http:\/\/127\.0\.0\.1:(\d+))\//);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`tiejun serve exited early (${code ?? sig}): ${out} ${srv.stderr}`));
    });
  });
  return srv;
}

// Kills the served process with SIGKILL and waits for it to be gone.
export async function kill9(srv) {
  const c = srv.child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await gone;
}

// A harness Server over a database we create ourselves (e.g. `tiejun demo`).
export function emptyServer() {
  const srv = new Server();
  srv.dir = mkdtempSync(path.join(tmpdir(), 'tiejun-sec-'));
  return srv;
}

export async function stopServer(srv) {
  if (!srv) return;
  const c = srv.child;
  if (c && c.exitCode === null && c.signalCode === null) {
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
  if (srv.dir) rmSync(srv.dir, { recursive: true, force: true });
}

export function runTiejun(args, opts = {}) {
  return execFileSync(binPath(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

export function sqlite(file, sql) {
  return execFileSync('sqlite3', [file, sql], { encoding: 'utf8' }).trim();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
