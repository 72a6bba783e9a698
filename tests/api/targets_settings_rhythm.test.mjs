// Targets, organisation settings, the daily rhythm (plans and reviews), audit.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, shanghaiDate } from './harness.mjs';

describe('targets, settings, rhythm, audit', () => {
  const ctx = useServer({ before, after }, { org: 'Rhythm Org', admin: 'rh_admin' });
  const who = {};
  let teams;

  before(async () => {
    const org = await buildOrg(ctx.srv, { prefix: 'rh', repsA: 2, repsB: 1 });
    Object.assign(who, {
      admin: org.admin, director: org.director, mgrA: org.mgrA, mgrB: org.mgrB,
      repA1: org.repsA[0], repA2: org.repsA[1], repB1: org.repsB[0],
    });
    teams = org.teams;
  });

  // ---------- targets ----------

  const target = (fields) => ({ scope: 'rep', metric: 'effective_new', period: 'day', value: 3, reason: '起步', ...fields });
  let targetId;

  test('targets: a manager sets a target for their rep (200) and changes it; both values are kept', async () => {
    const t1 = expectStatus(await who.mgrA.put('/api/v1/targets', target({ scope_id: who.repA1.id })), 200);
    assert.equal(t1.scope, 'rep');
    assert.equal(t1.scope_id, who.repA1.id);
    assert.equal(t1.metric, 'effective_new');
    assert.equal(t1.period, 'day');
    assert.equal(t1.value, 3);
    assert.equal(t1.reason, '起步');
    assert.equal(t1.set_by, who.mgrA.id);
    targetId = t1.id;
    const t2 = expectStatus(await who.mgrA.put('/api/v1/targets', target({ scope_id: who.repA1.id, value: 2, reason: '取中间值' })), 200);
    assert.equal(t2.id, t1.id, 'the same target, changed');
    assert.equal(t2.value, 2);
    assert.equal(t2.reason, '取中间值');
    assert.ok(t2.version > t1.version);
    const l = expectStatus(await who.mgrA.get('/api/v1/targets'), 200);
    const cur = l.items.filter((t) => t.scope === 'rep' && t.scope_id === who.repA1.id && t.metric === 'effective_new' && t.period === 'day');
    assert.equal(cur.length, 1);
    assert.equal(cur[0].value, 2);
    // the change history, with reasons, is in the audit log
    const a = expectStatus(await who.admin.get(`/api/v1/audit?entity=target&entity_id=${t1.id}`), 200);
    assert.equal(a.items.length, 2, JSON.stringify(a.items));
    const [newer, older] = a.items;
    assert.equal(older.new.value, 3);
    assert.equal(newer.old.value, 3);
    assert.equal(newer.new.value, 2);
    assert.equal(newer.new.reason, '取中间值');
    assert.equal(newer.user_id, who.mgrA.id);
  });

  test('targets: GET /targets shows each target\'s change history (old and new value, reason, who, when)', async () => {
    const l = expectStatus(await who.mgrA.get('/api/v1/targets'), 200);
    const t = l.items.find((x) => x.id === targetId);
    assert.ok(t, 'the target is listed');
    assert.ok(Array.isArray(t.history), `no "history" on the listed target: ${JSON.stringify(t)}`);
    const values = t.history.map((h) => h.new_value ?? h.value);
    assert.ok(values.includes(3) && values.includes(2), JSON.stringify(t.history));
    assert.ok(t.history.some((h) => h.reason === '取中间值'));
  });

  test('targets: who sees them', async () => {
    const sees = { repA1: true, repA2: false, repB1: false, mgrA: true, mgrB: false, director: true, admin: true };
    for (const [k, v] of Object.entries(sees)) {
      const l = expectStatus(await who[k].get('/api/v1/targets'), 200);
      assert.equal(l.items.some((t) => t.id === targetId), v, k);
    }
  });

  const targetWrites = [
    ['rep for a teammate', 'repA1', () => target({ scope_id: who.repA2.id }), 403],
    ['rep for themselves', 'repA1', () => target({ scope_id: who.repA1.id }), 403],
    ['rep for their team', 'repA1', () => target({ scope: 'team', scope_id: teams.A.id }), 403],
    ['manager B for a team A rep', 'mgrB', () => target({ scope_id: who.repA1.id }), 404],
    ['manager A for a team B rep', 'mgrA', () => target({ scope_id: who.repB1.id }), 404],
    ['manager A for themselves', 'mgrA', () => target({ scope_id: who.mgrA.id }), 404],
    ['manager A for an unknown user', 'mgrA', () => target({ scope_id: 999999 }), 404],
    ['manager A for team B', 'mgrA', () => target({ scope: 'team', scope_id: teams.B.id }), 404],
    ['manager A for the root team', 'mgrA', () => target({ scope: 'team', scope_id: teams.root.id }), 404],
    ['manager A for team A', 'mgrA', () => target({ scope: 'team', scope_id: teams.A.id, metric: 'visits_new' }), 200],
    ['director for a team B rep', 'director', () => target({ scope_id: who.repB1.id, metric: 'signed_amount', period: 'month', value: 50000000 }), 200],
    ['admin for a team A rep', 'admin', () => target({ scope_id: who.repA2.id, metric: 'visits_new' }), 200],
    ['value 0 (a rest day)', 'mgrA', () => target({ scope_id: who.repA2.id, value: 0 }), 200],
  ];
  for (const [label, actor, body, status] of targetWrites) {
    test(`targets: ${label} -> ${status}`, async () => {
      const b = body();
      const before = expectStatus(await who.admin.get('/api/v1/targets'), 200);
      expectStatus(await who[actor].put('/api/v1/targets', b), status, label);
      const afterL = expectStatus(await who.admin.get('/api/v1/targets'), 200);
      if (status !== 200) assert.deepEqual(afterL, before, 'nothing changed');
      else assert.ok(afterL.items.some((t) => t.scope_id === b.scope_id && t.metric === b.metric && t.value === b.value));
    });
  }

  const badTargets = [
    ['value -1', { value: -1 }],
    ['value "3"', { value: '3' }],
    ['value 1.5', { value: 1.5 }],
    ['value missing', { value: undefined }],
    ['value 1e16', { value: 1e16 }],
    ['value null', { value: null }],
    ['metric revenue', { metric: 'revenue' }],
    ['metric missing', { metric: undefined }],
    ['period week', { period: 'week' }],
    ['scope org', { scope: 'org' }],
    ['scope_id missing', { scope_id: undefined }],
    ['scope_id "5"', { scope_id: '5' }],
    ['reason of 501 characters', { reason: '因'.repeat(501) }],
    ['unknown field', { starts_on: '2026-01-01' }],
  ];
  for (const [label, fields] of badTargets) {
    test(`targets: ${label} -> 400`, async () => {
      const b = target({ scope_id: who.repA1.id, ...fields });
      for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
      expectStatus(await who.mgrA.put('/api/v1/targets', b), 400, label);
    });
  }

  // ---------- settings ----------

  test('settings: the admin reads the defaults of the method', async () => {
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    assert.equal(s.timezone, 'Asia/Shanghai');
    assert.equal(s.quota_visits_new, 5);
    assert.equal(s.quota_effective_new, 2);
    assert.equal(s.nurture_cap, 5);
    assert.equal(s.new_share_min, 0.8);
    assert.ok(Number.isInteger(s.min_order_value));
    assert.ok(Number.isInteger(s.version));
  });

  for (const actor of ['repA1', 'mgrA', 'director']) {
    test(`settings: ${actor} cannot change them (403), unchanged`, async () => {
      const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
      expectStatus(await who[actor].patch('/api/v1/settings', { quota_visits_new: 1, version: s.version }), 403);
      assert.deepEqual(expectStatus(await who.admin.get('/api/v1/settings'), 200), s);
    });
  }

  test('settings: the admin changes them with the version; a stale version -> 409', async () => {
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    const p = expectStatus(await who.admin.patch('/api/v1/settings', { version: s.version, quota_visits_new: 4, min_order_value: 2000000 }), 200);
    assert.equal(p.quota_visits_new, 4);
    assert.equal(p.min_order_value, 2000000);
    assert.equal(p.version, s.version + 1);
    assert.equal(p.timezone, s.timezone, 'untouched fields kept');
    expectStatus(await who.admin.patch('/api/v1/settings', { version: s.version, quota_visits_new: 3 }), 409);
    assert.equal(expectStatus(await who.admin.get('/api/v1/settings'), 200).quota_visits_new, 4);
    const back = expectStatus(await who.admin.patch('/api/v1/settings', { version: p.version, quota_visits_new: 5, min_order_value: s.min_order_value }), 200);
    assert.equal(back.quota_visits_new, 5);
  });

  test('settings: a known time zone is accepted, and the organisation\'s days follow it', async () => {
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    const p = expectStatus(await who.admin.patch('/api/v1/settings', { version: s.version, timezone: 'America/New_York' }), 200);
    assert.equal(p.timezone, 'America/New_York');
    assert.equal(expectStatus(await who.repA1.get('/api/v1/me'), 200).timezone, 'America/New_York');
    const back = expectStatus(await who.admin.patch('/api/v1/settings', { version: p.version, timezone: 'Asia/Shanghai' }), 200);
    assert.equal(back.timezone, 'Asia/Shanghai');
  });

  test('settings: every number of the method is there with its SPEC default', async () => {
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    const defaults = {
      calls_count_as_visits: false, time_sink_age_days: 30, time_sink_window_days: 30, time_sink_visits: 2,
      sign_or_drop_visits: 2, not_effective_visits: 3, pool_release_days: 30, pool_warn_days: 3, claim_daily_max: 10,
      owned_max: 300, reclaim_cooldown_days: 7, prospect_rank_window: 2, harvest_window_days: 60, diagnosis_share: 0.8,
      diagnosis_window_days: 30, quota_adjust_days: 20, quota_adjust_share: 0.8, new_hire_days: 90,
      coaching_enter_days: 3, coaching_leave_days: 3, coaching_window_days: 40, pace_alert_share: 0.8, pace_grace_days: 5,
      plan_remind_at: '09:30', review_remind_at: '19:00',
    };
    for (const [k, v] of Object.entries(defaults)) assert.deepEqual(s[k], v, k);
  });

  test('settings: the method\'s numbers change, are kept, named in the audit, and go back', async () => {
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    const change = { calls_count_as_visits: true, time_sink_visits: 3, harvest_window_days: 45, pace_alert_share: 0.7,
                     plan_remind_at: '08:45', owned_max: 250 };
    const p = expectStatus(await who.admin.patch('/api/v1/settings', { version: s.version, ...change }), 200);
    for (const [k, v] of Object.entries(change)) assert.deepEqual(p[k], v, k);
    const again = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    for (const [k, v] of Object.entries(change)) assert.deepEqual(again[k], v, `${k} kept`);
    assert.equal(again.quota_visits_new, s.quota_visits_new, 'untouched fields kept');
    const audit = expectStatus(await who.admin.get('/api/v1/audit?entity=settings&limit=5'), 200);
    const last = audit.items[0];
    assert.equal(last.new.harvest_window_days, 45);
    assert.equal(last.old.harvest_window_days, s.harvest_window_days);
    const restore = {};
    for (const k of Object.keys(change)) restore[k] = s[k];
    const back = expectStatus(await who.admin.patch('/api/v1/settings', { version: p.version, ...restore }), 200);
    for (const k of Object.keys(change)) assert.deepEqual(back[k], s[k], `${k} restored`);
  });

  test('settings: a bad method number is a 400 that names the field', async () => {
    for (const [field, value] of [['claim_daily_max', -1], ['time_sink_age_days', 0], ['pace_alert_share', 2],
                                  ['calls_count_as_visits', 'yes'], ['review_remind_at', '25:00'],
                                  ['pool_warn_days', 30], ['coaching_window_days', 2]]) {
      const r = await who.admin.patch('/api/v1/settings', { [field]: value });
      expectStatus(r, 400, field);
      assert.match(r.body.error.message, new RegExp(`^${field}`), `${field}: ${r.body.error.message}`);
    }
  });

  const badSettings = [
    ['unknown timezone', { timezone: 'Mars/Olympus' }],
    ['timezone as offset', { timezone: 'UTC+8' }],
    ['empty timezone', { timezone: '' }],
    ['timezone path', { timezone: '../../etc/passwd' }],
    ['timezone as number', { timezone: 8 }],
    ['quota_visits_new -1', { quota_visits_new: -1 }],
    ['quota_visits_new "5"', { quota_visits_new: '5' }],
    ['quota_effective_new 1.5', { quota_effective_new: 1.5 }],
    ['new_share_min 1.5', { new_share_min: 1.5 }],
    ['new_share_min -0.1', { new_share_min: -0.1 }],
    ['new_share_min "0.8"', { new_share_min: '0.8' }],
    ['nurture_cap -1', { nurture_cap: -1 }],
    ['min_order_value -1', { min_order_value: -1 }],
    ['min_order_value 10.5', { min_order_value: 10.5 }],
    ['working_days "8"', { working_days: '8' }],
    ['working_days empty', { working_days: '' }],
    ['working_days as array', { working_days: [1, 2] }],
    ['holidays bad date', { holidays: ['2026-13-01'] }],
    ['holidays not a list', { holidays: '2026-10-01' }],
    ['pool_release_days 0', { pool_release_days: 0 }],
    ['pool_release_days not above pool_warn_days', { pool_release_days: 3 }],
    ['calls_count_as_visits 1', { calls_count_as_visits: 1 }],
    ['harvest_window_days 0', { harvest_window_days: 0 }],
    ['owned_max 1e7', { owned_max: 10000000 }],
    ['plan_remind_at 9:30', { plan_remind_at: '9:30' }],
    ['plan_remind_at number', { plan_remind_at: 930 }],
    ['quota_adjust_share 1.1', { quota_adjust_share: 1.1 }],
    ['coaching_enter_days 0', { coaching_enter_days: 0 }],
    ['version "1"', { version: '1' }],
    ['unknown field', { currency: 'CNY' }],
    ['org_id', { org_id: 2 }],
  ];
  for (const [label, body] of badSettings) {
    test(`settings: ${label} -> 400, unchanged`, async () => {
      const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
      expectStatus(await who.admin.patch('/api/v1/settings', body), 400, label);
      assert.deepEqual(expectStatus(await who.admin.get('/api/v1/settings'), 200), s);
    });
  }

  // ---------- plans and reviews ----------

  const today = shanghaiDate(0);
  let ownCompany, otherCompany;

  test('plans: a rep puts the morning plan and reads it back; versions guard overwrites', async () => {
    ownCompany = await createCompany(who.repA1, { name: '今日计划公司' });
    otherCompany = await createCompany(who.repB1, { name: '别人的计划公司' });
    const body = { goal: '拜访5家新客户，拿下2家有效', visits_planned: 5, company_ids: [ownCompany.id], notes: '早启动' };
    const p = expectStatus(await who.repA1.put(`/api/v1/plans/${today}`, body), 200);
    assert.equal(p.rep_id, who.repA1.id);
    assert.equal(p.date, today);
    assert.equal(p.version, 1);
    const g = expectStatus(await who.repA1.get(`/api/v1/plans/${today}`), 200);
    for (const [k, v] of Object.entries(body)) assert.deepEqual(g[k], v, k);
    const p2 = expectStatus(await who.repA1.put(`/api/v1/plans/${today}`, { ...body, visits_planned: 6, version: 1 }), 200);
    assert.equal(p2.version, 2);
    expectStatus(await who.repA1.put(`/api/v1/plans/${today}`, { ...body, visits_planned: 7, version: 1 }), 409);
    assert.equal(expectStatus(await who.repA1.get(`/api/v1/plans/${today}`), 200).visits_planned, 6);
    expectStatus(await who.repA1.get(`/api/v1/plans/${shanghaiDate(-30)}`), 404, 'no plan that day');
  });

  const badPlans = [
    ['another rep\'s company', () => ({ company_ids: [otherCompany.id] })],
    ['an unknown company', () => ({ company_ids: [999999] })],
    ['company_ids not a list', () => ({ company_ids: ownCompany.id })],
    ['company ids as strings', () => ({ company_ids: [String(ownCompany.id)] })],
    ['51 companies', () => ({ company_ids: Array(51).fill(ownCompany.id) })],
    ['visits_planned -1', () => ({ visits_planned: -1 })],
    ['visits_planned "5"', () => ({ visits_planned: '5' })],
    ['goal as number', () => ({ goal: 5 })],
    ['unknown field', () => ({ mood: 'great' })],
    ['review fields in a plan', () => ({ wins: '签了' })],
  ];
  for (const [label, body] of badPlans) {
    test(`plans: ${label} -> 400`, async () => {
      expectStatus(await who.repA1.put(`/api/v1/plans/${shanghaiDate(-1)}`, body()), 400, label);
      expectStatus(await who.repA1.get(`/api/v1/plans/${shanghaiDate(-1)}`), 404, 'nothing stored');
    });
  }

  const badDates = ['2026-02-30', '20260105', 'yesterday', '2026-1-5', '2026-01-05x', '2026-00-10', '0000-01-01x', '%zz2026-01-05', '2026-01-05%00'];
  for (const d of badDates) {
    for (const kind of ['plans', 'reviews']) {
      test(`${kind}: bad date ${JSON.stringify(d)} -> 400 (PUT and GET)`, async () => {
        const body = kind === 'plans' ? { goal: 'x' } : { wins: 'x' };
        const put = await who.repA1.put(`/api/v1/${kind}/${d}`, body);
        expectStatus(put, 400, `PUT ${d}`);
        expectStatus(await who.repA1.get(`/api/v1/${kind}/${d}`), 400, `GET ${d}`);
      });
    }
  }

  test('reviews: a rep puts the evening share; the day\'s results come from the visits', async () => {
    expectStatus(await who.repA1.post('/api/v1/visits', { company_id: ownCompany.id, need: true, duration_min: 40 }), 201);
    const body = { wins: '见到了老板', problems: '预算要等下月', help_wanted: '希望主管陪访', notes: '晚分享' };
    const r = expectStatus(await who.repA1.put(`/api/v1/reviews/${today}`, body), 200);
    assert.equal(r.rep_id, who.repA1.id);
    assert.equal(r.date, today);
    const g = expectStatus(await who.repA1.get(`/api/v1/reviews/${today}`), 200);
    for (const [k, v] of Object.entries(body)) assert.equal(g[k], v, k);
    assert.ok(g.results.visits >= 1, JSON.stringify(g.results));
    assert.ok(g.results.visits_new >= 1);
    expectStatus(await who.repA1.put(`/api/v1/reviews/${today}`, { ...body, results: { visits: 99 } }), 400, 'results cannot be typed in');
  });

  const reviewReaders = [
    ['the rep', 'repA1', '', 200],
    ['their manager', 'mgrA', 'REP', 200],
    ['the director', 'director', 'REP', 200],
    ['the admin', 'admin', 'REP', 200],
    ['the other team\'s manager', 'mgrB', 'REP', 404],
    ['a teammate', 'repA2', 'REP', 404],
    ['a rep of the other team', 'repB1', 'REP', 404],
    ['manager, unknown rep', 'mgrA', '999999', 404],
    ['manager, rep_id=abc', 'mgrA', 'abc', 400],
    ['manager, unknown parameter', 'mgrA', 'REP&foo=1', 400],
  ];
  for (const [label, actor, repParam, status] of reviewReaders) {
    test(`reviews: read by ${label} -> ${status}`, async () => {
      const q = repParam ? `?rep_id=${repParam.replace('REP', who.repA1.id)}` : '';
      const r = await who[actor].get(`/api/v1/reviews/${today}${q}`);
      const b = expectStatus(r, status, label);
      if (status === 200) {
        assert.equal(b.wins, '见到了老板');
        assert.equal(b.rep_id, who.repA1.id);
      }
    });
  }

  test('plans: the manager reads their rep\'s plan, the other manager cannot', async () => {
    expectStatus(await who.mgrA.get(`/api/v1/plans/${today}?rep_id=${who.repA1.id}`), 200);
    expectStatus(await who.mgrB.get(`/api/v1/plans/${today}?rep_id=${who.repA1.id}`), 404);
  });

  test('reviews: a manager writes only their own review (the path has no rep)', async () => {
    const r = expectStatus(await who.mgrA.put(`/api/v1/reviews/${today}`, { wins: '主管自己的分享' }), 200);
    assert.equal(r.rep_id, who.mgrA.id);
    assert.equal(expectStatus(await who.repA1.get(`/api/v1/reviews/${today}`), 200).wins, '见到了老板');
  });

  // ---------- audit ----------

  test('audit: the admin sees every change: targets, settings, plans, reviews, companies, visits', async () => {
    const a = expectStatus(await who.admin.get('/api/v1/audit?limit=500'), 200);
    const has = (entity, action, userId) =>
      a.items.some((e) => e.entity === entity && (!action || e.action === action) && (!userId || e.user_id === userId));
    assert.ok(has('target', 'create', who.mgrA.id), 'target create');
    assert.ok(has('target', 'update', who.mgrA.id), 'target update');
    assert.ok(has('settings', 'update', who.admin.id), 'settings update');
    assert.ok(has('plan', null, who.repA1.id), 'plan');
    assert.ok(has('review', null, who.repA1.id), 'review');
    assert.ok(has('company', 'create', who.repA1.id), 'company create');
    assert.ok(has('visit', 'create', who.repA1.id), 'visit create');
    for (const e of a.items) {
      assert.ok(Number.isInteger(e.id));
      assert.ok(typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at)), `at: ${e.at}`);
    }
    const ids = a.items.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
    const settings = a.items.find((e) => e.entity === 'settings' && e.new && e.new.timezone === 'America/New_York');
    assert.ok(settings && settings.old.timezone === 'Asia/Shanghai', 'old and new values are recorded');
  });

  test('audit: a rep sees only their own entries', async () => {
    const a = expectStatus(await who.repA1.get('/api/v1/audit?limit=500'), 200);
    assert.ok(a.items.length > 0);
    for (const e of a.items) assert.equal(e.user_id, who.repA1.id, JSON.stringify(e));
    assert.ok(a.items.some((e) => e.entity === 'review'));
    const b = expectStatus(await who.repB1.get('/api/v1/audit?limit=500'), 200);
    for (const e of b.items) assert.equal(e.user_id, who.repB1.id);
    assert.ok(!b.items.some((e) => e.entity === 'review'));
  });

  const auditQueries = [
    ['entity=settings', 200, (a) => a.items.length >= 1 && a.items.every((e) => e.entity === 'settings')],
    ['limit=1', 200, (a) => a.items.length === 1],
    ['limit=0', 400],
    ['limit=501', 400],
    ['entity_id=abc', 400],
    ['user=1', 400],
    ['limit=1&limit=2', 400],
  ];
  for (const [q, status, check] of auditQueries) {
    test(`audit?${q} -> ${status}`, async () => {
      const a = expectStatus(await who.admin.get(`/api/v1/audit?${q}`), status, q);
      if (check) assert.ok(check(a), JSON.stringify(a).slice(0, 300));
    });
  }

  test('audit: the log cannot be written through the API', async () => {
    for (const m of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      const r = await who.admin.req(m, '/api/v1/audit', m === 'DELETE' ? undefined : {});
      assert.ok(r.status === 404 || r.status === 405, `${m}: ${r.status}`);
      expectStatus(r, r.status);
    }
  });

  no5xxTest(test, ctx);
});
