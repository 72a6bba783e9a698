// Operating it (SPEC §8, issue 16 points 1, 2, 6, 7): request ids and JSON logs with nothing
// secret in them, deadlines that interrupt a query (503 timeout), a client hanging up
// cancelling its work, the expensive views' own lane, gzip answers, and the authentication
// cache refusing a deactivated user or a revoked token at once. Runs on SQLite, or on
// PostgreSQL with TIEJUN_TEST_PG set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Server, PASSWORD, expectStatus, createUser, createCompany, unique, sessionCookie } from './harness.mjs';

// A raw HTTP request (node's fetch decodes gzip by itself): status, headers, body bytes.
function raw(base, method, path, headers = {}, body = undefined) {
  const u = new URL(base + path);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function logLines(text) {
  return text.split('\n').filter((l) => l.trim().length > 0);
}

async function waitFor(fn, ms = 5000, what = 'condition') {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('JSON logs, request ids, and no secret in any log line', () => {
  const srv = new Server();
  before(async () => {
    await srv.start({ args: ['--log-format', 'json'], fullLog: true });
  });
  after(() => srv.stop());

  test('X-Request-Id: a sane one is echoed, anything else is replaced by a fresh id', async () => {
    const admin = await srv.login(srv.adminName);
    let r = await admin.get('/api/v1/me', { headers: { 'x-request-id': 'lb-7f3a.22:x_Y-1' } });
    expectStatus(r, 200);
    assert.equal(r.headers.get('x-request-id'), 'lb-7f3a.22:x_Y-1');
    for (const bad of ['has space', 'x'.repeat(65), 'quote"d', 'semi;colon']) {
      r = await srv.fetch('GET', '/healthz', undefined, { 'x-request-id': bad });
      assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/, bad);
    }
    const a = (await srv.fetch('GET', '/healthz')).headers.get('x-request-id');
    const b = (await srv.fetch('GET', '/healthz')).headers.get('x-request-id');
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.notEqual(a, b, 'each request gets its own id');
    // errors carry it too
    r = await srv.fetch('GET', '/api/v1/nowhere', undefined, { 'x-request-id': 'err-1' });
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('x-request-id'), 'err-1');
  });

  test('every log line is one JSON object; the access line names request id, route, status, latency, user', async () => {
    const admin = await srv.login(srv.adminName);
    const co = await createCompany(admin, { name: unique('日志公司') });
    const rid = `acc-${Date.now()}`;
    expectStatus(await admin.get(`/api/v1/companies/${co.id}`, { headers: { 'x-request-id': rid } }), 200);
    const line = await waitFor(() => logLines(srv.stderr).map((l) => JSON.parse(l)).find((o) => o.request_id === rid), 3000, 'the access line');
    assert.equal(line.msg, 'request');
    assert.equal(line.level, 'info');
    assert.equal(line.route, '/api/v1/companies/{id}');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 200);
    assert.equal(line.user_id, admin.id);
    assert.equal(typeof line.ms, 'number');
    assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const l of logLines(srv.stderr)) assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
  });

  test('a whole suite of traffic with secrets leaves none of them in the log', async () => {
    const secrets = [];
    const keep = (s) => (secrets.push(s), s);
    const admin = await srv.login(srv.adminName);
    secrets.push(admin.cookie.split('=')[1], admin.csrf);
    // users with passwords; password change; an admin's reset; failed logins
    const pw1 = keep(`Pw-${unique('a')}-Aa1`);
    const u = await createUser(admin, { username: unique('logu'), display_name: '日志', role: 'rep', password: pw1 });
    const uc = await srv.login(u.username, pw1);
    secrets.push(uc.cookie.split('=')[1], uc.csrf);
    const pw2 = keep(`Pw-${unique('b')}-Bb2`);
    expectStatus(await uc.post('/api/v1/me/password', { current_password: pw1, new_password: pw2 }), 200);
    const pw3 = keep(`Pw-${unique('c')}-Cc3`);
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: pw3 }), 200);
    const wrong = keep(`Wrong-${unique('d')}-Dd4`);
    assert.equal((await srv.loginRaw(u.username, wrong)).status, 401);
    assert.equal((await srv.loginRaw(`nobody-${unique('e')}`, wrong)).status, 401);
    // a malformed login body holding a password
    const badBody = keep(`Raw-${unique('f')}-Ff5`);
    await srv.fetch('POST', '/api/v1/session', `{"username":"x","password":"${badBody}"`, { 'content-type': 'application/json' });
    // tokens: made, used, used wrongly, revoked
    const tok = await admin.post('/api/v1/tokens', { name: 'log test' });
    expectStatus(tok, 201);
    keep(tok.body.token);
    const tc = srv.tokenClient(tok.body.token);
    expectStatus(await tc.get('/api/v1/me'), 200);
    const fakeTok = keep(`tj_${'f'.repeat(60)}`);
    assert.equal((await srv.tokenClient(fakeTok).get('/api/v1/me')).status, 401);
    expectStatus(await admin.del(`/api/v1/tokens/${tok.body.id}`), 204);
    assert.equal((await tc.get('/api/v1/me')).status, 401);
    // cookies: a made-up one, and one in a query string
    const fakeCookie = keep('a'.repeat(64));
    await srv.fetch('GET', '/api/v1/me', undefined, { cookie: `tj_session=${fakeCookie}` });
    const inQuery = keep(`q-${unique('g')}-secret`);
    await admin.get(`/api/v1/me?token=${inQuery}`);
    // channel secrets: DingTalk access token and signing secret, WeCom key, webhook secret
    const dtTok = keep(`dt${unique('h')}${'0'.repeat(20)}`);
    const dtSec = keep(`SEC${unique('i')}${'1'.repeat(30)}`);
    const wcKey = keep(`wc-${unique('j')}-0000-1111-2222`);
    const hookSec = keep(`hook-${unique('k')}-secret`);
    const chans = [
      { kind: 'dingtalk', url: `https://oapi.dingtalk.invalid/robot/send?access_token=${dtTok}`, secret: dtSec, events: ['booking'] },
      { kind: 'wecom', url: `https://qyapi.weixin.invalid/cgi-bin/webhook/send?key=${wcKey}`, events: ['booking'] },
      { kind: 'webhook', url: 'https://hooks.invalid/tiejun', secret: hookSec, events: ['booking'] },
    ];
    for (const c of chans) {
      const r = await admin.post('/api/v1/channels', { ...c, active: false });
      expectStatus(r, 201, c.kind);
      // a patch that repeats the secret, and a refused one
      await admin.patch(`/api/v1/channels/${r.body.id}`, { version: r.body.version, secret: c.secret ?? 'x'.repeat(8) + hookSec });
      await admin.post('/api/v1/channels', { ...c, kind: 'nonsense' });
    }
    // the reset ended the user's sessions; a new one, logged out while a password change is due
    const uc2 = await srv.login(u.username, pw3);
    secrets.push(uc2.cookie.split('=')[1], uc2.csrf);
    expectStatus(await uc2.del('/api/v1/session'), 204);
    assert.equal((await uc.get('/api/v1/me')).status, 401);
    await new Promise((r) => setTimeout(r, 300));  // the last lines flushed
    const log = srv.stderr + srv.stdout;
    assert.ok(log.length > 1000, 'the server logged the traffic');
    for (const s of secrets) assert.ok(!log.includes(s), `a secret reached the log: ${s.slice(0, 6)}…`);
    // and what a reader needs is there
    assert.ok(log.includes('"route":"/api/v1/channels"'), 'channel requests are logged by route');
  });
});

