// Sessions and accounts over HTTP: CSRF on every cookie-authenticated write
// (the routes come from the served OpenAPI document, so a new write route is
// covered without touching this file), session rotation at login and
// fixation, logout, deactivation, password changes, and login throttling.
// The time-dependent parts (the 15-minute throttling window, idle and absolute
// session expiry) are tested with a fake clock at the App level:
// tests/app/security_test.cpp.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectStatus, buildOrg, createCompany, createUser, shanghaiDate, PASSWORD, sessionCookie,
} from '../api/harness.mjs';
import { RUN, dbDigest, assertSameDigest, watchSecrets, secretsTest, openapiOps } from './lib.mjs';

describe('sessions and accounts', () => {
  const ctx = useServer({ before, after }, { org: `Sessions ${RUN}`, admin: `ss${RUN}_admin` });
  let org, admin, rep, orgId, co, contact, visit, review;
  const P = `ss${RUN}`;

  before(async () => {
    const srv = ctx.srv;
    watchSecrets(srv);
    org = await buildOrg(srv, { prefix: P, director: true, repsA: 1, repsB: 0 });
    admin = org.admin;
    rep = org.repsA[0];
    orgId = (await admin.get('/api/v1/me')).body.org.id;
    co = await createCompany(rep, { name: `会话公司${RUN}` });
    contact = expectStatus(await rep.post(`/api/v1/companies/${co.id}/contacts`, { name: '张三' }), 201);
    visit = expectStatus(await rep.post('/api/v1/visits', { company_id: co.id, kind: 'call' }), 201);
    expectStatus(await rep.put(`/api/v1/reviews/${shanghaiDate(0)}`, { wins: 'x' }), 200);
    review = (await rep.get('/api/v1/feed')).body.items.find((i) => i.kind === 'review');
  });

  // A valid request for every write route, as the admin, so that the only reason to refuse is CSRF.
  function writeRequest(op) {
    const [method, pattern] = op.split(' ');
    const today = shanghaiDate(0);
    const fill = (p) => p
      .replace('/teams/{id}', `/teams/${org.teams.A.id}`)
      .replace('/users/{id}', `/users/${rep.id}`)
      .replace('/companies/{id}', `/companies/${co.id}`)
      .replace('/contacts/{id}', `/contacts/${contact.id}`)
      .replace('/visits/{id}', `/visits/${visit.id}`)
      .replace('/feed/{kind}/{id}', `/feed/review/${review.id}`)
      .replace('{date}', today);
    const bodies = {
      'POST /api/v1/tokens': { name: 'csrf' },
      'POST /api/v1/teams': { name: `${P} 新组` },
      'PATCH /api/v1/teams/{id}': { name: `${P} 改名` },
      'POST /api/v1/users': { username: `${P}_csrf`, password: PASSWORD, role: 'rep', team_id: org.teams.A.id },
      'PATCH /api/v1/users/{id}': { display_name: '改' },
      'POST /api/v1/companies': { name: 'csrf公司' },
      'PATCH /api/v1/companies/{id}': { version: co.version, region: '改' },
      'POST /api/v1/companies/{id}/contacts': { name: '李四' },
      'PATCH /api/v1/contacts/{id}': { title: '改' },
      'POST /api/v1/visits': { company_id: co.id, kind: 'call' },
      'POST /api/v1/deals': { company_id: co.id, amount: 100 },
      'PUT /api/v1/targets': { scope: 'rep', scope_id: rep.id, metric: 'visits_new', period: 'day', value: 2 },
      'PATCH /api/v1/settings': { nurture_cap: 4 },
      'PUT /api/v1/plans/{date}': { goal: 'x' },
      'PUT /api/v1/reviews/{date}': { wins: 'y' },
      'POST /api/v1/feed/{kind}/{id}/comments': { body: '好' },
      'POST /api/v1/feed/{kind}/{id}/like': {},
      'POST /api/v1/values': { user_id: rep.id, period: '2026-11', customer_first: 3, teamwork: 3, embrace_change: 3,
        integrity: 3, passion: 3, dedication: 3 },
      'POST /api/v1/training': { user_id: rep.id, kind: 'skills', title: 'x' },
      'POST /api/v1/companies/{id}/claim': {},
    };
    if (op === 'POST /api/v1/imports') return { method, path: pattern, raw: '公司名称\ncsrf导入\n', headers: { 'content-type': 'text/csv' } };
    return { method, path: fill(pattern), body: bodies[op] };
  }

  test('CSRF: every cookie-authenticated write refuses a missing, wrong or foreign X-CSRF-Token (403), and changes nothing', async () => {
    const srv = ctx.srv;
    const ops = new Set(await openapiOps(srv));
    ops.add('POST /api/v1/imports');  // a raw-body write, documented or not
    const writes = [...ops].filter((op) => !op.startsWith('GET ') && op !== 'POST /api/v1/session');
    assert.ok(writes.length >= 20, `only ${writes.length} write routes`);
    const me = await srv.login(admin.user.username);
    const other = await srv.login(admin.user.username);  // same user, another session: its token must not work here
    const checked = [];
    for (const op of writes) {
      const spec = writeRequest(op);
      const before = dbDigest(srv, orgId);
      for (const [label, token] of [['missing', null], ['wrong', 'x'.repeat(48)], ['empty', ''],
        ['another session of the same user', other.csrf], ['case-changed', me.csrf.toUpperCase()],
        ['with a suffix', me.csrf + 'a'], ['a prefix', me.csrf.slice(0, 47)]]) {
        const headers = { cookie: me.cookie, ...(spec.headers || {}) };
        if (token !== null) headers['x-csrf-token'] = token;
        let payload = spec.raw ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
        if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
        const r = await srv.fetch(spec.method, spec.path, payload, headers);
        assert.equal(r.status, 403, `${op} with a ${label} token: ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(r.body?.error?.code, 'csrf', `${op} (${label}): ${r.text.slice(0, 200)}`);
      }
      assertSameDigest(before, dbDigest(srv, orgId), `${op} with bad CSRF tokens`);
      checked.push(op);
    }
    expectStatus(await me.get('/api/v1/me'), 200, 'the session survives (logout needs CSRF too)');
    assert.ok(checked.includes('DELETE /api/v1/session'));
  });

  test('CSRF: the same write with the right token goes through (the refusals are not vacuous)', async () => {
    const srv = ctx.srv;
    const me = await srv.login(admin.user.username);
    expectStatus(await me.post('/api/v1/companies', { name: `csrf-ok${RUN}` }), 201);
    expectStatus(await me.put(`/api/v1/plans/${shanghaiDate(0)}`, { goal: 'ok' }), 200);
    expectStatus(await me.del('/api/v1/session'), 204);
  });

  test('CSRF: a bearer-token write needs no CSRF token, and a cookie never stands in for a token', async () => {
    const srv = ctx.srv;
    const t = await srv.tokenFor(rep, 'csrf-free');
    expectStatus(await t.post('/api/v1/companies', { name: `token-ok${RUN}` }), 201);
    // a bad bearer token with a good cookie is refused: no fallback to the cookie
    const r = await srv.fetch('GET', '/api/v1/me', undefined, { authorization: 'Bearer tj_' + '0'.repeat(64), cookie: rep.cookie });
    expectStatus(r, 401);
  });

  test('CSRF: reads never need it; a cross-site form post (text/plain, no token) is refused', async () => {
    const srv = ctx.srv;
    expectStatus(await rep.get('/api/v1/companies'), 200);
    const before = dbDigest(srv, orgId);
    // a form can send text/plain only: 415 before anything else (issue 17 point 9) …
    const r = await srv.fetch('POST', '/api/v1/companies', '{"name":"csrf form"}', {
      cookie: rep.cookie, 'content-type': 'text/plain', origin: 'https://evil.example',
    });
    expectStatus(r, 415);
    // … and application/json without the token is the CSRF refusal
    const r2 = await srv.fetch('POST', '/api/v1/companies', '{"name":"csrf form"}', {
      cookie: rep.cookie, 'content-type': 'application/json', origin: 'https://evil.example',
    });
    expectStatus(r2, 403);
    assertSameDigest(before, dbDigest(srv, orgId));
  });

  // ---- reading the session's CSRF token (a new tab, a reopened app) ----

  test("GET /session: the cookie's own CSRF token, same-origin only, never to a bearer token or another site", async () => {
    const srv = ctx.srv;
    const a = await srv.login(rep.user.username);
    const r = await a.get('/api/v1/session');
    const b = expectStatus(r, 200);
    assert.equal(b.csrf_token, a.csrf, "the session's own token, the one the login gave");
    assert.equal(b.me.id, rep.user.id);
    assert.equal(b.me.role, 'rep');
    // same-origin fetches and typed-in navigations get it …
    expectStatus(await a.get('/api/v1/session', { headers: { 'sec-fetch-site': 'same-origin' } }), 200);
    const host = new URL(srv.base ?? `http://127.0.0.1:${srv.port}`).host;
    expectStatus(await a.get('/api/v1/session', { headers: { origin: `http://${host}` } }), 200);
    // … another site, a sibling subdomain or a foreign Origin does not
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }]) {
      const x = await a.get('/api/v1/session', { headers });
      assert.equal(expectStatus(x, 403, JSON.stringify(headers)).error.code, 'cross_site');
      assert.ok(!x.text.includes(a.csrf));
      assert.equal(x.headers.get('access-control-allow-origin'), null, 'no CORS header');
    }
    assert.equal(r.headers.get('access-control-allow-origin'), null, 'no CORS header on the answer either');
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    // a bearer token has no session
    const t = await srv.tokenFor(a, 'no-session');
    assert.equal(expectStatus(await t.get('/api/v1/session'), 400).error.code, 'no_session');
    // without any credentials: 204, no session (a logged-out browser's first question is not a failure);
    // with a cookie that no longer names a session (after logout): 401
    expectStatus(await srv.fetch('GET', '/api/v1/session'), 204);
    expectStatus(await a.del('/api/v1/session'), 204);
    expectStatus(await a.get('/api/v1/session'), 401);
  });

  // ---- rotation, fixation, logout ----

  test('session rotation: each login issues a new id; the cookie sent at login is ended', async () => {
    const srv = ctx.srv;
    const a = await srv.login(rep.user.username);
    const r = await srv.fetch('POST', '/api/v1/session', JSON.stringify({ username: rep.user.username, password: PASSWORD }),
      { 'content-type': 'application/json', cookie: a.cookie });
    expectStatus(r, 200);
    const b = sessionCookie(r.headers);
    assert.ok(b && b !== a.cookie, 'a new session id');
    expectStatus(await a.get('/api/v1/me'), 401, 'the old session ended at login');
    const c = await srv.login(rep.user.username);
    assert.notEqual(c.cookie, b);
    assert.notEqual(c.csrf, r.body.csrf_token, 'a new CSRF token per session');
  });

  test('session fixation: a cookie value chosen by an attacker is never adopted', async () => {
    const srv = ctx.srv;
    const chosen = 'tj_session=' + 'ab'.repeat(32);
    const r = await srv.fetch('POST', '/api/v1/session', JSON.stringify({ username: rep.user.username, password: PASSWORD }),
      { 'content-type': 'application/json', cookie: chosen });
    expectStatus(r, 200);
    assert.notEqual(sessionCookie(r.headers), chosen);
    expectStatus(await srv.fetch('GET', '/api/v1/me', undefined, { cookie: chosen }), 401);
  });

  test('logout ends this session only; the cookie is cleared; tokens and other sessions live on', async () => {
    const srv = ctx.srv;
    const a = await srv.login(rep.user.username);
    const b = await srv.login(rep.user.username);
    const t = await srv.tokenFor(b, 'logout-test');
    const r = await a.del('/api/v1/session');
    assert.equal(r.status, 204);
    assert.ok(r.headers.getSetCookie().some((c) => /^tj_session=;/.test(c) && /max-age=0/i.test(c)), 'cookie cleared');
    expectStatus(await a.get('/api/v1/me'), 401);
    expectStatus(await a.post('/api/v1/companies', { name: 'after logout' }), 401);
    expectStatus(await b.get('/api/v1/me'), 200);
    expectStatus(await t.get('/api/v1/me'), 200);
  });

  test('deactivation ends every session and token at once; reactivation revives none of them', async () => {
    const srv = ctx.srv;
    const u = await createUser(admin, { username: `${P}_gone`, role: 'rep', team_id: org.teams.A.id });
    const s1 = await srv.login(u.username);
    const s2 = await srv.login(u.username);
    const t = await srv.tokenFor(s1, 'gone');
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { active: false }), 200);
    for (const c of [s1, s2, t]) {
      expectStatus(await c.get('/api/v1/me'), 401);
      expectStatus(await c.post('/api/v1/companies', { name: 'ghost' }), 401);
    }
    expectStatus(await srv.loginRaw(u.username, PASSWORD), 401, 'a deactivated user cannot log in');
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { active: true }), 200);
    for (const c of [s1, s2, t]) expectStatus(await c.get('/api/v1/me'), 401, 'still dead after reactivation');
  });

  test('a password change ends the other sessions, keeps this one; an admin reset ends them all', async () => {
    const srv = ctx.srv;
    const u = await createUser(admin, { username: `${P}_pw`, role: 'rep', team_id: org.teams.A.id });
    const here = await srv.login(u.username);
    const there = await srv.login(u.username);
    expectStatus(await here.patch(`/api/v1/users/${u.id}`, { password: 'New-password-77', current_password: PASSWORD }), 200);
    expectStatus(await here.get('/api/v1/me'), 200);
    expectStatus(await there.get('/api/v1/me'), 401);
    const again = await srv.login(u.username, 'New-password-77');
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: PASSWORD }), 200);
    expectStatus(await here.get('/api/v1/me'), 401);
    expectStatus(await again.get('/api/v1/me'), 401);
  });

  // ---- throttling ----

  test('login throttling: at most 10 failures per account per 15 minutes (<= 40 an hour), then 429 even for the right password', async () => {
    const srv = ctx.srv;
    const u = await createUser(admin, { username: `${P}_lock`, role: 'rep', team_id: org.teams.A.id });
    let n401 = 0;
    for (let i = 0; i < 12; i++) {
      const r = await srv.loginRaw(u.username, `wrong-${i}-pw`);
      expectStatus(r, r.status);
      if (r.status === 401) n401++;
      else assert.equal(r.status, 429);
    }
    assert.equal(n401, 10, 'ten failures are answered 401, the rest 429');
    const r = await srv.loginRaw(u.username, PASSWORD);
    expectStatus(r, 429);
    assert.equal(sessionCookie(r.headers), null, 'no session while throttled');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });

  test('login throttling: per account (others are not locked out), and unknown usernames answer alike', async () => {
    const srv = ctx.srv;
    const ghost = `${P}_nobody`;
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await srv.loginRaw(ghost, 'wrong-pw-x')).status);
    assert.deepEqual(statuses, [...Array(10).fill(401), 429], 'an unknown name is throttled like a known one');
    expectStatus(await srv.loginRaw(rep.user.username, PASSWORD), 200);
  });

  test('a success clears the failure count', async () => {
    const srv = ctx.srv;
    const u = await createUser(admin, { username: `${P}_clear`, role: 'rep', team_id: org.teams.A.id });
    for (let i = 0; i < 9; i++) expectStatus(await srv.loginRaw(u.username, 'wrong-pw-y'), 401);
    expectStatus(await srv.loginRaw(u.username, PASSWORD), 200);
    for (let i = 0; i < 9; i++) expectStatus(await srv.loginRaw(u.username, 'wrong-pw-z'), 401);
    expectStatus(await srv.loginRaw(u.username, PASSWORD), 200);
  });

  secretsTest(test, ctx);
  no5xxTest(test, ctx);
});
