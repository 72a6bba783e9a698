// The page views of issue 15: GET /views/today (a rep's Today page in one answer),
// GET /views/company/{id} (a customer in one answer, each visit's check-in distance),
// the prospects filters, a company's address and place, tap-to-call on the company list.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, shanghaiDate, isoWeekday } from './harness.mjs';

describe('page views (issue 15)', () => {
  const ctx = useServer({ before, after }, { org: 'Views Org', admin: 'vw_admin' });
  const who = {};
  let teams;
  const today = shanghaiDate(0);
  const working = isoWeekday(today) <= 5;

  before(async () => {
    const org = await buildOrg(ctx.srv, { prefix: 'vw', repsA: 2, repsB: 1 });
    Object.assign(who, {
      admin: org.admin, director: org.director, mgrA: org.mgrA, mgrB: org.mgrB,
      repA1: org.repsA[0], repA2: org.repsA[1], repB1: org.repsB[0],
    });
    teams = org.teams;
  });

  // ---------- GET /views/today ----------

  test('today: nothing written yet is 200 with plan and review null (not a 404)', async () => {
    const v = expectStatus(await who.repA1.get(`/api/v1/views/today?as_of=${today}`), 200);
    assert.equal(v.as_of, today);
    assert.equal(v.rep_id, who.repA1.id);
    assert.equal(v.plan, null);
    assert.equal(v.review, null);
    assert.deepEqual(v.plan_companies, []);
    assert.equal(v.today.day, today);
    assert.equal(v.today.visits_new, 0);
    assert.equal(v.today.effective_new, 0);
    assert.equal(v.working_day, working);
    // the defaults (5 new visits, 2 effective a working day) apply on a working day, 0 otherwise
    assert.equal(v.today.quota_visits_new, working ? 5 : 0);
    assert.equal(v.today.quota_effective_new, working ? 2 : 0);
    assert.equal(v.trend.length, 10);
    assert.ok(v.trend.every((d) => isoWeekday(d.day) <= 5), 'working days only');
    assert.ok(v.trend.every((d, i) => i === 0 || d.day > v.trend[i - 1].day), 'oldest first');
    assert.deepEqual(v.targets, []);
    assert.ok(Array.isArray(v.alerts));
  });

  let planCo;
  test('today: a visit, the plan and the share are in the view, with the same figures as /metrics/reps', async () => {
    planCo = await createCompany(who.repA1, { name: '今日视图科技有限公司', industry: '软件' });
    expectStatus(await who.repA1.post('/api/v1/visits', { company_id: planCo.id, kind: 'visit', need: true }), 201);
    // the plan with the visits field left blank
    expectStatus(await who.repA1.put(`/api/v1/plans/${today}`, { company_ids: [planCo.id], goal: '见到老板' }), 200);
    const v = expectStatus(await who.repA1.get(`/api/v1/views/today?as_of=${today}`), 200);
    assert.equal(v.today.visits, 1);
    assert.equal(v.today.visits_new, 1);
    if (working) assert.deepEqual([v.trend.at(-1).day, v.trend.at(-1).visits_new], [today, 1], 'today ends the trend');
    const m = expectStatus(await who.repA1.get(`/api/v1/metrics/reps?from=${today}&to=${today}`), 200);
    const row = m.items.find((r) => r.rep_id === who.repA1.id);
    assert.equal(v.today.visits_new, row.visits_new);
    assert.equal(v.today.effective_new, row.effective_new);
    assert.equal(v.today.quota_visits_new, row.quota_visits_new);
    assert.equal(v.plan.goal, '见到老板');
    assert.deepEqual(v.plan.company_ids, [planCo.id]);
    assert.ok(v.plan.visits_planned === undefined || v.plan.visits_planned === null, 'a blank field stays blank, not 0');
    assert.deepEqual(v.plan_companies.map((c) => c.name), ['今日视图科技有限公司']);
    assert.equal(v.review, null);
    expectStatus(await who.repA1.put(`/api/v1/reviews/${today}`, { wins: '拿下需求', problems: '', help_wanted: '' }), 200);
    const v2 = expectStatus(await who.repA1.get(`/api/v1/views/today?as_of=${today}`), 200);
    assert.equal(v2.review.wins, '拿下需求');
    assert.equal(v2.review.results.visits_new, 1);
    // the same as GET /reviews/{date}
    const r = expectStatus(await who.repA1.get(`/api/v1/reviews/${today}`), 200);
    assert.deepEqual(v2.review.results, r.results);
  });

  test('today: the rep\'s and their team\'s targets with pace, nobody else\'s', async () => {
    expectStatus(await who.mgrA.put('/api/v1/targets', { scope: 'rep', scope_id: who.repA1.id, metric: 'visits_new', period: 'month', value: 40 }), 200);
    expectStatus(await who.mgrA.put('/api/v1/targets', { scope: 'team', scope_id: teams.A.id, metric: 'effective_new', period: 'month', value: 30 }), 200);
    expectStatus(await who.mgrA.put('/api/v1/targets', { scope: 'rep', scope_id: who.repA2.id, metric: 'visits_new', period: 'month', value: 99 }), 200);
    expectStatus(await who.mgrB.put('/api/v1/targets', { scope: 'team', scope_id: teams.B.id, metric: 'visits_new', period: 'month', value: 77 }), 200);
    const v = expectStatus(await who.repA1.get(`/api/v1/views/today?as_of=${today}`), 200);
    const mine = v.targets.find((t) => t.scope === 'rep');
    assert.equal(v.targets.length, 2, JSON.stringify(v.targets));
    assert.equal(mine.scope_id, who.repA1.id);
    assert.equal(mine.value, 40);
    assert.equal(mine.actual, 1, 'the visit of today counts');
    assert.ok(mine.pace >= 0 && mine.pace <= 1);
    assert.equal(typeof mine.behind_pace, 'boolean');
    assert.ok(v.targets.some((t) => t.scope === 'team' && t.scope_id === teams.A.id && t.value === 30));
    // the same figures as GET /targets/progress
    const p = expectStatus(await who.repA1.get(`/api/v1/targets/progress?as_of=${today}`), 200);
    const pm = p.items.find((t) => t.id === mine.id);
    assert.equal(pm.actual, mine.actual);
    assert.equal(pm.pace, mine.pace);
  });

  // ---------- GET /coaching, paged by rep (issue 16 point 6) ----------

  test('coaching: pages of `limit` reps in id order cover every rep once; the manager\'s pages stay in the team', async () => {
    const all = expectStatus(await who.admin.get(`/api/v1/coaching?as_of=${today}&visits=none`), 200);
    assert.ok(all.items.length >= 3, 'the three reps at least');
    assert.equal(all.next_cursor, null, 'fewer reps than a page: one page');
    const ids = all.items.map((r) => r.rep_id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'rep id order');
    for (const [actor, expected] of [[who.admin, all.items], [who.mgrA, all.items.filter((r) => r.team_id === teams.A.id)]]) {
      const walked = [];
      let cursor = null;
      for (let n = 0; n < 20; n++) {
        const q = `as_of=${today}&visits=none&limit=1` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
        const page = expectStatus(await actor.get(`/api/v1/coaching?${q}`), 200);
        assert.ok(page.items.length <= 1);
        walked.push(...page.items);
        cursor = page.next_cursor;
        if (!cursor) break;
      }
      assert.deepEqual(walked, expected, 'the pages, joined, are the whole answer');
    }
  });

  for (const [qs, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=x', 'limit'], ['cursor=garbage', 'cursor'],
                             [`cursor=${encodeURIComponent(Buffer.from('{"after":1}').toString('base64url'))}`, 'cursor']]) {
    test(`coaching: ${qs} -> 400`, async () => {
      const e = expectStatus(await who.admin.get(`/api/v1/coaching?${qs}`), 400);
      assert.equal(e.error.code, 'invalid_field');
      assert.match(e.error.message, new RegExp(`^${field}:`));
    });
  }

  test('today: who may see whose', async () => {
    const q = `/api/v1/views/today?as_of=${today}&rep_id=`;
    expectStatus(await who.mgrA.get(q + who.repA1.id), 200);
    expectStatus(await who.director.get(q + who.repA1.id), 200);
    expectStatus(await who.admin.get(q + who.repA1.id), 200);
    expectStatus(await who.repA2.get(q + who.repA1.id), 404, 'a teammate');
    expectStatus(await who.mgrB.get(q + who.repA1.id), 404, 'another team\'s manager');
    expectStatus(await who.repB1.get(q + who.repA1.id), 404);
    expectStatus(await who.mgrA.get(`/api/v1/views/today?as_of=${today}`), 404, 'a manager is not a rep');
    expectStatus(await who.mgrA.get(q + who.mgrA.id), 404);
    expectStatus(await who.mgrA.get(q + 999999), 404);
    const v = expectStatus(await who.mgrA.get(q + who.repA1.id), 200);
    assert.equal(v.rep_id, who.repA1.id);
    assert.equal(v.today.visits_new, 1);
  });

  for (const [label, qs] of [
    ['a malformed date', 'as_of=2026-13-01'],
    ['a future date', `as_of=${shanghaiDate(5)}`],
    ['an unknown parameter', 'team=1'],
    ['rep_id 0', 'rep_id=0'],
    ['rep_id not a number', 'rep_id=abc'],
  ])
    test(`today: ${label} -> 400`, async () => {
      expectStatus(await who.repA1.get(`/api/v1/views/today?${qs}`), 400, label);
    });

  // ---------- prospects filters ----------

  const P = {};
  test('prospects: fixtures (a signed 软件 #5 and 制造 #10, candidates around them)', async () => {
    const rep = who.repB1;
    const mk = (name, f) => createCompany(rep, { name, budget_capacity: 5000000, ...f });
    P.ref = await mk('筛选参照软件', { industry: '软件', industry_rank: 5 });
    expectStatus(await rep.post('/api/v1/deals', { company_id: P.ref.id, amount: 2000000, signed_on: today }), 201);
    P.ref2 = await mk('筛选参照制造', { industry: '制造', industry_rank: 10 });
    expectStatus(await rep.post('/api/v1/deals', { company_id: P.ref2.id, amount: 2000000, signed_on: today }), 201);
    P.near = await mk('筛选软件四', { industry: '软件', industry_rank: 4, competitor: '金蝶' });
    P.far = await mk('筛选软件七', { industry: '软件', industry_rank: 7 });
    P.mfg = await mk('筛选制造十一', { industry: '制造', industry_rank: 11, competitor: '用友' });
  });

  const ids = (l) => l.items.map((p) => p.company_id);
  const prospects = async (qs) => expectStatus(await who.repB1.get(`/api/v1/prospects?as_of=${today}&${qs}`), 200, qs);

  test('prospects: without filters all three; each says its competitor and the order its budget is held to', async () => {
    const l = await prospects('limit=50');
    for (const c of [P.near, P.far, P.mfg]) assert.ok(ids(l).includes(c.id), `${c.name} in ${JSON.stringify(ids(l))}`);
    const near = l.items.find((p) => p.company_id === P.near.id);
    assert.equal(near.competitor, '金蝶');
    assert.equal(near.reference_company_id, P.ref.id);
    assert.equal(near.reference_order, 2000000);
    assert.ok(near.reason_codes.includes('rank_adjacent_1') && near.reason_codes.includes('uses_competitor'));
    const far = l.items.find((p) => p.company_id === P.far.id);
    assert.equal(far.competitor, '');
    assert.ok(far.reason_codes.includes('rank_adjacent_2'));
  });

  test('prospects: industry (an alias too), competitor and nearness filters narrow the ranking', async () => {
    assert.deepEqual(new Set(ids(await prospects(`industry=${encodeURIComponent('软件')}`))), new Set([P.near.id, P.far.id]));
    assert.deepEqual(ids(await prospects(`industry=${encodeURIComponent('制造业')}`)), [P.mfg.id], 'the alias 制造业 is 制造');
    const withC = await prospects('competitor=true');
    assert.deepEqual(new Set(ids(withC)), new Set([P.near.id, P.mfg.id]));
    assert.ok(withC.items.every((p) => p.competitor !== ''));
    assert.deepEqual(ids(await prospects('competitor=false')), [P.far.id]);
    assert.deepEqual(new Set(ids(await prospects('max_rank_distance=1'))), new Set([P.near.id, P.mfg.id]));
    assert.deepEqual(ids(await prospects(`max_rank_distance=1&competitor=true&industry=${encodeURIComponent('软件')}`)), [P.near.id]);
    assert.deepEqual(ids(await prospects('max_rank_distance=0')), [], 'nobody is 0 ranks from a reference');
  });

  for (const qs of ['competitor=yes', 'competitor=', 'max_rank_distance=-1', 'max_rank_distance=101', 'max_rank_distance=x'])
    test(`prospects: ${qs} -> 400`, async () => {
      expectStatus(await who.repB1.get(`/api/v1/prospects?${qs}`), 400, qs);
    });
  test('prospects: an unknown industry -> 400 unknown_industry', async () => {
    const r = expectStatus(await who.repB1.get(`/api/v1/prospects?industry=${encodeURIComponent('航天飞机')}`), 400);
    assert.equal(r.error.code, 'unknown_industry');
  });

  // ---------- a company's place, the check-in distance, GET /views/company/{id} ----------

  let placed;
  test('company: address and place are stored, changed and cleared; a bad place is 400', async () => {
    placed = await createCompany(who.repA1, { name: '有位置的公司', address: '上海市黄浦区南京东路1号', location: { lat: 31.2304, lng: 121.4737 } });
    assert.equal(placed.address, '上海市黄浦区南京东路1号');
    assert.deepEqual(placed.location, { lat: 31.2304, lng: 121.4737 });
    const got = expectStatus(await who.repA1.get(`/api/v1/companies/${placed.id}`), 200);
    assert.deepEqual(got.location, { lat: 31.2304, lng: 121.4737 });
    for (const bad of [{ lat: 91, lng: 0 }, { lat: 0 }, { lat: '31', lng: 121 }, [31, 121], 'here', { lat: 1, lng: 2, alt: 3 }])
      expectStatus(await who.repA1.patch(`/api/v1/companies/${placed.id}`, { version: got.version, location: bad }), 400, JSON.stringify(bad));
    expectStatus(await who.repA1.patch(`/api/v1/companies/${placed.id}`, { version: got.version, address: 'x'.repeat(201) }), 400);
    const other = await createCompany(who.repA1, { name: '无位置的公司' });
    assert.equal(other.address, '');
    assert.equal(other.location, null);
    const p2 = expectStatus(await who.repA1.patch(`/api/v1/companies/${other.id}`, { version: other.version, location: { lat: 1, lng: 2 } }), 200);
    assert.deepEqual(p2.location, { lat: 1, lng: 2 });
    const p3 = expectStatus(await who.repA1.patch(`/api/v1/companies/${other.id}`, { version: p2.version, location: null }), 200);
    assert.equal(p3.location, null);
  });

  test('views/company: the company, contacts, visits with their check-in distance, and deals in one answer', async () => {
    // 0.01° of latitude north of the company: 1,112 m on the mean Earth radius
    expectStatus(await who.repA1.post('/api/v1/visits', { company_id: placed.id, kind: 'visit', location: { lat: 31.2404, lng: 121.4737 } }), 201);
    expectStatus(await who.repA1.post('/api/v1/visits', { company_id: placed.id, kind: 'call' }), 201);
    expectStatus(await who.repA1.post(`/api/v1/companies/${placed.id}/contacts`, { name: '王总', phone: '138 0000 1111', is_payer: true }), 201);
    expectStatus(await who.repA1.post('/api/v1/deals', { company_id: placed.id, amount: 1234500, signed_on: today }), 201);
    const v = expectStatus(await who.repA1.get(`/api/v1/views/company/${placed.id}`), 200);
    assert.equal(v.company.id, placed.id);
    assert.equal(v.company.address, '上海市黄浦区南京东路1号');
    assert.deepEqual(v.company.contacts.map((c) => c.name), ['王总']);
    assert.equal(v.visits.length, 2);
    const checked = v.visits.find((x) => x.location);
    assert.ok(Math.abs(checked.distance_m - 1112) <= 2, `distance ${checked.distance_m}`);
    assert.equal(v.visits.find((x) => !x.location).distance_m, null);
    assert.deepEqual(v.deals.map((d) => d.amount), [1234500]);
    // the same as the three separate answers
    const vs = expectStatus(await who.repA1.get(`/api/v1/companies/${placed.id}/visits`), 200);
    assert.deepEqual(vs.items, v.visits);
    // the manager sees it too; the distance is on the visit list
    const m = expectStatus(await who.mgrA.get(`/api/v1/views/company/${placed.id}`), 200);
    assert.equal(m.visits.find((x) => x.location).distance_m, checked.distance_m);
  });

  test('views/company: access as GET /companies/{id}; bad input is 400', async () => {
    for (const k of ['repA2', 'repB1', 'mgrB']) expectStatus(await who[k].get(`/api/v1/views/company/${placed.id}`), 404, k);
    for (const k of ['mgrA', 'director', 'admin']) expectStatus(await who[k].get(`/api/v1/views/company/${placed.id}`), 200, k);
    expectStatus(await who.repA1.get('/api/v1/views/company/999999'), 404);
    expectStatus(await who.repA1.get('/api/v1/views/company/abc'), 404, 'a non-numeric id, as /companies/abc');
    expectStatus(await who.repA1.get(`/api/v1/views/company/${placed.id}?visits_limit=0`), 400);
    expectStatus(await who.repA1.get(`/api/v1/views/company/${placed.id}?limit=5`), 400);
    const one = expectStatus(await who.repA1.get(`/api/v1/views/company/${placed.id}?visits_limit=1`), 200);
    assert.equal(one.visits.length, 1);
  });

  test('companies list: `call` is the payer\'s phone first, else the first contact\'s, else null', async () => {
    const c = await createCompany(who.repA1, { name: '打电话公司' });
    expectStatus(await who.repA1.post(`/api/v1/companies/${c.id}/contacts`, { name: '李工', phone: '021-5555' }), 201);
    expectStatus(await who.repA1.post(`/api/v1/companies/${c.id}/contacts`, { name: '张总', phone: '139 1234 5678', is_payer: true }), 201);
    const quiet = await createCompany(who.repA1, { name: '没电话公司' });
    expectStatus(await who.repA1.post(`/api/v1/companies/${quiet.id}/contacts`, { name: '无号码' }), 201);
    const l = expectStatus(await who.repA1.get(`/api/v1/companies?owner_id=${who.repA1.id}&limit=200`), 200);
    assert.deepEqual(l.items.find((x) => x.id === c.id).call, { name: '张总', phone: '139 1234 5678', is_payer: true });
    assert.equal(l.items.find((x) => x.id === quiet.id).call, null);
    assert.equal(l.items.find((x) => x.id === placed.id).call.name, '王总');
  });

  no5xxTest(test, ctx);
});
