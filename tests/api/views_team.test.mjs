// GET /api/v1/views/team: the Team page's first screen in one answer (issue 15). Its figures
// must be the single endpoints' (rhythm, targets/progress, metrics/reps), its scope theirs,
// and a share asking for help must carry a proposed 陪访 booking naming the rep's company.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, shanghaiDate, addDays, isoWeekday } from './harness.mjs';

describe('GET /api/v1/views/team', () => {
  const ctx = useServer({ before, after }, { org: 'TeamView Org', admin: 'tv_admin' });
  let org, named, today;

  before(async () => {
    org = await buildOrg(ctx.srv, { prefix: 'tv', repsA: 2, repsB: 1 });
    today = shanghaiDate(0);
    const [a1, a2] = org.repsA;
    named = await createCompany(a1, { name: '琥珀光电科技有限公司' });
    const other = await createCompany(a2, { name: '青石建材有限公司' });
    // results: visits by A1 and B1 today
    expectStatus(await a1.post('/api/v1/visits', { company_id: named.id, kind: 'visit', need: true, budget: true, met_payer: true }), 201);
    const b1co = await createCompany(org.repsB[0], { name: '远山物流有限公司' });
    expectStatus(await org.repsB[0].post('/api/v1/visits', { company_id: b1co.id, kind: 'visit' }), 201);
    // plans: A1 plans, A2 does not; shares: A1 asks for help naming the company, A2 asks without naming one
    expectStatus(await a1.put(`/api/v1/plans/${today}`, { goal: '拿下琥珀', company_ids: [named.id] }), 200);
    expectStatus(await a1.put(`/api/v1/reviews/${today}`, { wins: '见到了老板', help_wanted: '请经理明天陪我去琥珀光电谈价格' }), 200);
    expectStatus(await a2.put(`/api/v1/reviews/${today}`, { help_wanted: '不知道怎么开场' }), 200);
    void other;
    // targets: a month target for team A, a day target for rep A1
    expectStatus(await org.mgrA.put('/api/v1/targets', { scope: 'team', scope_id: org.teams.A.id, metric: 'effective_new', period: 'month', value: 20, reason: '月目标' }), 200);
    expectStatus(await org.mgrA.put('/api/v1/targets', { scope: 'rep', scope_id: a1.id, metric: 'visits_new', period: 'day', value: 4, reason: '日目标' }), 200);
  });

  test('a manager gets the board, trend, month, targets and team totals of their team in one answer', async () => {
    const v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.equal(v.as_of, today);
    assert.deepEqual(v.board.items.map((r) => r.rep_id).sort(), org.repsA.map((r) => r.id).sort(), 'team A reps only');
    const a1 = v.board.items.find((r) => r.rep_id === org.repsA[0].id);
    const a2 = v.board.items.find((r) => r.rep_id === org.repsA[1].id);
    assert.equal(a1.plan_submitted, true);
    assert.equal(a2.plan_submitted, false);
    assert.deepEqual(v.board.missing_plan, [org.repsA[1].id]);
    assert.equal(a1.visits_new, 1);
    assert.equal(a1.effective_new, 1);
    assert.equal(a1.quota_visits_new, 4, 'the rep day target is the quota');
    // the board equals GET /rhythm (without the help_booking field)
    const rh = expectStatus(await org.mgrA.get(`/api/v1/rhythm?as_of=${today}`), 200);
    assert.deepEqual(v.board.items.map(({ help_booking, ...r }) => r), rh.items);
    // targets equal GET /targets/progress
    const tp = expectStatus(await org.mgrA.get(`/api/v1/targets/progress?as_of=${today}`), 200);
    assert.deepEqual(v.targets, tp.items);
    const month = v.targets.find((t) => t.scope === 'team' && t.period === 'month');
    assert.ok(month, 'the month target is shown');
    assert.equal(month.value, 20);
    assert.equal(month.actual, 1);
    assert.equal(typeof month.pace, 'number');
    // the month equals the sums of GET /metrics/reps over the month
    const m = expectStatus(await org.mgrA.get(`/api/v1/metrics/reps?from=${today.slice(0, 8)}01&to=${today}`), 200);
    for (const k of ['visits', 'visits_new', 'effective_new', 'deals', 'signed_amount'])
      assert.equal(v.month[k], m.items.reduce((s, r) => s + r[k], 0), k);
    assert.equal(v.month.from, `${today.slice(0, 8)}01`);
    // one team: team A, its totals the board's sums
    assert.equal(v.teams.length, 1);
    assert.equal(v.teams[0].team_id, org.teams.A.id);
    assert.equal(v.teams[0].reps, 2);
    assert.equal(v.teams[0].plans_missing, 1);
    assert.equal(v.teams[0].reviews_missing, 0);
    assert.equal(v.teams[0].today.visits_new, 1);
    assert.equal(v.teams[0].month.effective_new, 1);
  });

  test('the trend is the last ten working days, oldest first, ending today when today is one', async () => {
    const v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.equal(v.trend.length, 10);
    for (let i = 1; i < v.trend.length; i++) assert.ok(v.trend[i - 1].day < v.trend[i].day);
    for (const d of v.trend) assert.ok(isoWeekday(d.day) <= 5, `${d.day} is a working day`);
    const last = v.trend[v.trend.length - 1];
    if (isoWeekday(today) <= 5) {
      assert.equal(last.day, today);
      assert.equal(last.visits_new, 1);
      assert.equal(last.effective_new, 1);
      // quota: A1's day target 4 + A2's default
      const m = expectStatus(await org.mgrA.get(`/api/v1/metrics/reps?from=${today}&to=${today}`), 200);
      assert.equal(last.quota_visits_new, m.items.reduce((s, r) => s + r.quota_visits_new, 0));
      assert.equal(last.quota_effective_new, m.items.reduce((s, r) => s + r.quota_effective_new, 0));
    } else {
      assert.ok(last.day < today);
    }
  });

  test('a share asking for help carries a proposed 陪访: the rep, the company its text names, the next working day at 10:00', async () => {
    const v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    const a1 = v.board.items.find((r) => r.rep_id === org.repsA[0].id);
    const a2 = v.board.items.find((r) => r.rep_id === org.repsA[1].id);
    assert.ok(a1.help_booking, 'A1 asked for help');
    assert.equal(a1.help_booking.rep_id, org.repsA[0].id);
    assert.equal(a1.help_booking.company_id, named.id, 'the short name 琥珀光电 names 琥珀光电科技有限公司');
    assert.equal(a1.help_booking.review_id, a1.review.id);
    let next = addDays(today, 1);
    while (isoWeekday(next) > 5) next = addDays(next, 1);
    assert.equal(a1.help_booking.at, `${next}T10:00`);
    assert.ok(a2.help_booking, 'A2 asked for help too');
    assert.equal(a2.help_booking.company_id, null, 'no company named');
    // the proposal books as it is: POST /bookings accepts it and notifies both sides
    const b = expectStatus(await org.mgrA.post('/api/v1/bookings', { rep_id: a1.help_booking.rep_id, company_id: a1.help_booking.company_id,
      at: a1.help_booking.at, stage: a1.help_booking.stage, note: '' }), 201);
    assert.equal(b.company_id, named.id);
    const repN = expectStatus(await org.repsA[0].get('/api/v1/notifications'), 200);
    assert.ok(repN.items.some((n) => n.kind === 'booking_created'), `the rep is told: ${JSON.stringify(repN.items.map((n) => n.kind))}`);
    const mgrN = expectStatus(await org.mgrA.get('/api/v1/notifications'), 200);
    assert.ok(mgrN.items.some((n) => n.kind === 'booking_created'), 'the manager is told');
  });

  test('the feed gives a manager the same proposal on the share; a rep never sees one', async () => {
    const f = expectStatus(await org.mgrA.get(`/api/v1/feed?as_of=${today}&days=1`), 200);
    const a1 = f.items.find((x) => x.kind === 'review' && x.item.rep_id === org.repsA[0].id);
    assert.ok(a1?.item.help_booking, JSON.stringify(f.items));
    assert.equal(a1.item.help_booking.company_id, named.id);
    assert.equal(a1.item.help_booking.review_id, a1.id);
    const v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.deepEqual(a1.item.help_booking, v.board.items.find((r) => r.rep_id === org.repsA[0].id).help_booking);
    const r = expectStatus(await org.repsA[1].get(`/api/v1/feed?as_of=${today}&days=1`), 200);
    assert.ok(r.items.length >= 2, 'the rep sees the team feed');
    for (const it of r.items) assert.equal(it.item.help_booking, undefined, 'no proposal for a rep');
  });

  test('a help text naming no company of the rep proposes none; a short name without the city is found', async () => {
    const [, a2] = org.repsA;
    const c = await createCompany(a2, { name: '常州恒远化工有限公司' });
    expectStatus(await a2.put(`/api/v1/reviews/${today}`, { help_wanted: '希望主管明天陪访恒远化工' }), 200);
    let v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.equal(v.board.items.find((r) => r.rep_id === a2.id).help_booking.company_id, c.id);
    // another rep's company is never proposed, even when named
    expectStatus(await a2.put(`/api/v1/reviews/${today}`, { help_wanted: '能不能一起去琥珀光电看看' }), 200);
    v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.equal(v.board.items.find((r) => r.rep_id === a2.id).help_booking.company_id, null);
    // three characters are not a name
    expectStatus(await a2.put(`/api/v1/reviews/${today}`, { help_wanted: '恒远化的事' }), 200);
    v = expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${today}`), 200);
    assert.equal(v.board.items.find((r) => r.rep_id === a2.id).help_booking.company_id, null);
  });

  test('a director sees every team with its totals; team_id narrows', async () => {
    const v = expectStatus(await org.director.get(`/api/v1/views/team?as_of=${today}`), 200);
    const ids = v.teams.map((t) => t.team_id).sort();
    assert.deepEqual(ids, [org.teams.A.id, org.teams.B.id].sort());
    const B = v.teams.find((t) => t.team_id === org.teams.B.id);
    assert.equal(B.reps, 1);
    assert.equal(B.today.visits_new, 1);
    assert.equal(B.name, org.teams.B.name);
    for (const t of v.teams) {
      const rows = v.board.items.filter((r) => r.team_id === t.team_id);
      assert.equal(t.today.visits, rows.reduce((s, r) => s + r.visits, 0));
      assert.equal(t.reps, rows.length);
    }
    const n = expectStatus(await org.director.get(`/api/v1/views/team?as_of=${today}&team_id=${org.teams.B.id}`), 200);
    assert.deepEqual(n.board.items.map((r) => r.rep_id), [org.repsB[0].id]);
  });

  test('access and bad input: reps 403, another team 404, bad query 400', async () => {
    const r = expectStatus(await org.repsA[0].get('/api/v1/views/team'), 403);
    assert.equal(r.error.code, 'forbidden');
    expectStatus(await org.mgrA.get(`/api/v1/views/team?team_id=${org.teams.B.id}`), 404);
    expectStatus(await org.mgrA.get('/api/v1/views/team?as_of=2026-13-01'), 400);
    expectStatus(await org.mgrA.get('/api/v1/views/team?team_id=abc'), 400);
    expectStatus(await org.mgrA.get('/api/v1/views/team?rep_id=1'), 400);
    expectStatus(await org.mgrA.get(`/api/v1/views/team?as_of=${addDays(today, 5)}`), 400);
  });

  no5xxTest(test, ctx);
});
