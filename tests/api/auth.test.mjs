// Authentication: login, cookies, CSRF, bearer tokens, logout, deactivation,
// throttling, /me.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectStatus, createUser, createTeam, sessionCookie, setCookieHeaders, PASSWORD, Client,
} from './harness.mjs';

describe('auth', () => {
  const ctx = useServer({ before, after }, { org: 'Auth Org', admin: 'auth_admin' });
  let admin, team, rep;  // rep: a logged-in rep of `team`

  before(async () => {
    const srv = ctx.srv;
    admin = await srv.login('auth_admin');
    team = await createTeam(admin, { name: '认证组' });
    for (const u of ['auth_rep', 'auth_gone', 'auth_locked', 'auth_csrf', 'auth_pw'])
      await createUser(admin, { username: u, display_name: u, role: 'rep', team_id: team.id });
    rep = await srv.login('auth_rep');
  });

  // ---------- login ----------

  const loginCases = [
    { name: 'right password', username: 'auth_rep', password: PASSWORD, status: 200 },
    { name: 'wrong password', username: 'auth_rep', password: 'not-the-password', status: 401 },
    { name: 'unknown user', username: 'nobody_here', password: PASSWORD, status: 401 },
    { name: 'empty password', username: 'auth_rep', password: '', status: 400 },
    { name: 'missing password', body: { username: 'auth_rep' }, status: 400 },
    { name: 'missing username', body: { password: PASSWORD }, status: 400 },
    { name: 'password as number', body: { username: 'auth_rep', password: 12345678 }, status: 400 },
    { name: 'unknown field', body: { username: 'auth_rep', password: PASSWORD, remember: true }, status: 400 },
  ];
  for (const c of loginCases) {
    test(`login: ${c.name} -> ${c.status}`, async () => {
      const body = c.body ?? { username: c.username, password: c.password };
      const r = await ctx.srv.anon().post('/api/v1/session', body);
      expectStatus(r, c.status, c.name);
      if (c.status === 200) {
        assert.equal(r.body.user.username, 'auth_rep');
        assert.equal(r.body.user.role, 'rep');
        assert.equal(typeof r.body.csrf_token, 'string');
        assert.ok(r.body.csrf_token.length >= 16);
        assert.equal(r.body.user.password_hash, undefined, 'never leaks the hash');
        assert.ok(sessionCookie(r.headers), 'sets the session cookie');
      } else {
        assert.equal(sessionCookie(r.headers), null, 'no cookie on a failed login');
      }
    });
  }

  test('login: cookie attributes HttpOnly, SameSite=Lax, Path=/', async () => {
    const r = await ctx.srv.loginRaw('auth_rep', PASSWORD);
    expectStatus(r, 200);
    const sc = setCookieHeaders(r.headers).find((c) => c.startsWith('tj_session='));
    assert.ok(sc, 'Set-Cookie tj_session');
    const attrs = sc.split(';').slice(1).map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), sc);
    assert.ok(attrs.includes('samesite=lax'), sc);
    assert.ok(attrs.includes('path=/'), sc);
    assert.match(sc, /^tj_session=[0-9a-f]{32,}/);
  });

  test('login: a new session id at every login, even when a cookie is sent', async () => {
    const srv = ctx.srv;
    const a = await srv.login('auth_rep');
    // Logging in while presenting an existing session cookie must not reuse it (fixation).
    const r = await srv.fetch('POST', '/api/v1/session', JSON.stringify({ username: 'auth_rep', password: PASSWORD }), {
      'content-type': 'application/json',
      cookie: a.cookie,
    });
    expectStatus(r, 200);
    const b = sessionCookie(r.headers);
    assert.notEqual(a.cookie, b);
    assert.notEqual(a.cookie, rep.cookie);
    assert.notEqual(a.csrf, r.body.csrf_token);
    // the session the browser presented is ended (its cookie is replaced); the new one works
    expectStatus(await a.get('/api/v1/me'), 401);
    expectStatus(await new Client(srv, { cookie: b }).get('/api/v1/me'), 200);
    // logging in on another device (no cookie sent) leaves other sessions alone
    const c = await srv.login('auth_rep');
    expectStatus(await new Client(srv, { cookie: b }).get('/api/v1/me'), 200);
    expectStatus(await c.get('/api/v1/me'), 200);
  });

  // ---------- /me and unauthenticated calls ----------

  test('GET /session: 204 with no credentials at all (no failing request for a logged-out browser), 401 for bad ones', async () => {
    const none = await ctx.srv.fetch('GET', '/api/v1/session');
    expectStatus(none, 204, 'no cookie, no token');
    assert.equal(none.text, '');
    assert.match(none.headers.get('cache-control') ?? '', /no-store/);
    for (const h of [{ cookie: 'tj_session=' + 'a'.repeat(64) }, { cookie: 'tj_session=abc' }, { authorization: 'Bearer tj_' + '0'.repeat(64) }])
      expectStatus(await ctx.srv.fetch('GET', '/api/v1/session', undefined, h), 401, JSON.stringify(h));
  });

  test('GET /me: the logged-in user with org and time zone', async () => {
    const me = expectStatus(await rep.get('/api/v1/me'), 200);
    assert.equal(me.username, 'auth_rep');
    assert.equal(me.role, 'rep');
    assert.equal(me.team_id, team.id);
    assert.equal(me.active, true);
    assert.equal(me.org.name, 'Auth Org');
    assert.equal(me.timezone, 'Asia/Shanghai');
    assert.equal(me.password_hash, undefined);
  });

  const unauthCases = [
    { name: 'no credentials', headers: {} },
    { name: 'garbage cookie', headers: { cookie: 'tj_session=abc' } },
    { name: 'well-formed unknown cookie', headers: { cookie: 'tj_session=' + 'a'.repeat(64) } },
    { name: 'unknown bearer token', headers: { authorization: 'Bearer tj_' + '0'.repeat(64) } },
    { name: 'short bearer token', headers: { authorization: 'Bearer x' } },
    { name: 'basic auth', headers: { authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' } },
    { name: 'empty bearer', headers: { authorization: 'Bearer ' } },
  ];
  for (const c of unauthCases) {
    for (const [method, p] of [['GET', '/api/v1/me'], ['GET', '/api/v1/companies'], ['POST', '/api/v1/companies']]) {
      test(`unauthenticated (${c.name}): ${method} ${p} -> 401`, async () => {
        const body = method === 'POST' ? JSON.stringify({ name: 'x' }) : undefined;
        const r = await ctx.srv.fetch(method, p, body, { ...c.headers, 'content-type': 'application/json' });
        expectStatus(r, 401, c.name);
      });
    }
  }

  // ---------- CSRF ----------

  const csrfCases = [
    { name: 'no X-CSRF-Token', header: null, status: 403 },
    { name: 'wrong X-CSRF-Token', header: 'deadbeef', status: 403 },
    { name: 'empty X-CSRF-Token', header: '', status: 403 },
    { name: 'another session\'s token', header: 'OTHER', status: 403 },
    { name: 'the right token', header: 'RIGHT', status: 201 },
  ];
  for (const c of csrfCases) {
    test(`cookie write with ${c.name} -> ${c.status}`, async () => {
      const srv = ctx.srv;
      const me = await srv.login('auth_csrf');
      const other = rep;
      const headers = { 'content-type': 'application/json', cookie: me.cookie };
      if (c.header === 'RIGHT') headers['x-csrf-token'] = me.csrf;
      else if (c.header === 'OTHER') headers['x-csrf-token'] = other.csrf;
      else if (c.header !== null) headers['x-csrf-token'] = c.header;
      const name = `CSRF测试公司 ${c.name}`;
      const r = await srv.fetch('POST', '/api/v1/companies', JSON.stringify({ name }), headers);
      expectStatus(r, c.status, c.name);
      // nothing was written by a refused call
      const list = expectStatus(await me.get('/api/v1/companies?q=' + encodeURIComponent(name)), 200);
      assert.equal(list.items.length, c.status === 201 ? 1 : 0);
    });
  }

  for (const [method, p, body] of [
    ['PATCH', '/api/v1/users/ME', { display_name: 'x' }],
    ['DELETE', '/api/v1/session', undefined],
    ['POST', '/api/v1/tokens', { name: 'x' }],
    ['PUT', '/api/v1/plans/2026-01-05', { goal: 'x' }],
  ]) {
    test(`CSRF is required on every cookie write: ${method} ${p} -> 403`, async () => {
      const r = await rep.req(method, p.replace('ME', rep.id), body, { csrf: false });
      expectStatus(r, 403);
      expectStatus(await rep.get('/api/v1/me'), 200, 'the session survives');
    });
  }

  test('cookie reads need no CSRF token', async () => {
    expectStatus(await rep.get('/api/v1/companies'), 200);
  });

  // ---------- bearer tokens ----------

  test('bearer token: created by a session, works without CSRF', async () => {
    const r = await rep.post('/api/v1/tokens', { name: '脚本' });
    const t = expectStatus(r, 201);
    assert.match(t.token, /^\S{20,}$/);
    const tc = ctx.srv.tokenClient(t.token);
    const me = expectStatus(await tc.get('/api/v1/me'), 200);
    assert.equal(me.username, 'auth_rep');
    const c = expectStatus(await tc.post('/api/v1/companies', { name: '令牌创建的公司' }), 201);
    assert.equal(c.owner_id, rep.id);
    expectStatus(await tc.patch(`/api/v1/companies/${c.id}`, { version: c.version, region: '杭州' }), 200);
  });

  test('bearer token: a token plus a bad cookie still authenticates by the token only', async () => {
    const t = expectStatus(await rep.post('/api/v1/tokens', { name: 'second' }), 201);
    const r = await ctx.srv.fetch('GET', '/api/v1/me', undefined, {
      authorization: `Bearer ${t.token}`,
      cookie: 'tj_session=' + 'b'.repeat(64),
    });
    expectStatus(r, 200);
  });

  test('bearer token: missing name -> 400, tokens cannot be made with a token-less anonymous call', async () => {
    expectStatus(await rep.post('/api/v1/tokens', {}), 400);
    expectStatus(await ctx.srv.anon().post('/api/v1/tokens', { name: 'x' }), 401);
  });

  // ---------- logout ----------

  test('logout -> 204, then the old cookie is 401 and the cookie is cleared', async () => {
    const srv = ctx.srv;
    const s = await srv.login('auth_rep');
    expectStatus(await s.get('/api/v1/me'), 200);
    const r = await s.del('/api/v1/session');
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    const cleared = setCookieHeaders(r.headers).find((c) => c.startsWith('tj_session='));
    assert.ok(cleared && /max-age=0/i.test(cleared), `cookie cleared: ${cleared}`);
    expectStatus(await s.get('/api/v1/me'), 401);
    expectStatus(await s.post('/api/v1/companies', { name: 'after logout' }), 401);
    // other sessions of the same user are untouched
    expectStatus(await rep.get('/api/v1/me'), 200);
  });

  // ---------- deactivation ----------

  test('deactivating a user ends their sessions and tokens at once', async () => {
    const srv = ctx.srv;
    const s1 = await srv.login('auth_gone');
    const s2 = await srv.login('auth_gone');
    const tok = srv.tokenClient(expectStatus(await s1.post('/api/v1/tokens', { name: 'cron' }), 201).token);
    expectStatus(await tok.get('/api/v1/me'), 200);
    const u = expectStatus(await admin.patch(`/api/v1/users/${s1.id}`, { active: false }), 200);
    assert.equal(u.active, false);
    for (const [who, c] of [['session 1', s1], ['session 2', s2], ['token', tok]]) {
      expectStatus(await c.get('/api/v1/me'), 401, who);
      expectStatus(await c.get('/api/v1/companies'), 401, who);
      expectStatus(await c.post('/api/v1/companies', { name: 'x' }), 401, who);
    }
    expectStatus(await srv.loginRaw('auth_gone', PASSWORD), 401, 'cannot log in');
    // reactivation does not revive the old sessions or tokens
    expectStatus(await admin.patch(`/api/v1/users/${s1.id}`, { active: true }), 200);
    expectStatus(await s1.get('/api/v1/me'), 401, 'old session stays dead');
    expectStatus(await tok.get('/api/v1/me'), 401, 'old token stays dead');
    expectStatus(await srv.loginRaw('auth_gone', PASSWORD), 200, 'can log in again');
  });

  test('a user cannot deactivate themselves', async () => {
    const r = await admin.patch(`/api/v1/users/${admin.id}`, { active: false });
    assert.ok(r.status === 403 || r.status === 400, `${r.status} ${r.text}`);
    expectStatus(r, r.status);
    expectStatus(await admin.get('/api/v1/me'), 200);
  });

  test('a rep cannot deactivate anyone (404 for others, 403 for self)', async () => {
    expectStatus(await rep.patch(`/api/v1/users/${admin.id}`, { active: false }), 404);
    expectStatus(await rep.patch(`/api/v1/users/${rep.id}`, { active: false }), 403);
    expectStatus(await admin.get('/api/v1/me'), 200);
  });

  // ---------- password change ----------

  test('changing one\'s password needs the current one and ends the other sessions', async () => {
    const srv = ctx.srv;
    const here = await srv.login('auth_pw');
    const there = await srv.login('auth_pw');
    const newPw = 'Another-pw-2026';
    expectStatus(await here.patch(`/api/v1/users/${here.id}`, { password: newPw }), 400, 'no current_password');
    expectStatus(await here.patch(`/api/v1/users/${here.id}`, { password: newPw, current_password: 'wrong-password' }), 403, 'wrong current');
    expectStatus(await here.patch(`/api/v1/users/${here.id}`, { password: 'short', current_password: PASSWORD }), 400, 'too short');
    expectStatus(await there.get('/api/v1/me'), 200, 'nothing changed yet');
    expectStatus(await here.patch(`/api/v1/users/${here.id}`, { password: newPw, current_password: PASSWORD }), 200);
    expectStatus(await here.get('/api/v1/me'), 200, 'this session goes on');
    expectStatus(await there.get('/api/v1/me'), 401, 'the other session ended');
    expectStatus(await srv.loginRaw('auth_pw', PASSWORD), 401, 'old password');
    expectStatus(await srv.loginRaw('auth_pw', newPw), 200, 'new password');
    // an admin reset ends every session of that user
    expectStatus(await admin.patch(`/api/v1/users/${here.id}`, { password: PASSWORD }), 200);
    expectStatus(await here.get('/api/v1/me'), 401, 'reset by the admin ends the sessions');
  });

  // ---------- response headers ----------

  test('API responses are JSON, not cached, and carry the security headers', async () => {
    for (const r of [await rep.get('/api/v1/me'), await ctx.srv.anon().get('/api/v1/me'), await rep.get('/api/v1/nope')]) {
      assert.match(r.headers.get('content-type') || '', /^application\/json/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
    assert.match((await rep.get('/api/v1/me')).headers.get('cache-control') || '', /no-store/);
  });

  // ---------- throttling ----------

  test('throttling: 10 wrong passwords, then 429 even with the right password', async () => {
    const srv = ctx.srv;
    for (let i = 0; i < 10; i++) expectStatus(await srv.loginRaw('auth_locked', `wrong-${i}-password`), 401, `attempt ${i + 1}`);
    const r = await srv.loginRaw('auth_locked', PASSWORD);
    expectStatus(r, 429);
    assert.equal(sessionCookie(r.headers), null);
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    expectStatus(await srv.loginRaw('auth_locked', 'wrong-again-pw'), 429);
    // the lock is per account: others still log in
    expectStatus(await srv.loginRaw('auth_rep', PASSWORD), 200);
  });

  // That the user logs in again once the 15-minute window has passed needs a clock the
  // test moves: tests/app/security_test.cpp ThrottleTenFailuresThen429ThenTheWindowPasses
  // (a FakeClock, on both backends) proves it.

  no5xxTest(test, ctx);
});
