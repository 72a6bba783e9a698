// Qualification: visits set need / budget / payer; effective exactly when all
// three hold; deals make a company signed and existing; accompanied visits;
// rep metrics over local days.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectStatus, createUser, createTeam, createCompany, shanghaiDate, workingDaysBetween, addDays, isoWeekday,
} from './harness.mjs';

describe('qualification', () => {
  const ctx = useServer({ before, after }, { org: 'Qualification Org', admin: 'q_admin' });
  let admin, mgr, rep, rep2, team;

  before(async () => {
    const srv = ctx.srv;
    admin = await srv.login('q_admin');
    team = await createTeam(admin, { name: '铁军一组' });
    await createUser(admin, { username: 'q_mgr', role: 'manager', team_id: team.id });
    expectStatus(await admin.patch(`/api/v1/teams/${team.id}`, { manager_id: (await srv.login('q_mgr')).id }), 200);
    for (const u of ['q_rep', 'q_rep2']) await createUser(admin, { username: u, role: 'rep', team_id: team.id });
    mgr = await srv.login('q_mgr');
    rep = await srv.login('q_rep');
    rep2 = await srv.tokenFor(await srv.login('q_rep2'));
  });

  const visit = (c, body) => c.post('/api/v1/visits', body);
  const get = async (c, id) => expectStatus(await c.get(`/api/v1/companies/${id}`), 200);

  // ---------- effective exactly when need + budget + payer ----------

  // Each step: the visit's facts, then the expected status and effective flag.
  const sequences = [
    ['need only', [[{ need: true }, 'contacted', false]]],
    ['need, budget', [[{ need: true }, 'contacted', false], [{ budget: true }, 'contacted', false]]],
    ['need, budget, payer', [[{ need: true }, 'contacted', false], [{ budget: true }, 'contacted', false], [{ met_payer: true }, 'effective', true]]],
    ['all three at once', [[{ need: true, budget: true, met_payer: true }, 'effective', true]]],
    ['payer, budget, need', [[{ met_payer: true }, 'contacted', false], [{ budget: true }, 'contacted', false], [{ need: true }, 'effective', true]]],
    ['payer not met', [[{ need: true, budget: true, met_payer: false }, 'contacted', false]]],
    ['budget denied then confirmed', [[{ need: true, budget: false, met_payer: true }, 'contacted', false], [{ budget: true }, 'effective', true]]],
    ['need withdrawn before the rest', [[{ need: true }, 'contacted', false], [{ need: false, budget: true, met_payer: true }, 'contacted', false]]],
    ['the payer, once met, stays known', [[{ met_payer: true }, 'contacted', false], [{ met_payer: false, need: true, budget: true }, 'effective', true]]],
    ['a call counts as a contact', [[{ kind: 'call', need: true, budget: true, met_payer: true }, 'effective', true]]],
    ['a visit without facts', [[{}, 'contacted', false], [{ notes: '只是路过' }, 'contacted', false]]],
  ];
  for (const [label, steps] of sequences) {
    test(`qualification: ${label}`, async () => {
      const c = await createCompany(rep, { name: `资格 ${label}` });
      let n = 0;
      for (const [facts, status, effective] of steps) {
        n++;
        const v = expectStatus(await visit(rep, { company_id: c.id, ...facts }), 201, `step ${n}`);
        assert.equal(v.status, status, `step ${n} status`);
        assert.equal(v.effective, effective, `step ${n} effective`);
        assert.equal(v.made_effective, effective && (n === steps.findIndex((s) => s[2]) + 1), `step ${n} made_effective`);
        assert.equal(v.rep_id, rep.id);
        assert.equal(v.was_new, true);
      }
      const g = await get(rep, c.id);
      const [, lastStatus, lastEff] = steps[steps.length - 1];
      assert.equal(g.status, lastStatus);
      assert.equal(g.effective, lastEff);
      assert.equal(g.visit_count, steps.length);
      if (lastEff) {
        assert.equal(g.need && g.budget && g.payer_met, true);
        assert.equal(g.effective_by, rep.id, 'effective_by is the visiting rep');
        assert.ok(g.effective_at);
      } else {
        assert.equal(g.effective_by, null);
        assert.equal(g.effective_at, null);
      }
    });
  }

  test('effective_at is the first moment all three held (the visit\'s at), credited to that visit\'s rep', async () => {
    const c = await createCompany(rep, { name: '有效时刻公司' });
    const at = `${shanghaiDate(-1)}T15:45:00+08:00`;
    const v = expectStatus(await visit(rep, { company_id: c.id, at, need: true, budget: true, met_payer: true }), 201);
    assert.equal(v.effective, true);
    assert.equal(v.company.effective_by, rep.id);
    assert.equal(Date.parse(v.company.effective_at), Date.parse(at));
    // a later visit changes neither the moment nor the credit
    expectStatus(await visit(mgr, { company_id: c.id, need: true, budget: true, met_payer: true }), 201);
    const g = await get(admin, c.id);
    assert.equal(Date.parse(g.effective_at), Date.parse(at));
    assert.equal(g.effective_by, rep.id);
  });

  test('a nurtured company that qualifies becomes effective and leaves the nurture pool', async () => {
    const c = await createCompany(rep, { name: '培养转有效公司' });
    const n = expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 1, status: 'nurture', nurture_reason: '下季度', revisit_on: '2027-02-01' }), 200);
    const v1 = expectStatus(await visit(rep, { company_id: c.id, need: true }), 201);
    assert.equal(v1.status, 'nurture', 'stays parked until it qualifies');
    const v2 = expectStatus(await visit(rep, { company_id: c.id, budget: true, met_payer: true }), 201);
    assert.equal(v2.status, 'effective');
    assert.equal(v2.company.nurture_reason, null);
    assert.ok(n.version < v2.company.version);
  });

  test('a visit on a pool company -> 409 (for a rep and for the admin), nothing recorded', async () => {
    const c = await createCompany(admin, { name: '公海拜访公司', owner_id: null });
    expectStatus(await visit(rep, { company_id: c.id, need: true }), 409);
    expectStatus(await visit(admin, { company_id: c.id, need: true }), 409);
    const g = await get(rep, c.id);
    assert.equal(g.visit_count, 0);
    assert.equal(g.need, false);
  });

  // ---------- deals ----------

  test('a deal makes the company signed and existing; later visits are not new', async () => {
    const c = await createCompany(rep, { name: '签约公司' });
    expectStatus(await visit(rep, { company_id: c.id, need: true, budget: true, met_payer: true }), 201);
    const d = expectStatus(await rep.post('/api/v1/deals', { company_id: c.id, amount: 3880000, signed_on: shanghaiDate(0) }), 201);
    assert.ok(d.id > 0);
    assert.equal(d.amount, 3880000);
    assert.equal(d.rep_id, rep.id);
    assert.equal(d.company.status, 'signed');
    assert.equal(d.company.is_new, false);
    assert.equal(d.company.effective, false, 'an existing customer is no longer an effective NEW customer');
    const g = await get(rep, c.id);
    assert.equal(g.status, 'signed');
    assert.equal(g.is_new, false);
    assert.ok(g.signed_at);
    const v = expectStatus(await visit(rep, { company_id: c.id, notes: '回访' }), 201);
    assert.equal(v.was_new, false);
    assert.equal(v.status, 'signed');
    assert.equal(v.effective, false);
    const d2 = expectStatus(await rep.post('/api/v1/deals', { company_id: c.id, amount: 100 }), 201);
    assert.equal(d2.company.signed_at, g.signed_at, 'signed_at is the first signing');
    const deals = expectStatus(await rep.get(`/api/v1/companies/${c.id}/deals`), 200);
    assert.equal(deals.items.length, 2);
  });

  test('a deal signed on a never-qualified new company: signed, and the first visit after it is existing', async () => {
    const c = await createCompany(rep, { name: '直接签约公司' });
    const d = expectStatus(await rep.post('/api/v1/deals', { company_id: c.id, amount: 1 }), 201);
    assert.equal(d.company.status, 'signed');
    const v = expectStatus(await visit(rep, { company_id: c.id, need: true, budget: true, met_payer: true }), 201);
    assert.equal(v.was_new, false);
    assert.equal(v.made_effective, false, 'an existing customer never becomes an effective new customer');
    assert.equal(v.company.effective_at, null);
  });

  const badDeals = [
    ['amount 0', { amount: 0 }],
    ['amount -5', { amount: -5 }],
    ['amount 1.5', { amount: 1.5 }],
    ['amount "100"', { amount: '100' }],
    ['amount missing', {}],
    ['amount beyond 1e15', { amount: 1e15 + 1 }],
    ['signed_on tomorrow', () => ({ amount: 100, signed_on: shanghaiDate(1) })],
    ['signed_on not a date', { amount: 100, signed_on: '2026-02-30' }],
    ['signed_on with a time', { amount: 100, signed_on: '2026-01-05T10:00:00+08:00' }],
    ['company_id missing', { amount: 100, company_id: undefined }],
    ['company_id as string', { amount: 100, company_id: 'x' }],
    ['unknown field', { amount: 100, discount: 5 }],
  ];
  for (const [label, body] of badDeals) {
    test(`deal: ${label} -> 400, the company stays unsigned`, async () => {
      const c = await createCompany(rep, { name: `坏订单 ${label}` });
      const b = typeof body === 'function' ? body() : body;
      const payload = { company_id: c.id, ...b };
      if ('company_id' in b && b.company_id === undefined) delete payload.company_id;
      expectStatus(await rep.post('/api/v1/deals', payload), 400, label);
      assert.equal((await get(rep, c.id)).status, 'prospect');
    });
  }

  // ---------- accompanied visits ----------

  const badAccompanied = [
    ['no companion_id', () => ({ kind: 'accompanied', coaching_stage: 1 })],
    ['no coaching_stage', () => ({ kind: 'accompanied', companion_id: mgr.id })],
    ['coaching_stage 0', () => ({ kind: 'accompanied', companion_id: mgr.id, coaching_stage: 0 })],
    ['coaching_stage 5', () => ({ kind: 'accompanied', companion_id: mgr.id, coaching_stage: 5 })],
    ['coaching_stage "2"', () => ({ kind: 'accompanied', companion_id: mgr.id, coaching_stage: '2' })],
    ['coaching_stage 2.5', () => ({ kind: 'accompanied', companion_id: mgr.id, coaching_stage: 2.5 })],
    ['companion is a rep', () => ({ kind: 'accompanied', companion_id: rep2.user.id, coaching_stage: 1 })],
    ['companion is oneself', () => ({ kind: 'accompanied', companion_id: rep.id, coaching_stage: 1 })],
    ['companion does not exist', () => ({ kind: 'accompanied', companion_id: 999999, coaching_stage: 1 })],
    ['companion on a plain visit', () => ({ kind: 'visit', companion_id: mgr.id })],
    ['stage on a call', () => ({ kind: 'call', coaching_stage: 2 })],
    ['unknown kind', () => ({ kind: 'meeting' })],
    ['kind as number', () => ({ kind: 1 })],
  ];
  for (const [label, body] of badAccompanied) {
    test(`accompanied: ${label} -> 400, nothing recorded`, async () => {
      const c = await createCompany(rep, { name: `陪访 ${label}` });
      expectStatus(await visit(rep, { company_id: c.id, ...body() }), 400, label);
      assert.equal((await get(rep, c.id)).visit_count, 0);
    });
  }

  for (const stage of [1, 2, 3, 4]) {
    test(`accompanied: with the manager at coaching stage ${stage} -> 201`, async () => {
      const c = await createCompany(rep, { name: `陪访阶段${stage}` });
      const v = expectStatus(await visit(rep, { company_id: c.id, kind: 'accompanied', companion_id: mgr.id, coaching_stage: stage, duration_min: 45 }), 201);
      assert.equal(v.kind, 'accompanied');
      assert.equal(v.companion_id, mgr.id);
      assert.equal(v.coaching_stage, stage);
      assert.equal(v.rep_id, rep.id);
      const l = expectStatus(await rep.get(`/api/v1/companies/${c.id}/visits`), 200);
      assert.equal(l.items[0].coaching_stage, stage);
    });
  }

  test('accompanied: the admin and a director-level user may be companions too', async () => {
    const c = await createCompany(rep, { name: '管理员陪访' });
    expectStatus(await visit(rep, { company_id: c.id, kind: 'accompanied', companion_id: admin.id, coaching_stage: 1 }), 201);
  });

  // ---------- visit time and duration ----------

  const badAts = [
    ['an hour in the future', () => new Date(Date.now() + 3600000).toISOString()],
    ['tomorrow in +08:00', () => `${shanghaiDate(1)}T12:00:00+08:00`],
    ['no offset', () => `${shanghaiDate(-1)}T10:00:00`],
    ['date only', () => shanghaiDate(-1)],
    ['not a time', () => 'yesterday'],
    ['Feb 30', () => '2026-02-30T10:00:00+08:00'],
    ['hour 25', () => `${shanghaiDate(-1)}T25:00:00+08:00`],
    ['two years ago', () => new Date(Date.now() - 2 * 366 * 86400000).toISOString()],
    ['a number', () => 1700000000],
  ];
  for (const [label, at] of badAts) {
    test(`visit at ${label} -> 400`, async () => {
      const c = await createCompany(rep, { name: `时间 ${label}` });
      expectStatus(await visit(rep, { company_id: c.id, at: at() }), 400, label);
      assert.equal((await get(rep, c.id)).visit_count, 0);
    });
  }

  const goodAts = [
    ['UTC Z', () => new Date(Date.now() - 3600000).toISOString().replace(/\.\d+Z$/, 'Z')],
    ['with +08:00', () => `${shanghaiDate(-1)}T09:15:00+08:00`],
    ['with -05:00', () => `${shanghaiDate(-2)}T09:15:00-05:00`],
  ];
  for (const [label, at] of goodAts) {
    test(`visit at ${label} -> 201`, async () => {
      const c = await createCompany(rep, { name: `好时间 ${label}` });
      const v = expectStatus(await visit(rep, { company_id: c.id, at: at() }), 201, label);
      assert.equal(Date.parse(v.at), Date.parse(at()));
    });
  }

  for (const [label, d] of [['0', 0], ['1441', 1441], ['"30"', '30'], ['-5', -5], ['1.5', 1.5]]) {
    test(`visit duration_min ${label} -> 400`, async () => {
      const c = await createCompany(rep, { name: `时长 ${label}` });
      expectStatus(await visit(rep, { company_id: c.id, duration_min: d }), 400);
    });
  }

  // ---------- metrics over local days ----------

  test('metrics/reps: visits, visits_new, effective_new, deals, signed_amount, new_share (by duration), attainment; local days', async () => {
    const D3 = shanghaiDate(-3), D2 = shanghaiDate(-2);
    const me = rep2.user;
    const P = await createCompany(rep2, { name: '指标公司P' });
    const Q = await createCompany(rep2, { name: '指标公司Q' });
    // 23:30 and 00:30 Shanghai time, one hour apart, same UTC day, different local days
    const vP = expectStatus(await visit(rep2, { company_id: P.id, at: `${D3}T23:30:00+08:00`, duration_min: 30, need: true, budget: true, met_payer: true }), 201);
    const vQ = expectStatus(await visit(rep2, { company_id: Q.id, at: `${D2}T00:30:00+08:00`, duration_min: 90, need: true }), 201);
    assert.equal(vP.day, D3);
    assert.equal(vQ.day, D2);
    assert.equal(vP.effective, true);
    expectStatus(await rep2.post('/api/v1/deals', { company_id: Q.id, amount: 123456, signed_on: D2 }), 201);
    const vQ2 = expectStatus(await visit(rep2, { company_id: Q.id, at: `${D2}T10:00:00+08:00`, duration_min: 120 }), 201);
    assert.equal(vQ2.was_new, false);

    const m = async (c, from, to, extra = '') => {
      const r = expectStatus(await c.get(`/api/v1/metrics/reps?from=${from}&to=${to}${extra}`), 200);
      const row = r.items.find((x) => x.rep_id === me.id);
      assert.ok(row, `rep ${me.id} in ${JSON.stringify(r.items.map((x) => x.rep_id))}`);
      return row;
    };
    const close = (a, b, what) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

    const d3 = await m(rep2, D3, D3);
    assert.equal(d3.visits, 1);
    assert.equal(d3.visits_new, 1);
    assert.equal(d3.effective_new, 1);
    assert.equal(d3.deals, 0);
    assert.equal(d3.signed_amount, 0);
    close(d3.new_share, 1, 'new_share D-3');

    const d2 = await m(rep2, D2, D2);
    assert.equal(d2.visits, 2);
    assert.equal(d2.visits_new, 1);
    assert.equal(d2.effective_new, 0);
    assert.equal(d2.deals, 1);
    assert.equal(d2.signed_amount, 123456);
    close(d2.new_share, 90 / 210, 'new_share D-2 is weighted by duration, not by count');

    const both = await m(rep2, D3, D2);
    assert.equal(both.visits, 3);
    assert.equal(both.visits_new, 2);
    assert.equal(both.effective_new, 1);
    assert.equal(both.deals, 1);
    assert.equal(both.signed_amount, 123456);
    close(both.new_share, 120 / 240, 'new_share over both days');
    const wd = workingDaysBetween(D3, D2);
    if (wd === 0) assert.equal(both.attainment, null, 'no working day, no quota');
    else close(both.attainment, 1 / (2 * wd), `attainment over ${wd} working day(s) at the default quota 2`);

    // the manager sees the same numbers for their team
    const viaMgr = await m(mgr, D3, D2, `&team_id=${team.id}`);
    for (const k of ['visits', 'visits_new', 'effective_new', 'deals', 'signed_amount', 'new_share', 'attainment'])
      assert.deepEqual(viaMgr[k], both[k], k);

    // a day with nothing
    const empty = await m(rep2, shanghaiDate(-5), shanghaiDate(-4));
    assert.equal(empty.visits, 0);
    assert.equal(empty.new_share, null);
  });

  test('metrics/reps: a rep target changes the attainment denominator', async () => {
    // a range with a known number of working days: the last full Monday-Friday week
    const weekAgo = shanghaiDate(-7);
    const mon = addDays(weekAgo, 1 - isoWeekday(weekAgo));
    const fri = addDays(mon, 4);
    expectStatus(await mgr.put('/api/v1/targets', { scope: 'rep', scope_id: rep.id, metric: 'effective_new', period: 'day', value: 1, reason: '新人' }), 200);
    const r = expectStatus(await mgr.get(`/api/v1/metrics/reps?from=${mon}&to=${fri}`), 200);
    const row = r.items.find((x) => x.rep_id === rep.id);
    assert.equal(row.quota_effective_new, 5, '1 a day over 5 working days');
    const other = r.items.find((x) => x.rep_id === rep2.user.id);
    assert.equal(other.quota_effective_new, 10, 'the default 2 a day for the others');
  });

  const badMetrics = ['from=2026-02-30', 'to=tomorrow', 'from=2026-03-10&to=2026-03-01', 'from=2024-01-01&to=2026-01-01',
    'team_id=abc', 'team_id=999999', 'rep=1', 'from=2026-01-01&from=2026-01-02'];
  for (const q of badMetrics) {
    test(`metrics/reps?${q} -> ${q.startsWith('team_id=9') ? 404 : 400}`, async () => {
      expectStatus(await mgr.get(`/api/v1/metrics/reps?${q}`), q.startsWith('team_id=9') ? 404 : 400, q);
    });
  }

  no5xxTest(test, ctx);
});
