// Test harness for the API scenario suites: starts the REAL tiejun binary on a
// loopback port with a fresh database and drives it over HTTP.
//
//   TIEJUN_BIN      the binary (default: build/release/tiejun, relative to the repo root)
//   TIEJUN_TEST_PG  a postgresql:// server URL: each suite then gets a freshly
//                   created database on that server instead of a SQLite file
//
// No npm dependencies: node 20's fetch, node:test and node:assert only.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function binPath() {
  const b = process.env.TIEJUN_BIN || 'build/release/tiejun';
  if (path.isAbsolute(b)) return b;
  const fromCwd = path.resolve(process.cwd(), b);
  return existsSync(fromCwd) ? fromCwd : path.resolve(REPO_ROOT, b);
}

export const PASSWORD = 'Tiejun-test-pw-1';

// ---------- databases ----------

const createdPgDbs = [];

// The database URL for a fresh test database living in `dir`.
export function freshDbUrl(dir) {
  const pg = process.env.TIEJUN_TEST_PG;
  if (!pg) return `sqlite:${dir}/t.db`;
  const name = `tiejun_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  execFileSync('createdb', [`--maintenance-db=${pg}`, name], { stdio: ['ignore', 'ignore', 'pipe'] });
  createdPgDbs.push({ server: pg, name });
  return withDatabase(pg, name);
}

// A postgresql:// server URL naming another database. The user, the host or
// hosts (a multi-host URL: postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write)
// and the query are kept; node's URL class cannot parse a multi-host URL with ports.
export function withDatabase(url, name) {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/s.exec(url);
  if (!m) throw new Error(`not a postgresql:// URL: ${url}`);
  return `${m[1]}/${encodeURIComponent(name)}${m[2]}`;
}

// The database a postgresql:// URL names ('' when none).
export function databaseOf(url) {
  const m = /^postgres(?:ql)?:\/\/[^/?#]*\/([^?#]*)/.exec(url);
  return m ? decodeURIComponent(m[1]) : '';
}

function dropPgDb(server, name) {
  try {
    execFileSync('dropdb', ['--if-exists', '--force', `--maintenance-db=${server}`, name], { stdio: 'ignore' });
  } catch {
    /* best effort */
  }
}

// ---------- processes ----------

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const d of createdPgDbs.splice(0)) dropPgDb(d.server, d.name);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.exit(130);
  });
}