describe('deadlines, hang-ups and the expensive lane', () => {
  const srv = new Server();
  let admin, company, token;
  before(async () => {
    await srv.start({
      // 4 s: a login (argon2id) on a loaded 2-CPU machine must still fit in it
      args: ['--log-format', 'json', '--request-timeout', '4', '--workers', '2', '--heavy-workers', '1', '--heavy-queue', '8'],
      env: { TIEJUN_TEST_SLOW_QUERY: '1' },
      fullLog: true,
    });
    admin = await srv.login(srv.adminName);
    company = await createCompany(admin, { name: unique('期限公司') });
    token = (await admin.post('/api/v1/tokens', { name: 'metrics' })).body.token;
  });
  after(() => srv.stop());

  test('a query past the deadline is interrupted and answers 503 timeout; the server stays healthy', async () => {
    const t0 = Date.now();
    const r = await admin.get('/api/v1/me', { headers: { 'x-tiejun-test-slow': '1' } });
    const ms = Date.now() - t0;
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.error.code, 'timeout');
    assert.ok(ms >= 3900 && ms < 8000, `answered after ${ms} ms (deadline 4 s)`);
    expectStatus(await admin.get(`/api/v1/companies/${company.id}`), 200);
    // a write after a timed-out read works (the connection was given back clean)
    expectStatus(await admin.patch(`/api/v1/companies/${company.id}`, { version: company.version, name: unique('改名公司') }), 200);
  });

  test('a client that hangs up cancels its query at once', async () => {
    const rid = `hangup-${Date.now()}`;
    const u = new URL(srv.base);
    const req = http.request({
      host: u.hostname, port: u.port, path: '/api/v1/me', method: 'GET',
      headers: { cookie: admin.cookie, 'x-tiejun-test-slow': '1', 'x-request-id': rid },
    });
    req.on('error', () => {});
    req.end();
    await new Promise((r) => setTimeout(r, 300));
    req.destroy();
    const line = await waitFor(
      () => logLines(srv.stderr).map((l) => JSON.parse(l)).find((o) => o.request_id === rid && o.msg === 'request'),
      3000, 'the access line of the cancelled request');
    assert.equal(line.status, 503);
    assert.ok(line.ms < 2000, `the query ran ${line.ms} ms, the client left after 300 ms (deadline 4 s): not cancelled`);
  });

  test('short reads and writes keep their latency while the expensive lane is full', async () => {
    // 1 heavy thread, 8 queued at most: 9 slow searches and views fill it; more are refused.
    const heavy = [];
    const paths = ['/api/v1/leaderboard', '/api/v1/companies?q=abc', '/api/v1/coaching', '/api/v1/talent'];
    for (let i = 0; i < 9; i++)
      heavy.push(admin.get(paths[i % paths.length], { headers: { 'x-tiejun-test-slow': '1' } }));
    // the queue depth is in the metrics: wait until all 8 that may wait do
    let m;
    await waitFor(async () => {
      m = await srv.fetch('GET', '/metrics', undefined, { authorization: `Bearer ${token}` });
      assert.equal(m.status, 200);
      if (process.env.OPS_DEBUG) console.error(m.text.split("\n").filter((l) => /queue_depth|pool_in_use/.test(l)).join(" "));
      return Number(/tiejun_http_queue_depth\{lane="heavy"\} (\d+)/.exec(m.text)?.[1]) === 8;
    }, 3000, 'a heavy queue of 8');
    const over = await admin.get('/api/v1/leaderboard', { headers: { 'x-tiejun-test-slow': '1' } });
    assert.equal(over.status, 503);
    assert.equal(over.body.error.code, 'overloaded');
    assert.match(m.text, /tiejun_db_pool_in_use \d+/);
    assert.match(m.text, /tiejun_outbox_deliveries\{status="pending"\} \d+/);
    assert.match(m.text, /tiejun_outbox_deliveries\{status="dead"\} \d+/);
    // meanwhile: short reads and a write answer fast
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      expectStatus(await admin.get(`/api/v1/companies/${company.id}`), 200);
      assert.ok(Date.now() - t0 < 500, `a short read took ${Date.now() - t0} ms behind the expensive queue`);
    }
    const t0 = Date.now();
    expectStatus(await admin.post('/api/v1/companies', { name: unique('写入') }), 201);
    assert.ok(Date.now() - t0 < 1000, `a write took ${Date.now() - t0} ms`);
    const res = await Promise.all(heavy);
    // the first runs into its deadline; those queued behind it expire in the queue: all 503 timeout
    for (const r of res) {
      assert.equal(r.status, 503, r.text);
      assert.equal(r.body.error.code, 'timeout');
    }
  });
});

