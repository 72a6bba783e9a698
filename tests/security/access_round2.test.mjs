// Security round two, access and data (issue 17, points 5, 6, 7, 8 and 12), over HTTP
// against the real binary (SQLite, or PostgreSQL with TIEJUN_TEST_PG):
//   5  deleting a visit needs the company to be the caller's to change now, and the audit
//      log shows a caller only what they may read;
//   6  team_id naming the caller's own team (or a parent team) never widens the scope;
//   7  public-pool companies are edited, assigned and deleted only by the admin (or a
//      director over the whole organisation);
//   8  an admin's password reset forces a new password at the next login and ends every
//      session and token; a manager may not reset; tokens are listed and revoked;
//   12 a rep's import owner column and a visit's companion_id reveal no one the caller
//      may not see.
// Each case failed on the code before the fix (see docs/security.md, "Round two (access)").
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectStatus, buildOrg, createCompany, createTeam, createUser, shanghaiDate, PASSWORD,
} from '../api/harness.mjs';
import { RUN, watchSecrets, secretsTest, dbDigest, assertSameDigest } from './lib.mjs';

describe('access, round two', () => {
  const ctx = useServer({ before, after }, { org: `Round2 ${RUN}`, admin: `r2${RUN}_admin` });
  const P = `r2${RUN}`;
  let org, admin, mgrA, mgrB, director, A1, A2, B1, orgId;

  before(async () => {
    watchSecrets(ctx.srv);
    org = await buildOrg(ctx.srv, { prefix: P, repsA: 2, repsB: 1 });
    ({ admin, mgrA, mgrB, director } = org);
    [A1, A2] = org.repsA;
    [B1] = org.repsB;
    orgId = (await admin.get('/api/v1/me')).body.org.id;
  });

  const digest = () => dbDigest(ctx.srv, orgId);
  const csv = (text) => ({ raw: Buffer.from(text, 'utf8'), headers: { 'content-type': 'text/csv' } });

  // ---------- 5: deleting a visit on a company that is no longer one's own ----------

  test('5: a rep cannot delete their old visit on a company now owned by another team, nor read its state in the audit log', async () => {
    const mark = `五号${RUN}`;
    const co = await createCompany(A1, { name: `旧客户${RUN}` });
    const v = expectStatus(await A1.post('/api/v1/visits', { company_id: co.id, kind: 'visit', need: true }), 201);
    const c1 = expectStatus(await A1.get(`/api/v1/companies/${co.id}`), 200);
    expectStatus(await A1.patch(`/api/v1/companies/${co.id}`, { version: c1.version, status: 'dropped', drop_reason: '没预算' }), 200);
    // in the pool: the rep may not rewrite it either (claim first)
    let before = digest();
    const inPool = expectStatus(await A1.del(`/api/v1/visits/${v.id}`), 409);
    assert.equal(inPool.error.code, 'in_pool');
    assertSameDigest(before, digest(), 'a refused visit delete on a pool company');
    // rep B1 (team B) claims it and writes their own data on it
    const cl = expectStatus(await B1.post(`/api/v1/companies/${co.id}/claim`, {}), 200);
    expectStatus(await B1.patch(`/api/v1/companies/${co.id}`, { version: cl.version, region: mark, competitor: mark }), 200);
    before = digest();
    expectStatus(await A1.del(`/api/v1/visits/${v.id}`), 404, "rep A1 deletes their old visit on B1's company");
    expectStatus(await mgrA.del(`/api/v1/visits/${v.id}`), 404, "manager A deletes it (the rep is theirs, the company is not)");
    assertSameDigest(before, digest(), 'refused visit deletes change nothing, audit log included');
    const now = expectStatus(await B1.get(`/api/v1/companies/${co.id}`), 200);
    assert.equal(now.visit_count, 1, 'the visit is still there');
    for (const who of [A1, mgrA]) {
      const log = expectStatus(await who.get('/api/v1/audit?limit=500'), 200);
      assert.ok(!JSON.stringify(log).includes(mark), `the audit log of ${who.user.username} shows B1's data`);
      // the caller's own entries about the company keep who/when/what, without the values
      const about = log.items.filter((e) => e.entity === 'company' && e.entity_id === co.id);
      if (who === A1) assert.ok(about.length >= 2, 'rep A1 still sees that they created and dropped it');
      for (const e of about) assert.deepEqual([e.old, e.new, e.redacted], [null, null, true], JSON.stringify(e));
    }
    // the owner (and the admin) read the full entries
    const own = expectStatus(await B1.get(`/api/v1/audit?entity=company&entity_id=${co.id}`), 200);
    assert.ok(JSON.stringify(own).includes(mark), 'the owner reads their own change');
    // on a company the rep owns, deleting a visit still works
    const mine = await createCompany(A1, { name: `自己的${RUN}` });
    const v2 = expectStatus(await A1.post('/api/v1/visits', { company_id: mine.id, kind: 'call' }), 201);
    expectStatus(await A1.del(`/api/v1/visits/${v2.id}`), 204);
    // and the rep's manager may delete it too (company in scope)
    const v3 = expectStatus(await A1.post('/api/v1/visits', { company_id: mine.id, kind: 'call' }), 201);
    expectStatus(await mgrA.del(`/api/v1/visits/${v3.id}`), 204);
    // a teammate's visit on a company the teammate owns is not the other teammate's to delete
    const v4 = expectStatus(await A1.post('/api/v1/visits', { company_id: mine.id, kind: 'call' }), 201);
    expectStatus(await A2.del(`/api/v1/visits/${v4.id}`), 404);
  });

  // ---------- 6: team_id of one's own team never widens the scope ----------

  test('6: team_id of the caller\'s own (or parent) team returns the same scope as no team_id', async () => {
    const srv = ctx.srv;
    const today = shanghaiDate(0);
    // a sub-team under team A with its own rep, whose plan and review carry a marker
    const sub = await createTeam(admin, { name: `${P} 一组小分队`, parent_id: org.teams.A.id });
    await createUser(admin, { username: `${P}_s1`, display_name: `${P}_s1`, role: 'rep', team_id: sub.id, hire_date: '2025-01-06' });
    const S1 = await srv.login(`${P}_s1`);
    const mark = `六号${RUN}`;
    expectStatus(await S1.put(`/api/v1/plans/${today}`, { goal: `${mark} 目标` }), 200);
    expectStatus(await S1.put(`/api/v1/reviews/${today}`, { wins: `${mark} 收获` }), 200);
    const sc = await createCompany(S1, { name: `${mark}客户` });
    expectStatus(await S1.post('/api/v1/deals', { company_id: sc.id, amount: 123400 }), 201);
    // a manager who belongs to the root team and manages only a new team C
    const C = await createTeam(admin, { name: `${P} 三组`, parent_id: org.teams.root.id });
    await createUser(admin, { username: `${P}_mgrC`, role: 'manager', team_id: org.teams.root.id });
    const mgrC = await srv.login(`${P}_mgrC`);
    expectStatus(await admin.patch(`/api/v1/teams/${C.id}`, { manager_id: mgrC.id }), 200);
    await createUser(admin, { username: `${P}_c1`, role: 'rep', team_id: C.id });

    const ids = (body) => {
      const items = body.items ?? body.rows ?? [];
      return [...new Set(items.map((x) => x.rep_id ?? x.item?.rep_id).filter((x) => x !== undefined))].sort((a, b) => a - b);
    };
    const routes = ['/api/v1/rhythm', '/api/v1/feed', '/api/v1/leaderboard', '/api/v1/metrics/reps'];
    for (const [who, team] of [[A1, org.teams.A.id], [mgrC, org.teams.root.id]]) {
      for (const r of routes) {
        const plain = expectStatus(await who.get(r), 200);
        const named = expectStatus(await who.get(`${r}?team_id=${team}`), 200);
        assert.ok(!JSON.stringify(named).includes(mark), `${who.user.username} ${r}?team_id=${team} shows the sub-team's data`);
        assert.deepEqual(ids(named), ids(plain), `${who.user.username} ${r}: team_id must not change the reps covered`);
        assert.ok(!ids(named).includes(S1.id), `${r}: the sub-team's rep is not the caller's`);
      }
    }
    // the manager of team A sees the sub-team both ways (it is in their subtree): not vacuous
    for (const r of ['/api/v1/rhythm', '/api/v1/metrics/reps']) {
      const named = expectStatus(await mgrA.get(`${r}?team_id=${org.teams.A.id}`), 200);
      assert.ok(ids(named).includes(S1.id), `manager A sees the sub-team's rep in ${r}`);
    }
    // naming a team outside the scope stays 404
    expectStatus(await A1.get(`/api/v1/rhythm?team_id=${org.teams.B.id}`), 404);
    expectStatus(await mgrC.get(`/api/v1/metrics/reps?team_id=${org.teams.A.id}`), 404);
  });

  // ---------- 7: pool writes ----------

  test('7: a pool company is edited, assigned and deleted only by the admin or a director over the whole organisation', async () => {
    const mk = async () => createCompany(admin, { name: `公海${RUN}${Math.random().toString(36).slice(2, 8)}`, owner_id: null });
    const co = await mk();
    const before = digest();
    for (const [who, st] of [[A1, 409], [B1, 409], [mgrA, 403], [mgrB, 403]]) {
      const r = expectStatus(await who.patch(`/api/v1/companies/${co.id}`, { version: co.version, name: `改名${RUN}` }), st);
      if (st === 403) assert.equal(r.error.code, 'pool_company');
      expectStatus(await who.patch(`/api/v1/companies/${co.id}`, { version: co.version, owner_id: who.id }), st === 409 ? 400 : 403);
      expectStatus(await who.del(`/api/v1/companies/${co.id}`), st === 409 ? 404 : 403);
    }
    assertSameDigest(before, digest(), 'refused pool writes change nothing');
    // the director manages the root team, the whole organisation here
    const d = expectStatus(await director.patch(`/api/v1/companies/${co.id}`, { version: co.version, region: '华东' }), 200);
    const a = expectStatus(await admin.patch(`/api/v1/companies/${co.id}`, { version: d.version, owner_id: A1.id }), 200);
    assert.equal(a.owner_id, A1.id);
    const gone = await mk();
    expectStatus(await admin.del(`/api/v1/companies/${gone.id}`), 204);
    // claiming stays open to everyone
    const free = await mk();
    expectStatus(await B1.post(`/api/v1/companies/${free.id}/claim`, {}), 200);
  });

  // ---------- 8: resets, the forced change, tokens ----------

  test('8: a manager cannot reset a rep\'s password; nothing changes', async () => {
    const s = await ctx.srv.login(A2.user.username);
    const before = digest();
    const r = expectStatus(await mgrA.patch(`/api/v1/users/${A2.id}`, { password: 'Manager-set-1' }), 403);
    assert.equal(r.error.code, 'forbidden');
    assertSameDigest(before, digest(), 'a refused reset');
    expectStatus(await s.get('/api/v1/me'), 200, "the rep's session lives on");
    expectStatus(await ctx.srv.loginRaw(A2.user.username, 'Manager-set-1'), 401);
  });

  test('8: an admin reset ends every session and token, is audited as a reset, and forces a new password at the next login', async () => {
    const srv = ctx.srv;
    const u = await createUser(admin, { username: `${P}_reset`, role: 'rep', team_id: org.teams.A.id });
    const s1 = await srv.login(u.username);
    const s2 = await srv.login(u.username);
    const t = await srv.tokenFor(s1, 'script');
    expectStatus(await t.get('/api/v1/me'), 200);
    const temp = 'Temp-pass-2026';
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: temp }), 200);
    for (const c of [s1, s2, t]) expectStatus(await c.get('/api/v1/me'), 401, 'every session and token ended');
    const log = expectStatus(await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&limit=5`), 200);
    assert.equal(log.items[0].action, 'password_reset');
    assert.equal(log.items[0].new.password, 'reset');
    assert.equal(log.items[0].new.must_change_password, true);
    expectStatus(await srv.loginRaw(u.username, PASSWORD), 401, 'the old password is gone');

    const lr = expectStatus(await srv.loginRaw(u.username, temp), 200);
    assert.equal(lr.must_change_password, true, 'login says a change is due');
    const c = await srv.login(u.username, temp);
    const me = expectStatus(await c.get('/api/v1/me'), 200);
    assert.equal(me.must_change_password, true);
    for (const [m, p, b] of [['GET', '/api/v1/companies'], ['POST', '/api/v1/companies', { name: `不许${RUN}` }],
      ['POST', '/api/v1/tokens', { name: 'x' }], ['GET', '/api/v1/tokens'], ['PATCH', `/api/v1/users/${u.id}`, { display_name: 'x' }],
      ['PATCH', `/api/v1/users/${u.id}`, { password: 'Another-pass-1', current_password: temp }], ['GET', '/api/v1/rhythm']]) {
      const r = expectStatus(await c.req(m, p, b), 403, `${m} ${p} before the change`);
      assert.equal(r.error.code, 'password_change_required');
    }
    expectStatus(await c.post('/api/v1/me/password', { current_password: 'wrong-pass-1', new_password: 'Mine-pass-2026' }), 403);
    expectStatus(await c.post('/api/v1/me/password', { current_password: temp, new_password: 'short' }), 400);
    expectStatus(await c.post('/api/v1/me/password', { current_password: temp, new_password: temp }), 400);
    expectStatus(await c.post('/api/v1/me/password', { current_password: temp }), 400);
    expectStatus(await c.post('/api/v1/me/password', { current_password: temp, new_password: 'Mine-pass-2026', extra: 1 }), 400);
    expectStatus(await c.post('/api/v1/me/password', { current_password: temp, new_password: 'Mine-pass-2026' }, { csrf: false }), 403);
    const other = await srv.login(u.username, temp);
    const ok = expectStatus(await c.post('/api/v1/me/password', { current_password: temp, new_password: 'Mine-pass-2026' }), 200);
    assert.equal(ok.must_change_password, false);
    expectStatus(await c.get('/api/v1/companies'), 200, 'free once changed');
    expectStatus(await other.get('/api/v1/me'), 401, 'the change ends the other sessions');
    const after = expectStatus(await srv.loginRaw(u.username, 'Mine-pass-2026'), 200);
    assert.equal(after.must_change_password, false);
    const log2 = expectStatus(await admin.get(`/api/v1/audit?entity=user&entity_id=${u.id}&limit=5`), 200);
    assert.ok(log2.items.some((e) => e.action === 'password_change' && e.new.password === 'changed'), JSON.stringify(log2.items));
    // logging out is allowed while a change is due
    expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: temp }), 200);
    const d = await srv.login(u.username, temp);
    expectStatus(await d.del('/api/v1/session'), 204);
  });

  test('8: tokens are listed (own; the admin all) and revoked (own; the admin any), never with their secret', async () => {
    const srv = ctx.srv;
    const r1 = expectStatus(await A1.post('/api/v1/tokens', { name: `a1-${RUN}` }), 201);
    const r2 = expectStatus(await A2.post('/api/v1/tokens', { name: `a2-${RUN}` }), 201);
    const mine = expectStatus(await A1.get('/api/v1/tokens'), 200);
    assert.ok(mine.items.some((x) => x.id === r1.id && x.name === `a1-${RUN}` && x.user_id === A1.id));
    assert.ok(mine.items.every((x) => x.user_id === A1.id), 'only their own');
    assert.ok(!JSON.stringify(mine).includes(r1.token), 'no secret in the list');
    expectStatus(await A1.get(`/api/v1/tokens?user_id=${A2.id}`), 404);
    expectStatus(await A1.get('/api/v1/tokens?user_id=abc'), 400);
    expectStatus(await A1.get('/api/v1/tokens?x=1'), 400);
    expectStatus(await mgrA.get(`/api/v1/tokens?user_id=${A2.id}`), 404, 'a manager lists only their own');
    const all = expectStatus(await admin.get('/api/v1/tokens'), 200);
    assert.ok(all.items.some((x) => x.id === r1.id) && all.items.some((x) => x.id === r2.id));
    const one = expectStatus(await admin.get(`/api/v1/tokens?user_id=${A2.id}`), 200);
    assert.deepEqual(one.items.map((x) => x.user_id).filter((x) => x !== A2.id), []);
    // revoking
    let before = digest();
    for (const who of [A1, mgrA, director]) expectStatus(await who.del(`/api/v1/tokens/${r2.id}`), 404, `${who.user.username} revokes A2's token`);
    expectStatus(await A1.del('/api/v1/tokens/abc'), 404);
    expectStatus(await A1.del('/api/v1/tokens/99999999'), 404);
    assertSameDigest(before, digest(), 'refused revocations');
    const t1 = srv.tokenClient(r1.token, A1.user);
    expectStatus(await t1.get('/api/v1/me'), 200);
    expectStatus(await A1.del(`/api/v1/tokens/${r1.id}`), 204);
    expectStatus(await t1.get('/api/v1/me'), 401, 'revoked at once');
    expectStatus(await A1.del(`/api/v1/tokens/${r1.id}`), 404, 'already gone');
    const t2 = srv.tokenClient(r2.token, A2.user);
    expectStatus(await admin.del(`/api/v1/tokens/${r2.id}`), 204, 'the admin revokes any');
    expectStatus(await t2.get('/api/v1/me'), 401);
    const log = expectStatus(await admin.get(`/api/v1/audit?entity=token&entity_id=${r2.id}`), 200);
    assert.ok(log.items.some((e) => e.action === 'delete'), JSON.stringify(log.items));
  });

  // ---------- 12: enumeration ----------

  test('12: a rep\'s import owner column tells nothing about other people; a manager\'s nothing beyond their teams', async () => {
    const srv = ctx.srv;
    await createUser(admin, { username: `${P}_gone`, role: 'rep', team_id: org.teams.B.id });
    const goneB = (await admin.get('/api/v1/users')).body.items.find((x) => x.username === `${P}_gone`);
    expectStatus(await admin.patch(`/api/v1/users/${goneB.id}`, { active: false }), 200);
    const names = [B1.user.username, `${P}_gone`, `${P}_nobody`, A2.user.username, mgrB.user.username];
    const file = `公司名称,负责人\n${names.map((n, i) => `枚举${RUN}${i},${n}`).join('\n')}\n`;
    const reasons = async (who, lang) => {
      const r = expectStatus(await who.req('POST', '/api/v1/imports?dry_run=true&mode=per_row', undefined,
        { ...csv(file), headers: { 'content-type': 'text/csv', ...(lang ? { 'accept-language': lang } : {}) } }), 200);
      return r.rejects.map((x) => x.reasons.join(' | ').replaceAll(names[x.row - 2] ?? '\u0000', 'NAME'));
    };
    for (const lang of [null, 'en']) {
      const rep = await reasons(A1, lang);
      assert.equal(rep.length, names.length, 'every other name is refused for a rep');
      assert.equal(new Set(rep).size, 1, `a rep gets one reason whoever is named: ${rep.join(' / ')}`);
      const mgr = await reasons(mgrA, lang);
      // the manager may assign A2; team B's rep, its deactivated rep, team B's manager and an unknown name read alike
      assert.equal(mgr.length, 4, mgr.join(' / '));
      assert.equal(new Set(mgr).size, 1, `a manager cannot tell who exists outside their teams: ${mgr.join(' / ')}`);
    }
    // the ?owner= option too
    const o1 = expectStatus(await mgrA.req('POST', `/api/v1/imports?dry_run=true&owner=${B1.user.username}`, undefined, csv('公司名称\nX\n')), 400);
    const o2 = expectStatus(await mgrA.req('POST', `/api/v1/imports?dry_run=true&owner=${P}_nobody`, undefined, csv('公司名称\nX\n')), 400);
    assert.equal(o1.error.message.replace(B1.user.username, 'N'), o2.error.message.replace(`${P}_nobody`, 'N'));
    void srv;
  });

  test('12: companion_id names a manager of the rep\'s own line, and an unknown id reads the same as another team\'s manager', async () => {
    const co = await createCompany(A1, { name: `陪访${RUN}` });
    const visit = (companion) => A1.post('/api/v1/visits', { company_id: co.id, kind: 'accompanied', companion_id: companion, coaching_stage: 2 });
    const before = digest();
    const other = expectStatus(await visit(mgrB.id), 400, "another team's manager");
    const none = expectStatus(await visit(99999999), 400, 'no such user');
    const rep = expectStatus(await visit(B1.id), 400, 'a rep');
    assert.deepEqual(other.error, none.error);
    assert.deepEqual(rep.error, none.error);
    assertSameDigest(before, digest(), 'refused accompanied visits');
    for (const m of [mgrA, director, admin]) expectStatus(await visit(m.id), 201, `${m.user.username} is of rep A1's line`);
  });

  secretsTest(test, ctx);
  no5xxTest(test, ctx);
});
