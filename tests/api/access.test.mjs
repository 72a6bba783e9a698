// Record-level access: reps, managers, the director, the admin, another
// organisation; list side doors; the public pool; fields nobody may set.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, secondOrg, createCompany, shanghaiDate } from './harness.mjs';

describe('access', () => {
  const ctx = useServer({ before, after }, { org: 'Access Org', admin: 'acc_admin' });
  // filled in `before`
  const who = {};   // actor name -> client
  const co = {};    // company key -> company JSON (as created)
  const owners = {};  // company key -> the admin client that can always read it

  before(async () => {
    const srv = ctx.srv;
    const org = await buildOrg(srv, { prefix: 'acc', repsA: 2, repsB: 1 });
    Object.assign(who, {
      repA1: org.repsA[0], repA2: org.repsA[1], repB1: org.repsB[0],
      mgrA: org.mgrA, mgrB: org.mgrB, director: org.director, admin: org.admin,
    });
    who.org2 = await secondOrg(srv, 'acc2');
    who.teams = org.teams;
    co.A1 = await createCompany(who.repA1, { name: '琥珀光电科技有限公司', industry: '电子', industry_rank: 5 });
    co.A2 = await createCompany(who.repA2, { name: '翡翠物流有限公司', industry: '物流' });
    co.B1 = await createCompany(who.repB1, { name: '蓝鲸深海装备集团', industry: '制造' });
    co.Z1 = await createCompany(who.org2, { name: '外星人食品有限公司', industry: '餐饮' });
    co.P1 = await createCompany(who.admin, { name: '公海无主贸易公司', owner_id: null });
    expectStatus(await who.repA1.post(`/api/v1/companies/${co.A1.id}/contacts`, { name: '欧阳锋', title: '总经理', is_payer: true }), 201);
    for (const k of ['A1', 'A2', 'B1', 'P1']) owners[k] = who.admin;
    owners.Z1 = who.org2;
  });

  async function snapshot(key) {
    return expectStatus(await owners[key].get(`/api/v1/companies/${co[key].id}`), 200, `snapshot ${key}`);
  }

  // ---------- the visibility matrix ----------

  const ACTORS = ['repA1', 'repA2', 'repB1', 'mgrA', 'mgrB', 'director', 'admin', 'org2'];
  const sees = {
    repA1: ['A1', 'P1'],
    repA2: ['A2', 'P1'],
    repB1: ['B1', 'P1'],
    mgrA: ['A1', 'A2', 'P1'],
    mgrB: ['B1', 'P1'],
    director: ['A1', 'A2', 'B1', 'P1'],
    admin: ['A1', 'A2', 'B1', 'P1'],
    org2: ['Z1'],
  };
  const COMPANIES = ['A1', 'A2', 'B1', 'Z1'];

  // Every way to touch a company by id; an actor who cannot see it gets 404 for each.
  const ACTIONS = [
    ['GET company', (c, id) => c.get(`/api/v1/companies/${id}`)],
    ['PATCH company', (c, id, v) => c.patch(`/api/v1/companies/${id}`, { version: v, name: '被篡改' })],
    ['PATCH status dropped', (c, id, v) => c.patch(`/api/v1/companies/${id}`, { version: v, status: 'dropped', drop_reason: 'x' })],
    ['DELETE company', (c, id) => c.del(`/api/v1/companies/${id}`)],
    ['POST claim', (c, id) => c.post(`/api/v1/companies/${id}/claim`, {})],
    ['GET contacts', (c, id) => c.get(`/api/v1/companies/${id}/contacts`)],
    ['POST contact', (c, id) => c.post(`/api/v1/companies/${id}/contacts`, { name: '间谍' })],
    ['GET visits', (c, id) => c.get(`/api/v1/companies/${id}/visits`)],
    ['GET deals', (c, id) => c.get(`/api/v1/companies/${id}/deals`)],
    ['POST visit', (c, id) => c.post('/api/v1/visits', { company_id: id, need: true, budget: true, met_payer: true })],
    ['POST deal', (c, id) => c.post('/api/v1/deals', { company_id: id, amount: 100 })],
    ['PUT plan naming it', (c, id) => c.put(`/api/v1/plans/${shanghaiDate(0)}`, { company_ids: [id] }), 400],
  ];

  for (const actor of ACTORS) {
    for (const key of COMPANIES) {
      if (sees[actor].includes(key)) {
        test(`${actor} reads company ${key} (200)`, async () => {
          const r = expectStatus(await who[actor].get(`/api/v1/companies/${co[key].id}`), 200);
          assert.equal(r.id, co[key].id);
          assert.equal(r.name, co[key].name);
        });
        continue;
      }
      for (const [name, fn, status = 404] of ACTIONS) {
        test(`${actor} on company ${key}: ${name} -> ${status}, unchanged`, async () => {
          const before = await snapshot(key);
          const r = await fn(who[actor], co[key].id, before.version);
          expectStatus(r, status, `${actor} ${name} ${key}`);
          assert.deepEqual(await snapshot(key), before, 'the company is unchanged');
        });
      }
    }
  }

  // contacts by id: PATCH /contacts/{id} of an invisible company
  for (const actor of ['repA2', 'repB1', 'mgrB', 'org2']) {
    test(`${actor}: PATCH another's contact -> 404, unchanged`, async () => {
      const list = expectStatus(await who.admin.get(`/api/v1/companies/${co.A1.id}/contacts`), 200);
      const contact = list.items[0];
      expectStatus(await who[actor].patch(`/api/v1/contacts/${contact.id}`, { name: '改名' }), 404);
      const after = expectStatus(await who.admin.get(`/api/v1/companies/${co.A1.id}/contacts`), 200);
      assert.deepEqual(after.items, list.items);
    });
  }

  // ---------- lists and their side doors ----------

  for (const actor of ACTORS) {
    test(`${actor}: the company list holds exactly the visible companies`, async () => {
      const r = expectStatus(await who[actor].get('/api/v1/companies?limit=200'), 200);
      const ids = new Set(r.items.map((c) => c.id));
      for (const key of [...COMPANIES, 'P1']) {
        assert.equal(ids.has(co[key].id), sees[actor].includes(key), `${actor} list and ${key}`);
      }
    });
  }

  const sideDoors = [
    // [actor, query, company key that must NOT appear]
    ['repA1', () => `q=${encodeURIComponent('蓝鲸深海')}`, 'B1'],      // FTS (3+ chars)
    ['repA1', () => `q=${encodeURIComponent('蓝鲸')}`, 'B1'],          // LIKE (2 chars)
    ['repB1', () => `q=${encodeURIComponent('欧阳锋')}`, 'A1'],        // a contact's name (FTS)
    ['repB1', () => `q=${encodeURIComponent('欧阳')}`, 'A1'],          // a contact's name (LIKE)
    ['repA1', () => `owner_id=${who.repB1.id}`, 'B1'],
    ['repA1', () => `owner_id=${who.repA2.id}`, 'A2'],
    ['repA1', () => `owner_id=${who.repB1.id}&status=prospect&industry=${encodeURIComponent('制造')}`, 'B1'],
    ['mgrB', () => `owner_id=${who.repA1.id}`, 'A1'],
    ['mgrB', () => `industry=${encodeURIComponent('电子')}`, 'A1'],
    ['mgrA', () => `q=${encodeURIComponent('蓝鲸深海装备')}&sort=name`, 'B1'],
    ['org2', () => `q=${encodeURIComponent('琥珀光电')}`, 'A1'],
    ['org2', () => `owner_id=${who.repA1.id}`, 'A1'],
    ['org2', () => `owner_id=pool`, 'P1'],
    ['org2', () => `status=prospect`, 'B1'],
    ['repA1', () => `q=${encodeURIComponent('外星人食品')}`, 'Z1'],
    ['admin', () => `q=${encodeURIComponent('外星人')}`, 'Z1'],
  ];
  for (const [actor, query, hidden] of sideDoors) {
    test(`side door: ${actor} GET /companies?${query.toString().slice(6)} never shows ${hidden}`, async () => {
      const r = expectStatus(await who[actor].get(`/api/v1/companies?${query()}`), 200);
      assert.ok(!r.items.some((c) => c.id === co[hidden].id), `${hidden} leaked: ${JSON.stringify(r.items.map((c) => c.name))}`);
      for (const c of r.items) {
        const key = Object.keys(co).find((k) => co[k].id === c.id);
        if (key) assert.ok(sees[actor].includes(key) || !['A1', 'A2', 'B1', 'Z1', 'P1'].includes(key), `${actor} saw ${key}`);
      }
    });
  }

  test('search does find what the actor may see (the side-door tests are not vacuous)', async () => {
    const cases = [
      [who.mgrB, '蓝鲸深海', 'B1'], [who.mgrB, '蓝鲸', 'B1'], [who.repA1, '欧阳锋', 'A1'], [who.repA1, '欧阳', 'A1'],
      [who.admin, '琥珀光电', 'A1'], [who.org2, '外星人', 'Z1'],
    ];
    for (const [c, q, key] of cases) {
      const r = expectStatus(await c.get(`/api/v1/companies?q=${encodeURIComponent(q)}`), 200);
      assert.ok(r.items.some((x) => x.id === co[key].id), `${q} finds ${key}`);
    }
  });

  test('users: reps and managers cannot read users outside their scope; org2 reads none of org 1', async () => {
    const cases = [
      ['repA1', 'repB1', 404], ['repA1', 'mgrB', 404], ['mgrB', 'repA1', 404], ['mgrA', 'repB1', 404],
      ['org2', 'repA1', 404], ['org2', 'admin', 404], ['mgrA', 'repA1', 200], ['director', 'repB1', 200],
      ['repA1', 'repA1', 200],
    ];
    for (const [a, b, st] of cases) expectStatus(await who[a].get(`/api/v1/users/${who[b].id}`), st, `${a} reads ${b}`);
    for (const [a, b] of [['org2', 'repA1'], ['mgrB', 'repA1'], ['repA2', 'repA1']]) {
      expectStatus(await who[a].patch(`/api/v1/users/${who[b].id}`, { display_name: '黑客' }), 404, `${a} patches ${b}`);
    }
    const me = expectStatus(await who.admin.get(`/api/v1/users/${who.repA1.id}`), 200);
    assert.notEqual(me.display_name, '黑客');
    const l = expectStatus(await who.org2.get('/api/v1/users'), 200);
    const org1Ids = new Set(['repA1', 'repA2', 'repB1', 'mgrA', 'mgrB', 'director', 'admin'].map((k) => who[k].id));
    assert.ok(!l.items.some((u) => org1Ids.has(u.id)), 'org2 lists no org1 user');
    const lb = expectStatus(await who.repA1.get('/api/v1/users'), 200);
    assert.ok(!lb.items.some((u) => u.id === who.repB1.id), 'rep A1 does not list team B');
  });

  test('org2 sees nothing of org 1 in teams, targets, metrics, audit', async () => {
    const org1Teams = new Set(Object.values(who.teams).map((t) => t.id));
    const teams = expectStatus(await who.org2.get('/api/v1/teams'), 200);
    assert.ok(!teams.items.some((t) => org1Teams.has(t.id)));
    expectStatus(await who.mgrA.put('/api/v1/targets', {
      scope: 'rep', scope_id: who.repA1.id, metric: 'visits_new', period: 'day', value: 4, reason: 'access test',
    }), 200);
    const targets = expectStatus(await who.org2.get('/api/v1/targets'), 200);
    assert.ok(!targets.items.some((t) => t.scope_id === who.repA1.id && t.reason === 'access test'));
    const m = expectStatus(await who.org2.get('/api/v1/metrics/reps'), 200);
    const org1Ids = new Set(['repA1', 'repA2', 'repB1', 'mgrA', 'mgrB', 'director', 'admin'].map((k) => who[k].id));
    assert.ok(!m.items.some((x) => org1Ids.has(x.rep_id)));
    expectStatus(await who.org2.get(`/api/v1/metrics/reps?team_id=${who.teams.A.id}`), 404);
    const audit = expectStatus(await who.org2.get('/api/v1/audit?limit=500'), 200);
    assert.ok(audit.items.length > 0);
    for (const e of audit.items) assert.ok(!org1Ids.has(e.user_id), `org1 audit entry leaked: ${JSON.stringify(e)}`);
    assert.ok(!audit.items.some((e) => e.entity === 'company' && e.entity_id === co.A1.id));
    expectStatus(await who.org2.get(`/api/v1/reviews/${shanghaiDate(0)}?rep_id=${who.repA1.id}`), 404);
    expectStatus(await who.org2.get(`/api/v1/plans/${shanghaiDate(0)}?rep_id=${who.repA1.id}`), 404);
  });

  test('teams: managers and reps cannot restructure; org2 cannot touch org1 teams', async () => {
    expectStatus(await who.org2.patch(`/api/v1/teams/${who.teams.A.id}`, { name: '吞并' }), 404);
    expectStatus(await who.mgrA.patch(`/api/v1/teams/${who.teams.B.id}`, { name: '吞并' }), 403);
    expectStatus(await who.repA1.post('/api/v1/teams', { name: '自立门户' }), 403);
    expectStatus(await who.org2.post('/api/v1/teams', { name: '渗透', parent_id: who.teams.A.id }), 400);
    expectStatus(await who.org2.post('/api/v1/teams', { name: '渗透', manager_id: who.mgrA.id }), 400);
    const t = expectStatus(await who.admin.get('/api/v1/teams'), 200);
    assert.equal(t.items.find((x) => x.id === who.teams.A.id).name, who.teams.A.name);
  });

  // ---------- writes by managers up the tree ----------

  test('manager A, the director and the admin may change a rep A company; manager B may not', async () => {
    for (const [actor, status] of [['mgrA', 200], ['director', 200], ['admin', 200], ['mgrB', 404]]) {
      const b = await snapshot('A1');
      const r = await who[actor].patch(`/api/v1/companies/${co.A1.id}`, { version: b.version, region: `区域-${actor}` });
      expectStatus(r, status, actor);
      const a = await snapshot('A1');
      if (status === 200) assert.equal(a.region, `区域-${actor}`);
      else assert.deepEqual(a, b);
    }
  });

  // ---------- the public pool ----------

  test('pool: a pool company is visible to every rep of the org, listed under owner_id=pool', async () => {
    for (const actor of ['repA1', 'repA2', 'repB1', 'mgrA', 'mgrB']) {
      const c = expectStatus(await who[actor].get(`/api/v1/companies/${co.P1.id}`), 200, actor);
      assert.equal(c.owner_id, null);
      const l = expectStatus(await who[actor].get('/api/v1/companies?owner_id=pool&limit=200'), 200);
      assert.ok(l.items.some((x) => x.id === co.P1.id), `${actor} lists P1 in the pool`);
      assert.ok(l.items.every((x) => x.owner_id === null), 'the pool filter returns only unowned companies');
    }
    expectStatus(await who.org2.get(`/api/v1/companies/${co.P1.id}`), 404);
  });

  test('pool: a rep cannot work a pool company before claiming it (409), nothing changes', async () => {
    const b = await snapshot('P1');
    expectStatus(await who.repA1.patch(`/api/v1/companies/${co.P1.id}`, { version: b.version, name: '抢先' }), 409);
    expectStatus(await who.repA1.post('/api/v1/visits', { company_id: co.P1.id }), 409);
    expectStatus(await who.repA1.post('/api/v1/deals', { company_id: co.P1.id, amount: 100 }), 409);
    expectStatus(await who.repA1.post(`/api/v1/companies/${co.P1.id}/contacts`, { name: '某人' }), 409);
    expectStatus(await who.repA1.del(`/api/v1/companies/${co.P1.id}`), 404);
    expectStatus(await who.org2.post(`/api/v1/companies/${co.P1.id}/claim`, {}), 404);
    assert.deepEqual(await snapshot('P1'), b);
  });

  test('pool: claim by rep B1, then rep A1 no longer sees it and cannot claim it', async () => {
    const c = expectStatus(await who.repB1.post(`/api/v1/companies/${co.P1.id}/claim`, {}), 200);
    assert.equal(c.owner_id, who.repB1.id);
    expectStatus(await who.repA1.get(`/api/v1/companies/${co.P1.id}`), 404);
    expectStatus(await who.repA1.post(`/api/v1/companies/${co.P1.id}/claim`, {}), 404);
    expectStatus(await who.repB1.post(`/api/v1/companies/${co.P1.id}/claim`, {}), 409, 'already owned');
    expectStatus(await who.mgrB.get(`/api/v1/companies/${co.P1.id}`), 200);
    expectStatus(await who.mgrA.get(`/api/v1/companies/${co.P1.id}`), 404);
  });

  test('pool: a company dropped by rep A2 goes to the pool and rep B1 can claim it', async () => {
    const c = await createCompany(who.repA2, { name: '回流公海测试公司' });
    const d = expectStatus(await who.repA2.patch(`/api/v1/companies/${c.id}`, {
      version: c.version, status: 'dropped', drop_reason: '没有预算',
    }), 200);
    assert.equal(d.owner_id, null);
    assert.equal(d.status, 'dropped');
    expectStatus(await who.repB1.get(`/api/v1/companies/${c.id}`), 200);
    const cl = expectStatus(await who.repB1.post(`/api/v1/companies/${c.id}/claim`, {}), 200);
    assert.equal(cl.owner_id, who.repB1.id);
    assert.notEqual(cl.status, 'dropped');
    expectStatus(await who.repA2.get(`/api/v1/companies/${c.id}`), 404);
  });

  // ---------- fields nobody may set ----------

  const forbiddenCreates = [
    ['repA1', () => ({ name: '给别人的公司', owner_id: who.repB1.id })],
    ['repA1', () => ({ name: '给队友的公司', owner_id: who.repA2.id })],
    ['repA1', () => ({ name: '带id', id: 99999 })],
    ['repA1', () => ({ name: '带org', org_id: 1 })],
    ['admin', () => ({ name: '带org', org_id: 2 })],
    ['admin', () => ({ name: '带id', id: 1 })],
    ['mgrA', () => ({ name: '越级分配', owner_id: who.repB1.id })],
    ['org2', () => ({ name: '跨租户分配', owner_id: who.repA1.id })],
    ['repA1', () => ({ name: '直接有效', status: 'effective' })],
    ['repA1', () => ({ name: '伪造资格', need: true, budget: true, payer_met: true })],
  ];
  for (const [actor, body] of forbiddenCreates) {
    const label = body.toString().replace(/^\(\) => \(\{ name: '[^']*', /, '').replace(/ \}\)$/, '');
    test(`forbidden on create: ${actor} POST /companies with ${label} -> 400, nothing created`, async () => {
      const b = body();
      const r = await who[actor].post('/api/v1/companies', b);
      expectStatus(r, 400, JSON.stringify(b));
      const l = expectStatus(await who.admin.get(`/api/v1/companies?q=${encodeURIComponent(b.name)}`), 200);
      assert.equal(l.items.filter((c) => c.name === b.name).length, 0);
    });
  }

  test('a rep may create a company owned by themselves', async () => {
    const c = expectStatus(await who.repA1.post('/api/v1/companies', { name: '自己的公司', owner_id: who.repA1.id }), 201);
    assert.equal(c.owner_id, who.repA1.id);
  });

  const forbiddenPatches = [
    ['repA1', { need: true }],
    ['repA1', { budget: true }],
    ['repA1', { payer_met: true }],
    ['repA1', { need: true, budget: true, payer_met: true }],
    ['repA1', { effective_at: '2026-01-01T00:00:00+08:00' }],
    ['repA1', { signed_at: '2026-01-01T00:00:00+08:00' }],
    ['repA1', { id: 12345 }],
    ['repA1', { org_id: 2 }],
    ['repA1', () => ({ owner_id: who.repA2.id })],
    ['repA1', { effective_by: 1 }],
    ['repA1', { visit_count: 10 }],
    ['admin', { need: true }],
    ['admin', { org_id: 2 }],
    ['mgrA', () => ({ owner_id: who.repB1.id })],
    ['org2', () => ({ owner_id: who.repA1.id }), 'Z1'],
  ];
  for (const [actor, fields, key = 'A1'] of forbiddenPatches) {
    const label = typeof fields === 'function' ? 'owner_id' : Object.keys(fields).join(',');
    test(`forbidden on PATCH: ${actor} sets ${label} on ${key} -> 400, unchanged`, async () => {
      const b = await snapshot(key);
      const f = typeof fields === 'function' ? fields() : fields;
      expectStatus(await who[actor].patch(`/api/v1/companies/${co[key].id}`, { version: b.version, ...f }), 400, label);
      assert.deepEqual(await snapshot(key), b);
    });
  }

  test('a visit cannot name a companion from another organisation or a rep', async () => {
    const org2me = expectStatus(await who.org2.get('/api/v1/me'), 200);
    for (const companion of [org2me.id, who.repA2.id]) {
      const b = await snapshot('A1');
      const r = await who.repA1.post('/api/v1/visits', {
        company_id: co.A1.id, kind: 'accompanied', companion_id: companion, coaching_stage: 1,
      });
      expectStatus(r, 400);
      assert.deepEqual(await snapshot('A1'), b);
    }
  });

  no5xxTest(test, ctx);
});
