// The public pool's claim limits and duplicate names (撞单) over HTTP: the 409 shapes
// (`duplicate`, `claim_daily_max`, `reclaim_cooldown`, `owned_max`) in both languages,
// 查重 (GET /companies/check), the admin's duplicates list and merge, and their bad input.
// The clock-driven cases (release after the claim, pool_release_soon, the cool-down's last
// day) are in tests/app/pool_duplicates_test.cpp with a fake clock.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectStatus, createUser, createTeam, createCompany, shanghaiDate, addDays, PASSWORD,
} from './harness.mjs';

const enc = encodeURIComponent;
const EN = { headers: { 'accept-language': 'en' } };

describe('pool limits and duplicates', () => {
  const ctx = useServer({ before, after }, { org: 'Pool Org', admin: 'pd_admin' });
  let admin, rep, rep2, mgr, other;

  before(async () => {
    const srv = ctx.srv;
    admin = await srv.login('pd_admin');
    const team = await createTeam(admin, { name: '撞单组' });
    const team2 = await createTeam(admin, { name: '别的组' });
    await createUser(admin, { username: 'pd_rep', display_name: '王小明', role: 'rep', team_id: team.id, password: PASSWORD });
    await createUser(admin, { username: 'pd_rep2', display_name: '李小红', role: 'rep', team_id: team.id, password: PASSWORD });
    await createUser(admin, { username: 'pd_other', display_name: '赵别组', role: 'rep', team_id: team2.id, password: PASSWORD });
    const m = await createUser(admin, { username: 'pd_mgr', display_name: '张经理', role: 'manager', team_id: team.id, password: PASSWORD });
    expectStatus(await admin.patch(`/api/v1/teams/${team.id}`, { manager_id: m.id }), 200);
    rep = await srv.login('pd_rep');
    rep2 = await srv.login('pd_rep2');
    other = await srv.login('pd_other');
    mgr = await srv.login('pd_mgr');
  });

  // ---------- 撞单 ----------

  test('create: the same name, or a variant of it, owned by another rep -> 409 duplicate naming the owner only', async () => {
    const c = await createCompany(rep, { name: '（苏州）恒达精密机械有限公司', region: '苏州' });
    for (const name of ['（苏州）恒达精密机械有限公司', '(苏州)恒达精密机械股份有限公司', '苏州 恒达精密机械有限责任公司',
      '（苏州）恒达精密机械']) {
      const r = await other.post('/api/v1/companies', { name });
      const e = expectStatus(r, 409, name).error;
      assert.equal(e.code, 'duplicate');
      assert.ok(e.message.includes('王小明'), e.message);
      assert.ok(!e.message.includes('恒达') && !e.message.includes(String(c.id)) && !e.message.includes('苏州'),
        `nothing else of a company the caller may not read: ${e.message}`);
    }
    const en = expectStatus(await other.post('/api/v1/companies', { name: '恒达精密机械（苏州）' }), 201, 'another name');
    assert.ok(en.id > 0);
    const e2 = expectStatus(await other.post('/api/v1/companies', { name: '(苏州)恒达精密机械 Co., Ltd.' }, EN), 409).error;
    assert.equal(e2.code, 'duplicate');
    assert.match(e2.message, /already a customer of 王小明/);
    // the owner and their manager see the attempts; the one who tried does not
    const seen = (c2) => c2.get(`/api/v1/audit?entity=company&entity_id=${c.id}`)
      .then((r) => expectStatus(r, 200).items.filter((i) => i.action === 'duplicate_attempt'));
    assert.equal((await seen(rep)).length, 5);
    assert.equal((await seen(mgr)).length, 5);
    assert.equal((await seen(other)).length, 0);
    assert.equal((await seen(rep))[0].new.attempted_by, other.id);
  });

  test('rename into a clash -> 409 duplicate, unchanged; a variant of its own name is fine', async () => {
    await createCompany(rep, { name: '北辰物流' });
    const mine = await createCompany(rep2, { name: '南山物流' });
    const e = expectStatus(await rep2.patch(`/api/v1/companies/${mine.id}`, { version: 1, name: '北辰物流有限公司' }), 409).error;
    assert.equal(e.code, 'duplicate');
    assert.ok(e.message.includes('王小明'), e.message);
    assert.equal((expectStatus(await rep2.get(`/api/v1/companies/${mine.id}`), 200)).name, '南山物流');
    const ok = expectStatus(await rep2.patch(`/api/v1/companies/${mine.id}`, { version: 1, name: '南山物流有限公司' }), 200);
    assert.equal(ok.name, '南山物流有限公司');
  });

  test('check: exists, owner_name, company_id only when readable; bad input -> 400', async () => {
    const c = await createCompany(rep, { name: '查重示例科技有限公司' });
    const mine = expectStatus(await rep.get(`/api/v1/companies/check?name=${enc('查重示例科技')}`), 200);
    assert.deepEqual([mine.exists, mine.owner_name, mine.company_id, mine.mine], [true, '王小明', c.id, true]);
    const theirs = expectStatus(await other.get(`/api/v1/companies/check?name=${enc('查重示例科技股份有限公司')}`), 200);
    assert.deepEqual([theirs.exists, theirs.owner_name, theirs.company_id], [true, '王小明', null]);
    assert.ok(!JSON.stringify(theirs).includes('查重示例'), JSON.stringify(theirs));
    assert.equal(expectStatus(await mgr.get(`/api/v1/companies/check?name=${enc('查重示例科技')}`), 200).company_id, c.id);
    const none = expectStatus(await other.get(`/api/v1/companies/check?name=${enc('从没有过的公司')}`), 200);
    assert.deepEqual([none.exists, none.owner_name, none.company_id], [false, null, null]);
    const self = expectStatus(await rep.get(`/api/v1/companies/check?name=${enc('查重示例科技')}&except_id=${c.id}`), 200);
    assert.equal(self.exists, false);
    for (const q of ['', 'name=', `name=${enc('（）')}`, 'name=x&owner=1', 'name=x&except_id=abc', 'name=x&except_id=0',
      `name=${'x'.repeat(801)}`]) {
      const r = await rep.get(`/api/v1/companies/check${q ? '?' + q : ''}`);
      expectStatus(r, 400, q);
    }
    expectStatus(await rep.post('/api/v1/companies/check', {}), 405);
  });

  // ---------- claim limits ----------

  test('reclaim after dropping -> 409 reclaim_cooldown with the day it ends; another rep may claim at once', async () => {
    const c = await createCompany(rep, { name: '冷静期公司' });
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 1, status: 'dropped', drop_reason: '暂无需求' }), 200);
    const until = addDays(shanghaiDate(0), 7);
    const e = expectStatus(await rep.post(`/api/v1/companies/${c.id}/claim`, {}), 409).error;
    assert.equal(e.code, 'reclaim_cooldown');
    assert.ok(e.message.includes(until), e.message);
    const en = expectStatus(await rep.post(`/api/v1/companies/${c.id}/claim`, {}, EN), 409).error;
    assert.ok(en.message.includes(`you can claim it from ${until}`), en.message);
    expectStatus(await rep2.post(`/api/v1/companies/${c.id}/claim`, {}), 200);
  });

  test('claims per day: exactly claim_daily_max succeed, the next -> 409 claim_daily_max until tomorrow', async () => {
    const settings = expectStatus(await admin.get('/api/v1/settings'), 200);
    const max = settings.claim_daily_max;
    assert.equal(max, 10, 'the SPEC default');
    const ids = [];
    for (let i = 0; i <= max; i++) ids.push((await createCompany(admin, { name: `每日认领${i}号`, owner_id: null })).id);
    for (let i = 0; i < max; i++) expectStatus(await other.post(`/api/v1/companies/${ids[i]}/claim`, {}), 200, `claim ${i + 1}`);
    const e = expectStatus(await other.post(`/api/v1/companies/${ids[max]}/claim`, {}), 409).error;
    assert.equal(e.code, 'claim_daily_max');
    assert.ok(e.message.includes(addDays(shanghaiDate(0), 1)), e.message);
    const en = expectStatus(await other.post(`/api/v1/companies/${ids[max]}/claim`, {}, EN), 409).error;
    assert.match(en.message, /claim again tomorrow/);
    const g = expectStatus(await admin.get(`/api/v1/companies/${ids[max]}`), 200);
    assert.equal(g.owner_id, null, 'the refused claim changed nothing');
  });

  test('owned companies: at owned_max the next claim -> 409 owned_max', async () => {
    const s = expectStatus(await admin.get('/api/v1/settings'), 200);
    assert.equal(typeof s.owned_max, 'number');
    expectStatus(await admin.patch('/api/v1/settings', { version: s.version, owned_max: 3, claim_daily_max: 50 }), 200);
    try {
      const u = await createUser(admin, { username: 'pd_holder', display_name: '满仓', role: 'rep', password: PASSWORD });
      const holder = await ctx.srv.login('pd_holder');
      await createCompany(holder, { name: '满仓一号' });
      await createCompany(holder, { name: '满仓二号' });
      const p = [];
      for (let i = 0; i < 2; i++) p.push((await createCompany(admin, { name: `满仓公海${i}`, owner_id: null })).id);
      expectStatus(await holder.post(`/api/v1/companies/${p[0]}/claim`, {}), 200, 'the third: exactly the limit');
      const e = expectStatus(await holder.post(`/api/v1/companies/${p[1]}/claim`, {}), 409).error;
      assert.equal(e.code, 'owned_max');
      assert.ok(e.message.includes('3'), e.message);
      assert.ok(u.id > 0);
    } finally {
      const now = expectStatus(await admin.get('/api/v1/settings'), 200);
      expectStatus(await admin.patch('/api/v1/settings', { version: now.version, owned_max: s.owned_max,
        claim_daily_max: s.claim_daily_max }), 200);
    }
  });

  test('alerts take kind=pool_release_soon', async () => {
    const r = expectStatus(await rep.get('/api/v1/alerts?kind=pool_release_soon'), 200);
    assert.ok(Array.isArray(r.items));
  });

  // ---------- existing duplicates: list and merge (admin) ----------

  test('duplicates and merge: admin only; bad input -> 400; merge keeps visits, contacts and deals', async () => {
    expectStatus(await rep.get('/api/v1/companies/duplicates'), 403);
    expectStatus(await mgr.get('/api/v1/companies/duplicates'), 403);
    const list = expectStatus(await admin.get('/api/v1/companies/duplicates'), 200);
    assert.ok(Array.isArray(list.items));
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'cursor=zzz', 'foo=1'])
      expectStatus(await admin.get(`/api/v1/companies/duplicates?${q}`), 400, q);
    const keep = await createCompany(rep, { name: '合并保留公司' });
    const gone = await createCompany(rep2, { name: '合并并入公司', industry: '制造' });
    expectStatus(await rep.post(`/api/v1/companies/${keep.id}/contacts`, { name: '陈总' }), 201);
    expectStatus(await rep2.post(`/api/v1/companies/${gone.id}/contacts`, { name: '刘总', is_payer: true }), 201);
    expectStatus(await rep.post('/api/v1/visits', { company_id: keep.id, need: true }), 201);
    expectStatus(await rep2.post('/api/v1/visits', { company_id: gone.id, budget: true, met_payer: true }), 201);
    expectStatus(await rep2.post('/api/v1/deals', { company_id: gone.id, amount: 1200000 }), 201);
    const url = `/api/v1/companies/${keep.id}/merge`;
    expectStatus(await mgr.post(url, { from_id: gone.id }), 403);
    expectStatus(await rep.post(url, { from_id: gone.id }), 403);
    for (const [label, body] of [['no from_id', {}], ['same company', { from_id: keep.id }], ['string', { from_id: 'x' }],
      ['zero', { from_id: 0 }], ['unknown', { from_id: 99999999 }], ['extra field', { from_id: gone.id, x: 1 }]])
      expectStatus(await admin.post(url, body), 400, label);
    expectStatus(await admin.post('/api/v1/companies/99999999/merge', { from_id: gone.id }), 404);
    const m = expectStatus(await admin.post(url, { from_id: gone.id }), 200);
    assert.equal(m.id, keep.id);
    assert.equal(m.visit_count, 2);
    assert.equal(m.status, 'signed');
    assert.equal(m.industry, '制造', 'a field the kept company lacked');
    assert.equal(expectStatus(await admin.get(`/api/v1/companies/${keep.id}/contacts`), 200).items.length, 2);
    assert.equal(expectStatus(await admin.get(`/api/v1/companies/${keep.id}/deals`), 200).items.length, 1);
    assert.equal(expectStatus(await admin.get(`/api/v1/companies/${keep.id}/visits`), 200).items.length, 2);
    expectStatus(await admin.get(`/api/v1/companies/${gone.id}`), 404);
    expectStatus(await admin.post(url, { from_id: gone.id }), 400, 'already merged');
  });

  no5xxTest(test, ctx);
});