// Runs `tiejun init` (also adds an organisation to an existing database).
export function tiejunInit(dbUrl, dir, org, admin, password = PASSWORD) {
  const pwfile = path.join(dir, `pw-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  try {
    return execFileSync(binPath(), ['init', '--db', dbUrl, '--org', org, '--admin', admin, '--password-file', pwfile], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`tiejun init failed (${e.status}): ${e.stderr || e.message}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function waitForBanner(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tiejun serve printed no banner in ${timeoutMs} ms: ${out}`)), timeoutMs);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/Tiejun serving .* at (http:\/\/127\.0\.0\.1:(\d+)\/)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();  // keep draining stdout
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`tiejun serve exited early (${code ?? sig}): ${out}`));
    });
  });
}

// ---------- HTTP clients ----------

export class Client {
  constructor(server, { cookie = null, csrf = null, token = null, user = null } = {}) {
    this.server = server;
    this.cookie = cookie;
    this.csrf = csrf;
    this.token = token;
    this.user = user;
  }

  get id() {
    return this.user?.id;
  }

  // opts: headers (extra), raw (string/Buffer body sent verbatim), csrf (false: omit the header)
  async req(method, p, body, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (this.cookie) headers['cookie'] = this.cookie;
    if (this.cookie && this.csrf && opts.csrf !== false && method !== 'GET' && method !== 'HEAD')
      headers['x-csrf-token'] = this.csrf;
    let payload;
    if (opts.raw !== undefined) {
      payload = opts.raw;
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    return this.server.fetch(method, p, payload, headers);
  }
  get(p, opts) {
    return this.req('GET', p, undefined, opts);
  }
  post(p, body, opts) {
    return this.req('POST', p, body, opts);
  }
  patch(p, body, opts) {
    return this.req('PATCH', p, body, opts);
  }
  put(p, body, opts) {
    return this.req('PUT', p, body, opts);
  }
  del(p, opts) {
    return this.req('DELETE', p, undefined, opts);
  }
}

export class Server {
  constructor() {
    this.dir = null;
    this.dbUrl = null;
    this.base = null;
    this.child = null;
    this.stderr = '';
    this.serverErrors = [];  // every 5xx seen: [{method, path, status, body}]
    this.hung = null;        // the request the server never answered, if any
  }

  // Starts a fresh database with one organisation and serves it.
  async start(opts = {}) {
    try {
      return await this.#start(opts);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  // fullLog: keep every byte the server writes to stderr (this.stderr is otherwise cut to
  // its last 100 KB); env: extra environment variables for the server.
  async #start({ org = 'Org One', admin = 'admin', password = PASSWORD, args = [], fullLog = false, env = {} } = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'tiejun-api-'));
    this.dbUrl = freshDbUrl(this.dir);
    tiejunInit(this.dbUrl, this.dir, org, admin, password);
    this.adminName = admin;
    const child = spawn(binPath(), ['serve', '--db', this.dbUrl, '--listen', '127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.child = child;
    children.add(child);
    child.stderr.on('data', (d) => {
      this.stderr += d.toString();
      if (!fullLog && this.stderr.length > 200000) this.stderr = this.stderr.slice(-100000);
    });
    child.once('exit', () => children.delete(child));
    this.stdout = '';
    if (fullLog) child.stdout.on('data', (d) => (this.stdout += d.toString()));
    this.base = await waitForBanner(child, 20000);
    // Ready when the API answers (401 for an anonymous /me).
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(this.base + '/api/v1/me');
        await r.arrayBuffer();
        if (r.status === 401) break;
      } catch (e) {
        if (i > 100) throw e;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this;
  }

  // Adds an organisation to the running server's database (a second `tiejun init`).
  initOrg(org, admin, password = PASSWORD) {
    return tiejunInit(this.dbUrl, this.dir, org, admin, password);
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    children.delete(child);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    const pg = process.env.TIEJUN_TEST_PG;
    if (pg && this.dbUrl && this.dbUrl.startsWith('postgres')) {
      const name = databaseOf(this.dbUrl);
      dropPgDb(pg, name);
      const i = createdPgDbs.findIndex((d) => d.name === name);
      if (i >= 0) createdPgDbs.splice(i, 1);
    }
  }

  // Every request has a deadline (TIEJUN_TEST_TIMEOUT_MS, default 10 s). A server
  // that misses it is marked hung: later requests fail at once, naming the
  // request that hung, instead of each waiting for its own timeout.
  async fetch(method, p, payload, headers = {}) {
    if (this.hung) throw new Error(`the server stopped answering at ${this.hung}; not sending ${method} ${p}`);
    const ms = Number(process.env.TIEJUN_TEST_TIMEOUT_MS || 10000);
    let r, text;
    try {
      r = await fetch(this.base + p, { method, headers, body: payload, redirect: 'manual', signal: AbortSignal.timeout(ms) });
      text = await r.text();
    } catch (e) {
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        this.hung = `${method} ${p.slice(0, 200)}`;
        throw new Error(`${method} ${p}: no answer within ${ms} ms: the server hangs`);
      }
      throw new Error(`${method} ${p}: ${e.message}${e.cause ? ' (' + e.cause.message + ')' : ''}`);
    }
    let body = null;
    if (text.length) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    const res = { status: r.status, body, headers: r.headers, text };
    if (r.status >= 500) this.serverErrors.push({ method, path: p, status: r.status, body: text.slice(0, 300) });
    return res;
  }

  anon() {
    return new Client(this);
  }

  async loginRaw(username, password) {
    return this.fetch('POST', '/api/v1/session', JSON.stringify({ username, password }), {
      'content-type': 'application/json',
    });
  }

  // Logs in; the client keeps the cookie and sends X-CSRF-Token on writes.
  async login(username, password = PASSWORD) {
    const r = await this.loginRaw(username, password);
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    const cookie = sessionCookie(r.headers);
    if (!cookie) throw new Error(`login ${username}: no session cookie`);
    return new Client(this, { cookie, csrf: r.body.csrf_token, user: r.body.user });
  }

  tokenClient(token, user = null) {
    return new Client(this, { token, user });
  }

  // A bearer-token client for an already logged-in client's user.
  async tokenFor(client, name = 'test') {
    const r = await client.post('/api/v1/tokens', { name });
    if (r.status !== 201) throw new Error(`token: ${r.status} ${r.text}`);
    return this.tokenClient(r.body.token, client.user);
  }
}

// The "name=value" part of the tj_session Set-Cookie header, or null.
export function sessionCookie(headers) {
  const all = headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
  for (const c of all) {
    const m = c.match(/^\s*(tj_session=[^;]*)/);
    if (m) return m[1];
  }
  return null;
}
export function setCookieHeaders(headers) {
  return headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
}

// ---------- assertions ----------

// Asserts the status and, for errors, the {"error":{"code","message"}} shape.
export function expectStatus(res, status, what = '') {
  const ctx = `${what ? what + ': ' : ''}got ${res.status} ${res.text.slice(0, 400)}`;
  assert.ok(res.status < 500, `5xx! ${ctx}`);
  assert.equal(res.status, status, ctx);
  if (status >= 400) expectErrorShape(res, what);
  return res.body;
}

export function expectErrorShape(res, what = '') {
  const ctx = `${what ? what + ': ' : ''}${res.status} ${res.text.slice(0, 400)}`;
  assert.ok(res.body && typeof res.body === 'object' && !Array.isArray(res.body), `error body is not a JSON object: ${ctx}`);
  assert.ok(res.body.error && typeof res.body.error === 'object', `no "error" object: ${ctx}`);
  assert.equal(typeof res.body.error.code, 'string', `error.code not a string: ${ctx}`);
  assert.ok(res.body.error.code.length > 0, `empty error.code: ${ctx}`);
  assert.equal(typeof res.body.error.message, 'string', `error.message not a string: ${ctx}`);
}

// ---------- dates ----------

const DAY_MS = 86400000;
// YYYY-MM-DD in Asia/Shanghai (UTC+8, no DST), `offset` days from today.
export function shanghaiDate(offset = 0) {
  return new Date(Date.now() + 8 * 3600000 + offset * DAY_MS).toISOString().slice(0, 10);
}
// ISO weekday 1..7 of a YYYY-MM-DD date.
export function isoWeekday(date) {
  const d = new Date(date + 'T00:00:00Z').getUTCDay();
  return d === 0 ? 7 : d;
}
export function addDays(date, n) {
  return new Date(Date.parse(date + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10);
}
export function workingDaysBetween(from, to, workingDays = '12345') {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (workingDays.includes(String(isoWeekday(d)))) n++;
  return n;
}

// ---------- fixtures ----------

let uniq = 0;
export function unique(prefix = 'x') {
  uniq += 1;
  return `${prefix}${process.pid.toString(36)}${uniq}`;
}

async function created(res, what) {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
}

// Creates a user as `by` and returns its JSON.
export async function createUser(by, fields) {
  return created(await by.post('/api/v1/users', { password: PASSWORD, ...fields }), `create user ${fields.username}`);
}
export async function createTeam(by, fields) {
  return created(await by.post('/api/v1/teams', fields), `create team ${fields.name}`);
}
export async function createCompany(by, fields) {
  return created(await by.post('/api/v1/companies', fields), `create company ${fields.name}`);
}

// Builds a small organisation:
//   director manages the root team; team A and team B hang under it, each with
//   its manager; reps in each team (repsA / repsB of them).
// Returns logged-in clients: { admin, director, mgrA, mgrB, repsA: [...], repsB: [...],
// teams: {root, A, B} }. Every user costs an argon2 hash and a login (~0.2 s):
// ask only for what a suite needs.
export async function buildOrg(srv, { prefix = unique('o'), director = true, repsA = 2, repsB = 1, admin = null } = {}) {
  admin = admin || (await srv.login(srv.adminName));
  const root = await createTeam(admin, { name: `${prefix} 销售部` });
  const A = await createTeam(admin, { name: `${prefix} 一组`, parent_id: root.id });
  const B = await createTeam(admin, { name: `${prefix} 二组`, parent_id: root.id });
  const out = { admin, teams: { root, A, B }, repsA: [], repsB: [], prefix };
  const mk = async (username, role, team_id) => {
    await createUser(admin, { username, display_name: username, role, team_id, hire_date: '2025-01-06' });
    return srv.login(username);
  };
  if (director) {
    out.director = await mk(`${prefix}_dir`, 'director', root.id);
    await patchOk(admin, `/api/v1/teams/${root.id}`, { manager_id: out.director.id });
  }
  out.mgrA = await mk(`${prefix}_mgrA`, 'manager', A.id);
  out.mgrB = await mk(`${prefix}_mgrB`, 'manager', B.id);
  await patchOk(admin, `/api/v1/teams/${A.id}`, { manager_id: out.mgrA.id });
  await patchOk(admin, `/api/v1/teams/${B.id}`, { manager_id: out.mgrB.id });
  for (let i = 0; i < repsA; i++) out.repsA.push(await mk(`${prefix}_a${i + 1}`, 'rep', A.id));
  for (let i = 0; i < repsB; i++) out.repsB.push(await mk(`${prefix}_b${i + 1}`, 'rep', B.id));
  return out;
}

async function patchOk(by, p, body) {
  const r = await by.patch(p, body);
  if (r.status !== 200) throw new Error(`PATCH ${p}: ${r.status} ${r.text}`);
  return r.body;
}

// A second organisation in the same database, with its admin logged in.
export async function secondOrg(srv, prefix = unique('z')) {
  const admin = `${prefix}_admin`;
  srv.initOrg(`${prefix} 第二公司`, admin);
  return srv.login(admin);
}

// Registers before/after hooks that start and stop a fresh server for the
// calling test file, plus a last test that fails if any response was a 5xx.
// Returns a getter object: ctx.srv is set once the server is up.
// `hooks` is { before, after } from node:test; call it inside a describe().
export function useServer(hooks, opts = {}) {
  const ctx = { srv: null };
  hooks.before(async () => {
    ctx.srv = await new Server().start(opts);
  });
  hooks.after(async () => {
    if (ctx.srv) await ctx.srv.stop();
  });
  return ctx;
}

// The final check of every suite: no request answered 5xx.
export function no5xxTest(test, ctx) {
  test('no response was a 5xx, and the server never hung', () => {
    assert.equal(ctx.srv?.hung ?? null, null, 'the server stopped answering');
    const errs = ctx.srv ? ctx.srv.serverErrors : [];
    if (errs.length && ctx.srv) {
      console.error(ctx.srv.stderr.split('\n').filter((l) => /error|warn/i.test(l)).slice(-20).join('\n'));
    }
    assert.deepEqual(errs, []);
  });
}