describe('gzip answers', () => {
  const srv = new Server();
  let admin;
  before(async () => {
    await srv.start();
    admin = await srv.login(srv.adminName);
    for (let i = 0; i < 30; i++) await createCompany(admin, { name: unique(`上海浦东新区世纪大道压缩测试公司${i}`) });
  });
  after(() => srv.stop());

  test('a gzip client gets gzip that decodes to the same JSON; a plain client gets plain', async () => {
    const h = { cookie: admin.cookie };
    const plain = await raw(srv.base, 'GET', '/api/v1/companies?limit=50', h);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers.vary || '', /Accept-Encoding/);
    const z = await raw(srv.base, 'GET', '/api/v1/companies?limit=50', { ...h, 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(z.status, 200);
    assert.equal(z.headers['content-encoding'], 'gzip');
    assert.match(z.headers.vary || '', /Accept-Encoding/);
    assert.ok(z.body.length < plain.body.length / 2, `gzip ${z.body.length} B vs ${plain.body.length} B`);
    const decoded = gunzipSync(z.body).toString('utf8');
    assert.deepEqual(JSON.parse(decoded), JSON.parse(plain.body.toString('utf8')));
    assert.equal(Number(z.headers['content-length']), z.body.length);
    // gzip;q=0 refuses it
    const q0 = await raw(srv.base, 'GET', '/api/v1/companies?limit=50', { ...h, 'accept-encoding': 'gzip;q=0' });
    assert.equal(q0.headers['content-encoding'], undefined);
    // a small answer is not compressed
    const small = await raw(srv.base, 'GET', '/api/v1/me', { ...h, 'accept-encoding': 'gzip' });
    assert.equal(small.headers['content-encoding'], undefined);
    // HEAD: no body, no encoding
    const head = await raw(srv.base, 'HEAD', '/api/v1/companies?limit=50', { ...h, 'accept-encoding': 'gzip' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });
});

describe('the authentication cache never outlives a change', () => {
  const srv = new Server();
  let admin;
  before(async () => {
    await srv.start();
    admin = await srv.login(srv.adminName);
  });
  after(() => srv.stop());

  test('a deactivated user is refused at once, by token and by cookie', async () => {
    const u = await createUser(admin, { username: unique('cache'), display_name: '缓存', role: 'rep' });
    const c = await srv.login(u.username);
    const t = await srv.tokenFor(c);
    for (let i = 0; i < 3; i++) {
      expectStatus(await c.get('/api/v1/me'), 200);
      expectStatus(await t.get('/api/v1/me'), 200);
    }
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { active: false }), 200);
    assert.equal((await t.get('/api/v1/me')).status, 401);
    assert.equal((await c.get('/api/v1/me')).status, 401);
    // reactivation revives neither (docs/security.md §3): still refused, not served from a cache
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { active: true }), 200);
    assert.equal((await t.get('/api/v1/me')).status, 401);
  });

  test('a revoked token and a logged-out session are refused at once', async () => {
    const c = await srv.login(srv.adminName);
    const tok = expectStatus(await c.post('/api/v1/tokens', { name: 'revoke me' }), 201);
    const t = srv.tokenClient(tok.token);
    for (let i = 0; i < 3; i++) expectStatus(await t.get('/api/v1/me'), 200);
    expectStatus(await c.del(`/api/v1/tokens/${tok.id}`), 204);
    assert.equal((await t.get('/api/v1/me')).status, 401);
    expectStatus(await c.get('/api/v1/me'), 200);
    expectStatus(await c.del('/api/v1/session'), 204);
    assert.equal((await c.get('/api/v1/me')).status, 401);
  });

  test('a changed user and a password reset take effect at once; a settings PATCH is seen at once', async () => {
    const u = await createUser(admin, { username: unique('role'), display_name: '角色', role: 'rep' });
    const c = await srv.login(u.username);
    const t = await srv.tokenFor(c);
    for (let i = 0; i < 3; i++) assert.equal(expectStatus(await t.get('/api/v1/me'), 200).display_name, '角色');
    const cur = expectStatus(await admin.get(`/api/v1/users/${u.id}`), 200);
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { display_name: '新名字', version: cur.version }), 200);
    assert.equal(expectStatus(await t.get('/api/v1/me'), 200).display_name, '新名字');
    assert.equal(expectStatus(await c.get('/api/v1/me'), 200).display_name, '新名字');
    // an admin's reset: the account must change its password before anything else
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: 'Reset-by-admin-1' }), 200);
    const r = await t.get('/api/v1/users');
    assert.ok(r.status === 401 || (r.status === 403 && r.body.error.code === 'password_change_required'), r.text);
    const s = expectStatus(await admin.get('/api/v1/settings'), 200);
    expectStatus(await admin.patch('/api/v1/settings', { version: s.version, owned_max: s.owned_max + 1 }), 200);
    assert.equal(expectStatus(await admin.get('/api/v1/settings'), 200).owned_max, s.owned_max + 1);
  });
});
