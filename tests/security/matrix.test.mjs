// The access matrix, generated from the route table: every documented route
// (GET /api/v1/openapi.json, which tests/unit/openapi_test.cpp keeps equal to
// tj::http::routes()) x every role, against records owned by someone else
// (rep A1 of team A). For each request:
//   - the status is the one in the table (404 for records out of scope, 403 for
//     actions the role may never take, 401 without a live login);
//   - the body holds no data the role may not see: every record is tagged with
//     a marker of its visibility group (VSEC/VDAT: owner, manager A, director,
//     admin; TSEC: also rep A1's teammates, through the team feed and the
//     rhythm board; OSEC: every user of the organisation) and no response to a
//     role outside the group may contain the marker — this covers the side doors
//     (search, owner_id filters, metrics, leaderboards, prospects, alerts,
//     feed, audit, exports) as well as the refused requests;
//   - a refused write leaves the organisation's rows exactly as they were
//     (dbDigest: every row of every table with an org_id, audit log included);
//   - allowed reads of the victim really show it (the checks are not vacuous).
// A route in the OpenAPI document without an entry in TABLE fails the suite.
// The route table declares each route's minimum role (x-min-role in the document): every
// role below it must be refused 403 forbidden, and a route declared open to every user
// (rep) must let some rep through (else its declaration is too low), unless the entry says
// the refusal depends on the record (recordLevel).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServer, no5xxTest, expectErrorShape, buildOrg, secondOrg, createCompany, createTeam, createUser,
  shanghaiDate, PASSWORD,
} from '../api/harness.mjs';
import { RUN, dbDigest, assertSameDigest, watchSecrets, secretsTest, openapiOps, openapiMinRoles } from './lib.mjs';

const ROLES = ['rep', 'rep_other_team', 'manager', 'manager_other', 'director', 'director_other', 'admin',
  'admin_other_org', 'anonymous', 'deactivated', 'deactivated_token'];
const TAG = { O: `osec${RUN}`, T: `TSEC${RUN}`, V: `VSEC${RUN}`, W: `VDAT${RUN}` };
// Who may see each marker (the owner, rep A1, is not a matrix role).
const GROUP = {
  O: ['rep', 'rep_other_team', 'manager', 'manager_other', 'director', 'director_other', 'admin'],
  T: ['rep', 'manager', 'director', 'admin'],
  V: ['manager', 'director', 'admin'],
  W: ['manager', 'director', 'admin'],
};
const TODAY = shanghaiDate(0);
// The roles' ranks (Rep < Manager < Director < Admin) for the declared minimum roles.
const RANK = { rep: 0, manager: 1, director: 2, admin: 3 };
const ROLE_RANK = { rep: 0, rep_other_team: 0, manager: 1, manager_other: 1, director: 2, director_other: 2, admin: 3,
  admin_other_org: 3 };

// Expectation helpers. E(rep, rep_other_team, manager, manager_other, director,
// director_other, admin, admin_other_org); the logged-out roles get 401.
// A number is the expected status; R(n) is a status n that is nonetheless a
// refusal (nothing of organisation 1 may change); an array allows any of them.
const R = (status) => ({ status, refused: true });
function E(...s) {
  assert.equal(s.length, 8);
  const m = { anonymous: 401, deactivated: 401, deactivated_token: 401 };
  ROLES.slice(0, 8).forEach((r, i) => (m[r] = s[i]));
  return m;
}
const ALL = (st) => E(st, st, st, st, st, st, st, st);
const VGROUP = (st) => E(404, 404, st, 404, st, 404, st, 404);      // rep A1's records
const TEAM_A = (st) => E(st, 404, st, 404, st, 404, st, 404);       // team-wide views of team A
const MANAGERS_A = (st) => E(403, 403, st, 404, st, 404, st, 404);  // manager actions on rep A1

describe('access matrix', () => {
  const ctx = useServer({ before, after }, { org: `Matrix ${RUN}`, admin: `osec${RUN}_admin` });
  const w = { c: {} };  // the world: clients by role, victims, ids
  let n = 0;
  const uniq = () => `${RUN}${++n}`;

  before(async () => {
    const srv = ctx.srv;
    watchSecrets(srv);
    const P = TAG.O;
    const org = await buildOrg(srv, { prefix: P, repsA: 2, repsB: 1 });
    w.org = org;
    w.owner = org.repsA[0];
    w.teamA = org.teams.A.id;
    const c = w.c;
    Object.assign(c, { rep: org.repsA[1], rep_other_team: org.repsB[0], manager: org.mgrA, manager_other: org.mgrB,
      director: org.director, admin: org.admin });
    // a director of another branch
    const root2 = await createTeam(org.admin, { name: `${P} 华南部` });
    await createUser(org.admin, { username: `${P}_dir2`, display_name: `${P}_dir2`, role: 'director', team_id: root2.id });
    c.director_other = await srv.login(`${P}_dir2`);
    expectOk(await org.admin.patch(`/api/v1/teams/${root2.id}`, { manager_id: c.director_other.id }));
    // another organisation
    c.admin_other_org = await secondOrg(srv, `z${RUN}`);
    await createCompany(c.admin_other_org, { name: `外星人${RUN}` });
    // a deactivated rep of team A, with a live cookie and token from before
    w.goneName = `${P}_gone`;
    const gone = await createUser(org.admin, { username: w.goneName, display_name: w.goneName, role: 'rep', team_id: w.teamA });
    c.deactivated = await srv.login(w.goneName);
    c.deactivated_token = await srv.tokenFor(c.deactivated);
    expectOk(await org.admin.patch(`/api/v1/users/${gone.id}`, { active: false }));
    c.anonymous = srv.anon();
    w.org1 = (await org.admin.get('/api/v1/me')).body.org.id;
    w.minRoles = await openapiMinRoles(srv);

    // ---- rep A1's records, each tagged with its visibility group ----
    const A1 = w.owner;
    const ind = `行业${RUN}`;
    w.ind = ind;
    // Industries are an organisation-managed list (SPEC §3): the admin adds this run's own.
    const cur = expectOk(await org.admin.get('/api/v1/settings'));
    expectOk(await org.admin.patch('/api/v1/settings', { industries: [...cur.industries, { name: ind, aliases: [] }] }));
    w.R = await createCompany(A1, { name: `参考客户${RUN}`, industry: ind, industry_rank: 5, budget_capacity: 50000000,
      region: `${TAG.W}区` });
    w.deal = expectOk(await A1.post('/api/v1/deals', { company_id: w.R.id, amount: 2000000, notes: `${TAG.W} 合同备注` }), 201);
    w.V = await createCompany(A1, { name: `琥珀${TAG.V}光电`, industry: ind, industry_rank: 6, budget_capacity: 50000000,
      region: `${TAG.W}区`, competitor: `${TAG.W}竞品` });
    expectOk(await A1.post(`/api/v1/companies/${w.V.id}/contacts`, { name: `欧阳${TAG.V}`, title: '总经理' }), 201);
    for (let i = 0; i < 3; i++) {
      w.visit = expectOk(await A1.post('/api/v1/visits', { company_id: w.V.id, kind: 'visit', need: true,
        notes: `${TAG.W} 拜访记录`, concerns: `${TAG.W}顾虑` }), 201);
    }
    expectOk(await A1.put(`/api/v1/plans/${TODAY}`, { goal: `${TAG.T} 目标`, company_ids: [w.V.id] }));
    expectOk(await A1.put(`/api/v1/reviews/${TODAY}`, { wins: `${TAG.T} 收获` }));
    const feed = expectOk(await A1.get('/api/v1/feed'));
    w.review = feed.items.find((x) => x.kind === 'review' && x.item.rep_id === A1.id);
    assert.ok(w.review, 'rep A1 review in the feed');
    expectOk(await A1.post(`/api/v1/feed/review/${w.review.id}/comments`, { body: `${TAG.T} 评论` }), 201);
    const M = org.mgrA;
    expectOk(await M.put('/api/v1/targets', { scope: 'rep', scope_id: A1.id, metric: 'effective_new', period: 'day', value: 3,
      reason: `${TAG.W} 目标理由` }));
    expectOk(await M.put('/api/v1/targets', { scope: 'team', scope_id: w.teamA, metric: 'visits_new', period: 'day', value: 6,
      reason: `${TAG.T} 团队理由` }));
    expectOk(await M.post('/api/v1/values', { user_id: A1.id, period: '2026-11', customer_first: 4, teamwork: 4,
      embrace_change: 4, integrity: 5, passion: 4, dedication: 4, comment: `${TAG.W} 价值观评语` }), 201);
    expectOk(await M.post('/api/v1/training', { user_id: A1.id, kind: 'skills', title: `${TAG.W} 培训课`, notes: `${TAG.W} 培训` }), 201);
    // an accompanied visit 陪访 manager A booked with rep A1
    w.booking = expectOk(await M.post('/api/v1/bookings', { rep_id: A1.id, company_id: w.V.id, at: `${shanghaiDate(2)}T10:00`,
      stage: 1, note: `${TAG.W} 陪访备注` }), 201);
  });

  function expectOk(r, status = 200) {
    assert.equal(r.status, status, r.text.slice(0, 300));
    return r.body;
  }

  // ---- fresh records for writes (so allowed writes never consume the victims) ----
  const fresh = {
    // tagged: the name carries the V marker; untagged names are for records whose
    // name becomes visible beyond the owner's scope by design (a signed deal's
    // company in the team feed) or that the request itself names (imports).
    company: async (tagged = true) =>
      createCompany(w.owner, { name: tagged ? `新${TAG.V}${uniq()}` : `新客户${uniq()}`, industry: '制造', region: `${TAG.W}区` }),
    plainCompany: async () => fresh.company(false),
    contact: async () => {
      const co = await fresh.company();
      const ct = expectOk(await w.owner.post(`/api/v1/companies/${co.id}/contacts`, { name: `联系人${TAG.V}${uniq()}` }), 201);
      return { co, ct };
    },
    visit: async () => {
      const co = await fresh.company();
      const v = expectOk(await w.owner.post('/api/v1/visits', { company_id: co.id, kind: 'call', notes: `${TAG.W}` }), 201);
      return { co, v };
    },
    team: async () => createTeam(w.org.admin, { name: `${TAG.O} 临时${uniq()}`, parent_id: w.teamA }),
    user: async () => createUser(w.org.admin, { username: `${TAG.O}_u${uniq()}`, role: 'rep', team_id: w.teamA }),
    // a public-pool company (visible to the whole organisation: tagged O)
    poolCompany: async () => createCompany(w.org.admin, { name: `公海${TAG.O}${uniq()}`, industry: '制造', owner_id: null }),
    // a bearer token of rep A1 (the list shows its id and name, never the secret)
    token: async () => expectOk(await w.owner.post('/api/v1/tokens', { name: `t${uniq()}` }), 201),
    channel: async (events = null) => expectOk(await w.org.admin.post('/api/v1/channels', { kind: 'webhook',
      url: 'https://hooks.invalid/matrix', secret: `mx-${uniq()}`, active: false, events }), 201),
    booking: async () => {
      const co = await fresh.company();
      return expectOk(await w.org.mgrA.post('/api/v1/bookings', { rep_id: w.owner.id, company_id: co.id,
        at: `${shanghaiDate(3)}T15:00`, stage: 3, note: `${TAG.W} 预约` }), 201);
    },
  };

  // ---- the table: "METHOD /pattern" -> [{label, prep, req, expect, shows, echoes}] ----
  // req(prep) -> {method?, path, body?, raw?, headers?}; shows: marker group(s) an
  // allowed (2xx) role must see, as a group name (every role of the group) or
  // {role: group}; echoes: markers the request itself carries (not checked).
  const get = (path, expect, extra = {}) => ({ req: () => ({ path: typeof path === 'function' ? path() : path }), expect, ...extra });
  const TABLE = {
    'POST /api/v1/session': [{
      label: "someone else's (deactivated) account",
      req: () => ({ body: { username: w.goneName, password: PASSWORD } }),
      expect: Object.fromEntries(ROLES.map((r) => [r, [401, 429]])),
      echoes: ['O'],
    }],
    'DELETE /api/v1/session': [{ label: 'log out (a fresh session of the role)', freshLogin: true, req: () => ({}), expect: ALL(204) }],
    'POST /api/v1/tokens': [{ req: () => ({ body: { name: 'matrix' } }), expect: ALL(201) }],
    'GET /api/v1/me': [get('/api/v1/me', ALL(200))],
    // No credentials at all: 204, "no session" (the login page's first question); bad ones: 401.
    'GET /api/v1/session': [get('/api/v1/session', { ...ALL(200), anonymous: 204 })],
    // issue 17, point 8: own password change (a wrong current password: refused for everyone,
    // so the roles keep their sessions), the token list (own; the admin's: all) and revocation
    'POST /api/v1/me/password': [{ label: 'with a wrong current password',
      req: () => ({ body: { current_password: 'not-the-password', new_password: 'Matrix-new-pw-1' } }), expect: ALL(403),
      recordLevel: true }],  // 403 wrong_password: the refusal is the password's, not the role's
    'GET /api/v1/tokens': [get('/api/v1/tokens', ALL(200)),
      get(() => `/api/v1/tokens?user_id=${w.owner.id}`, E(404, 404, 404, 404, 404, 404, 200, 200))],
    'DELETE /api/v1/tokens/{id}': [{ label: "rep A1's token", prep: fresh.token,
      req: (t) => ({ path: `/api/v1/tokens/${t.id}` }), expect: E(404, 404, 404, 404, 404, 404, 204, 404) }],
    'GET /api/v1/teams': [get('/api/v1/teams', ALL(200), { shows: 'O' })],
    'POST /api/v1/teams': [{ label: 'under team A', req: () => ({ body: { name: `${TAG.O} 新组${uniq()}`, parent_id: w.teamA } }),
      expect: E(403, 403, 403, 403, 201, 400, 201, 400), echoes: ['O'] }],
    'PATCH /api/v1/teams/{id}': [{ label: 'a team under team A', prep: fresh.team,
      req: (t) => ({ path: `/api/v1/teams/${t.id}`, body: { name: `${TAG.O} 改名${uniq()}` } }),
      expect: E(403, 403, 403, 403, 200, 404, 200, 404), echoes: ['O'] }],
    'GET /api/v1/users': [get('/api/v1/users', ALL(200), { shows: 'O' }),
      get(() => `/api/v1/users?team_id=${w.teamA}`, ALL(200))],
    'POST /api/v1/users': [{ label: 'a rep in team A',
      req: () => ({ body: { username: `${TAG.O}_n${uniq()}`, password: PASSWORD, role: 'rep', team_id: w.teamA } }),
      expect: E(403, 403, 201, 400, 201, 400, 201, 400), echoes: ['O'] }],
    'GET /api/v1/users/{id}': [get(() => `/api/v1/users/${w.owner.id}`, VGROUP(200), { shows: 'O' })],
    'PATCH /api/v1/users/{id}': [{ label: 'a rep of team A', prep: fresh.user,
      req: (u) => ({ path: `/api/v1/users/${u.id}`, body: { display_name: '改名' } }), expect: VGROUP(200) }],
    'GET /api/v1/companies': [
      get('/api/v1/companies?limit=200', ALL(200), { shows: 'V' }),
      get(() => `/api/v1/companies?q=${TAG.V}`, ALL(200), { shows: 'V', echoes: ['V'] }),
      get(() => `/api/v1/companies?q=${encodeURIComponent('琥珀')}`, ALL(200), { shows: 'V' }),
      get(() => `/api/v1/companies?q=${encodeURIComponent('欧阳')}`, ALL(200), { shows: 'V' }),
      get(() => `/api/v1/companies?owner_id=${w.owner.id}&limit=200`, ALL(200), { shows: 'V' }),
      get(() => `/api/v1/companies?industry=${encodeURIComponent(w.ind)}`, ALL(200), { shows: 'V' }),
      get('/api/v1/companies?status=contacted&sort=-visit_count&limit=200', ALL(200), { shows: 'V' }),
      get('/api/v1/companies?owner_id=pool', ALL(200)),
    ],
    'POST /api/v1/companies': [{ label: 'owned by rep A1', req: () => ({ body: { name: `转让${uniq()}`, owner_id: w.owner.id } }),
      expect: E(400, 400, 201, 400, 201, 400, 201, 400) }],
    'GET /api/v1/companies/{id}': [get(() => `/api/v1/companies/${w.V.id}`, VGROUP(200), { shows: 'V' })],
    'PATCH /api/v1/companies/{id}': [{ prep: fresh.company,
      req: (co) => ({ path: `/api/v1/companies/${co.id}`, body: { version: co.version, region: '改' } }), expect: VGROUP(200) },
      { label: 'rename a pool company', prep: fresh.poolCompany,
        req: (co) => ({ path: `/api/v1/companies/${co.id}`, body: { version: co.version, name: `改名${uniq()}` } }),
        expect: E(409, 409, 403, 403, 403, 403, 200, 404) },
      { label: 'assign a pool company to rep A1', prep: fresh.poolCompany,
        req: (co) => ({ path: `/api/v1/companies/${co.id}`, body: { version: co.version, owner_id: w.owner.id } }),
        expect: E(400, 400, 403, 403, 403, 403, 200, 404) }],
    'DELETE /api/v1/companies/{id}': [{ prep: fresh.company, req: (co) => ({ path: `/api/v1/companies/${co.id}` }), expect: VGROUP(204) },
      // issue 17, point 7: the pool is shared to claim, not to edit (no director here covers the whole organisation)
      { label: 'a pool company', prep: fresh.poolCompany, req: (co) => ({ path: `/api/v1/companies/${co.id}` }),
        expect: E(404, 404, 403, 403, 403, 403, 204, 404) }],
    'POST /api/v1/companies/{id}/claim': [{ label: 'owned, not in the pool', prep: fresh.company,
      req: (co) => ({ path: `/api/v1/companies/${co.id}/claim`, body: {} }), expect: VGROUP(409) }],
    // 撞单: only the owner's display name (an O marker) reaches those who may not read the company
    'GET /api/v1/companies/check': [get(() => `/api/v1/companies/check?name=${encodeURIComponent(w.V.name)}`, ALL(200),
      { shows: 'V' })],
    'GET /api/v1/companies/duplicates': [get('/api/v1/companies/duplicates', E(403, 403, 403, 403, 403, 403, 200, 200))],
    'POST /api/v1/companies/{id}/merge': [{ label: "two of rep A1's companies",
      prep: async () => ({ a: await fresh.company(), b: await fresh.company() }),
      req: ({ a, b }) => ({ path: `/api/v1/companies/${a.id}/merge`, body: { from_id: b.id } }),
      expect: E(403, 403, 403, 403, 403, 403, 200, 404) }],
    'GET /api/v1/companies/{id}/contacts': [get(() => `/api/v1/companies/${w.V.id}/contacts`, VGROUP(200), { shows: 'V' })],
    'POST /api/v1/companies/{id}/contacts': [{ prep: fresh.company,
      req: (co) => ({ path: `/api/v1/companies/${co.id}/contacts`, body: { name: '新联系人' } }), expect: VGROUP(201) }],
    'PATCH /api/v1/contacts/{id}': [{ prep: fresh.contact,
      req: ({ ct }) => ({ path: `/api/v1/contacts/${ct.id}`, body: { title: '新职务' } }), expect: VGROUP(200) }],
    'GET /api/v1/companies/{id}/visits': [get(() => `/api/v1/companies/${w.V.id}/visits`, VGROUP(200), { shows: 'W' })],
    'POST /api/v1/visits': [{ prep: fresh.company, req: (co) => ({ body: { company_id: co.id, kind: 'call' } }), expect: VGROUP(201) },
      // Idempotency-Key (issue 15 part 5): the very request rep A1 sent, with A1's key, is never
      // a replay of A1's answer for anyone else: refused as usual (nothing stored, no key row), or
      // the role's own new visit.
      { label: "rep A1's Idempotency-Key",
        prep: async () => {
          const co = await fresh.company();
          const key = `mx-${uniq()}-${RUN}`;
          const body = { company_id: co.id, kind: 'call', notes: `${TAG.W} idem` };
          const first = expectOk(await w.owner.post('/api/v1/visits', body, { headers: { 'idempotency-key': key } }), 201);
          return { key, body, first };
        },
        req: (p) => ({ body: p.body, headers: { 'idempotency-key': p.key } }),
        echoes: ['W'],
        check: (role, res) => {
          assert.equal(res.headers.get('idempotent-replayed'), null, `${role} got a replay of rep A1's answer`);
          if (res.status === 201) assert.equal(res.body.rep_id, w.c[role].id, `${role}'s own visit`);
        },
        expect: VGROUP(201) }],
    'DELETE /api/v1/visits/{id}': [{ prep: fresh.visit, req: ({ v }) => ({ path: `/api/v1/visits/${v.id}` }), expect: VGROUP(204) }],
    'GET /api/v1/companies/{id}/deals': [get(() => `/api/v1/companies/${w.R.id}/deals`, VGROUP(200), { shows: 'W' })],
    'POST /api/v1/deals': [{ prep: fresh.plainCompany, req: (co) => ({ body: { company_id: co.id, amount: 100 } }), expect: VGROUP(201) }],
    'GET /api/v1/targets': [get('/api/v1/targets', ALL(200), { shows: { rep: 'T', manager: 'W', director: 'W', admin: 'W' } })],
    'GET /api/v1/targets/progress': [get('/api/v1/targets/progress', ALL(200)),
      get(() => `/api/v1/targets/progress?team_id=${w.teamA}`, TEAM_A(200))],
    'PUT /api/v1/targets': [{ label: "rep A1's target",
      req: () => ({ body: { scope: 'rep', scope_id: w.owner.id, metric: 'signed_amount', period: 'month', value: 1000, reason: 'matrix' } }),
      expect: MANAGERS_A(200) }],
    'GET /api/v1/settings': [get('/api/v1/settings', ALL(200))],
    'PATCH /api/v1/settings': [{ req: () => ({ body: { nurture_cap: 5 } }), expect: E(403, 403, 403, 403, 403, 403, 200, R(200)) }],
    'GET /api/v1/plans/{date}': [get(() => `/api/v1/plans/${TODAY}?rep_id=${w.owner.id}`, VGROUP(200), { shows: 'T' })],
    'PUT /api/v1/plans/{date}': [{ label: "naming rep A1's company",
      req: () => ({ path: `/api/v1/plans/${TODAY}`, body: { goal: 'matrix', company_ids: [w.V.id] } }),
      expect: E(400, 400, 200, 400, 200, 400, 200, 400) }],
    'GET /api/v1/reviews/{date}': [get(() => `/api/v1/reviews/${TODAY}?rep_id=${w.owner.id}`, VGROUP(200), { shows: 'T' })],
    'PUT /api/v1/reviews/{date}': [{ label: 'own review', req: () => ({ path: `/api/v1/reviews/${TODAY}`, body: { problems: 'matrix' } }),
      expect: ALL(200) }],
    'GET /api/v1/metrics/reps': [get('/api/v1/metrics/reps', ALL(200)),
      get(() => `/api/v1/metrics/reps?team_id=${w.teamA}`, TEAM_A(200))],
    'GET /api/v1/audit': [get('/api/v1/audit?limit=500', ALL(200), { shows: { admin: 'V' } }),
      get(() => `/api/v1/audit?entity=company&entity_id=${w.V.id}`, ALL(200), { shows: { admin: 'W' } })],
    'GET /api/v1/alerts': [get('/api/v1/alerts', ALL(200), { shows: 'V' }),
      get(() => `/api/v1/alerts?rep_id=${w.owner.id}`, VGROUP(200), { shows: 'V' })],
    'GET /api/v1/prospects': [get('/api/v1/prospects', ALL(200)),
      get(() => `/api/v1/prospects?rep_id=${w.owner.id}`, VGROUP(200), { shows: 'V' }),
      get(() => `/api/v1/prospects?rep_id=${w.owner.id}&competitor=true&max_rank_distance=1`, VGROUP(200))],
    // issue 15: the page views. Today is a rep's page: a manager naming nobody is not a rep (404).
    'GET /api/v1/views/today': [get('/api/v1/views/today', E(200, 200, 404, 404, 404, 404, 404, 404)),
      get(() => `/api/v1/views/today?rep_id=${w.owner.id}`, VGROUP(200))],
    'GET /api/v1/views/company/{id}': [get(() => `/api/v1/views/company/${w.V.id}`, VGROUP(200), { shows: 'W' })],
    'GET /api/v1/diagnosis': [get('/api/v1/diagnosis', E(403, 403, 200, 200, 200, 200, 200, 200)),
      get(() => `/api/v1/diagnosis?team_id=${w.teamA}`, MANAGERS_A(200))],
    'GET /api/v1/leaderboard': [get('/api/v1/leaderboard', ALL(200)),
      get(() => `/api/v1/leaderboard?team_id=${w.teamA}`, TEAM_A(200))],
    'GET /api/v1/coaching': [get('/api/v1/coaching', ALL(200)),
      get(() => `/api/v1/coaching?rep_id=${w.owner.id}`, VGROUP(200))],
    'GET /api/v1/rhythm': [get('/api/v1/rhythm', ALL(200), { shows: 'T' }),
      get(() => `/api/v1/rhythm?team_id=${w.teamA}`, TEAM_A(200), { shows: 'T' })],
    'GET /api/v1/views/team': [get('/api/v1/views/team', E(403, 403, 200, 200, 200, 200, 200, 200),
      { shows: { manager: 'T', director: 'T', admin: 'T' } }),
      get(() => `/api/v1/views/team?team_id=${w.teamA}`, MANAGERS_A(200), { shows: 'T' })],
    'GET /api/v1/feed': [get('/api/v1/feed', ALL(200), { shows: 'T' }),
      get(() => `/api/v1/feed?team_id=${w.teamA}`, TEAM_A(200), { shows: 'T' })],
    'POST /api/v1/feed/{kind}/{id}/comments': [{ label: "on rep A1's review",
      req: () => ({ path: `/api/v1/feed/review/${w.review.id}/comments`, body: { body: '赞' } }), expect: TEAM_A(201) }],
    'POST /api/v1/feed/{kind}/{id}/like': [{ label: "rep A1's review",
      req: () => ({ path: `/api/v1/feed/review/${w.review.id}/like`, body: {} }), expect: TEAM_A(200) }],
    'GET /api/v1/insights/discovery': [get('/api/v1/insights/discovery', ALL(200), { shows: 'W' }),
      get(() => `/api/v1/insights/discovery?team_id=${w.teamA}`, VGROUP(200), { shows: 'W' })],
    'GET /api/v1/insights/conversion': [get('/api/v1/insights/conversion', ALL(200)),
      get(() => `/api/v1/insights/conversion?team_id=${w.teamA}`, VGROUP(200))],
    'GET /api/v1/companies/{id}/fit': [get(() => `/api/v1/companies/${w.V.id}/fit`, VGROUP(200))],
    'GET /api/v1/values': [get('/api/v1/values', ALL(200)),
      get(() => `/api/v1/values?user_id=${w.owner.id}`, VGROUP(200), { shows: 'W' })],
    'POST /api/v1/values': [{ label: 'for rep A1', req: () => ({ body: { user_id: w.owner.id, period: '2026-12', customer_first: 3,
      teamwork: 3, embrace_change: 3, integrity: 3, passion: 3, dedication: 3 } }), expect: MANAGERS_A(201) }],
    'GET /api/v1/training': [get('/api/v1/training', ALL(200), { shows: 'W' }),
      get(() => `/api/v1/training?user_id=${w.owner.id}`, VGROUP(200), { shows: 'W' }),
      get(() => `/api/v1/training?team_id=${w.teamA}`, VGROUP(200), { shows: 'W' })],
    'POST /api/v1/training': [{ label: 'for rep A1', req: () => ({ body: { user_id: w.owner.id, kind: 'skills', title: 'matrix' } }),
      expect: MANAGERS_A(201) }],
    'GET /api/v1/talent': [get('/api/v1/talent', E(403, 403, 200, 200, 200, 200, 200, 200)),
      get(() => `/api/v1/talent?team_id=${w.teamA}`, MANAGERS_A(200))],
    'GET /api/v1/bookings': [get('/api/v1/bookings', ALL(200), { shows: 'W' }),
      get(() => `/api/v1/bookings?rep_id=${w.owner.id}&status=all`, VGROUP(200), { shows: 'W' })],
    'GET /api/v1/bookings/{id}': [get(() => `/api/v1/bookings/${w.booking.id}`, VGROUP(200), { shows: 'W' })],
    'POST /api/v1/bookings': [{ label: "for rep A1 at their company", prep: fresh.company,
      req: (co) => ({ body: { rep_id: w.owner.id, company_id: co.id, at: `${shanghaiDate(2)}T11:00`, stage: 2, note: 'matrix' } }),
      expect: E(403, 403, 201, 400, 201, 400, 201, 400) }],
    'PATCH /api/v1/bookings/{id}': [{ label: "rep A1's booking", prep: fresh.booking,
      req: (b) => ({ path: `/api/v1/bookings/${b.id}`, body: { note: 'matrix', stage: 4 } }), expect: VGROUP(200) }],
    'DELETE /api/v1/bookings/{id}': [{ label: "rep A1's booking", prep: fresh.booking,
      req: (b) => ({ path: `/api/v1/bookings/${b.id}` }), expect: VGROUP(204) }],
    'POST /api/v1/imports': [{ label: "a CSV row naming rep A1's company", prep: fresh.plainCompany,
      req: (co) => ({ raw: `公司名称,地区\n${co.name},改过的地区\n`, headers: { 'content-type': 'text/csv' } }),
      // others' imports are answered 200 with the row rejected (or, in another
      // organisation, a company of their own is created): nothing of org 1 changes
      expect: E(R(200), R(200), 200, R(200), 200, R(200), 200, R(200)),
      check: (role, res) => {
        if (res.status !== 200 || !['rep', 'rep_other_team', 'manager_other', 'director_other'].includes(role)) return;
        assert.ok(!/"updated":\s*[1-9]/.test(res.text), `nothing updated: ${res.text.slice(0, 300)}`);
      } }],
    // the progress board is per user: nobody but the importer (rep A1) finds the id, not even the admin
    'GET /api/v1/imports/progress': [{ label: "rep A1's import", prep: async () => {
      const id = `mx${uniq()}`;
      expectOk(await w.owner.req('POST', `/api/v1/imports?progress_id=${id}`, undefined, {
        raw: `公司名称,地区\n进度${uniq()},${TAG.W}区\n`, headers: { 'content-type': 'text/csv' } }));
      const mine = expectOk(await w.owner.get(`/api/v1/imports/progress?id=${id}`));
      assert.ok(mine && typeof mine === 'object', 'the importer follows their import');
      return id;
    }, req: (id) => ({ path: `/api/v1/imports/progress?id=${id}` }), expect: ALL(404) }],
    'GET /api/v1/exports/{kind}': [
      get('/api/v1/exports/companies?format=csv', ALL(200), { shows: 'V' }),
      get('/api/v1/exports/contacts?format=csv', ALL(200), { shows: 'V' }),
      get('/api/v1/exports/visits?format=csv', ALL(200), { shows: 'W' }),
      get('/api/v1/exports/deals?format=csv', ALL(200), { shows: 'W' }),
      get(() => `/api/v1/exports/companies?format=csv&owner_id=${w.owner.id}`, ALL(200), { shows: 'V' }),
      get(() => `/api/v1/exports/companies?format=csv&q=${TAG.V}`, ALL(200), { shows: 'V', echoes: ['V'] }),
    ],
    // notifications (issue 14): a user's own bell; channels and deliveries are the admin's; nudges the managers'
    'GET /api/v1/notifications': [get('/api/v1/notifications', ALL(200))],
    'POST /api/v1/notifications/read': [{ label: "rep A1's notifications", prep: async () => {
      const mine = expectOk(await w.owner.get('/api/v1/notifications'));
      assert.ok(mine.items.length > 0, 'rep A1 was told of the booking');
      return mine.items.map((n) => n.id);
    }, req: (ids) => ({ body: { ids } }), expect: E(R(204), R(204), R(204), R(204), R(204), R(204), R(204), R(204)) }],
    'GET /api/v1/channels': [get('/api/v1/channels', E(403, 403, 403, 403, 403, 403, 200, 200))],
    'POST /api/v1/channels': [{ label: 'a paused webhook for team A',
      req: () => ({ body: { kind: 'webhook', url: 'https://hooks.invalid/matrix', secret: `mx-${uniq()}`, team_id: w.teamA, active: false } }),
      expect: E(403, 403, 403, 403, 403, 403, 201, 400) }],
    'PATCH /api/v1/channels/{id}': [{ label: 'a channel of the organisation', prep: fresh.channel,
      req: (ch) => ({ path: `/api/v1/channels/${ch.id}`, body: { name: `改${uniq()}` } }), expect: E(403, 403, 403, 403, 403, 403, 200, 404) }],
    'DELETE /api/v1/channels/{id}': [{ label: 'a channel of the organisation', prep: fresh.channel,
      req: (ch) => ({ path: `/api/v1/channels/${ch.id}` }), expect: E(403, 403, 403, 403, 403, 403, 204, 404) }],
    'GET /api/v1/deliveries': [get('/api/v1/deliveries', E(403, 403, 403, 403, 403, 403, 200, 200))],
    // (paused channels: their deliveries wait untouched, so the worker changes no row during the matrix)
    'POST /api/v1/deliveries/{id}/retry': [{ label: 'a pending delivery of a paused channel', prep: async () => {
      const ch = await fresh.channel(['booking']);
      await fresh.booking();
      const ds = expectOk(await w.org.admin.get(`/api/v1/deliveries?channel_id=${ch.id}`));
      assert.ok(ds.items.length > 0, 'the booking made a delivery');
      return ds.items[0];
    }, req: (d) => ({ path: `/api/v1/deliveries/${d.id}/retry`, body: {} }), expect: E(403, 403, 403, 403, 403, 403, 200, 404) }],
    'POST /api/v1/alerts/nudge': [{ label: 'rep A1 about their company',
      req: () => ({ body: { rep_id: w.owner.id, kind: 'find_payer', company_id: w.V.id } }), expect: MANAGERS_A(200) }],
  };

  // ---- completeness: every documented route has an entry, and every entry every role ----
  test('every route of the API (as documented in /api/v1/openapi.json) has a matrix entry', async () => {
    const ops = await openapiOps(ctx.srv);
    assert.ok(ops.length >= 40, `only ${ops.length} documented operations`);
    const missing = ops.filter((op) => !TABLE[op]);
    assert.deepEqual(missing, [], 'routes without a matrix entry: add them to TABLE in tests/security/matrix.test.mjs');
  });

  // A route declared for every user (min role rep) whose every entry refuses every rep with 403
  // has its minimum role set too low (unless the entry's refusal is the record's: recordLevel);
  // and a route declared above rep must answer its minimum role (or one above) something other
  // than 403 somewhere, else it is set too high.
  test('the declared minimum roles agree with the matrix', () => {
    const statusesOf = (raw) => {
      const exp = typeof raw === 'object' && !Array.isArray(raw) ? raw : { status: raw };
      return Array.isArray(exp.status) ? exp.status : [exp.status];
    };
    const problems = [];
    for (const [route, entries] of Object.entries(TABLE)) {
      const min = w.minRoles[route];
      if (min === undefined) continue;  // reported by the completeness test
      if (min === null) continue;       // public
      const ranked = Object.keys(ROLE_RANK).filter((r) => ROLE_RANK[r] >= RANK[min]);
      const through = entries.some((e) => e.recordLevel || ranked.some((r) => statusesOf(e.expect[r]).some((st) => st !== 403)));
      if (!through) problems.push(`${route}: every role at or above ${min} is refused 403`);
      if (min === 'rep' && !entries.some((e) => e.recordLevel)) {
        const reps = ['rep', 'rep_other_team'];
        const refused = entries.every((e) => reps.every((r) => statusesOf(e.expect[r]).every((st) => st === 403)));
        if (refused) problems.push(`${route}: declared open to reps, but every rep is refused 403`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('every matrix entry names an expectation for every role', () => {
    for (const [route, entries] of Object.entries(TABLE)) {
      for (const e of entries) for (const r of ROLES) assert.ok(e.expect[r] !== undefined, `${route}: no expectation for ${r}`);
    }
  });

  // ---- the matrix ----
  const groupsOf = (role) => Object.keys(GROUP).filter((g) => GROUP[g].includes(role));
  for (const [route, entries] of Object.entries(TABLE)) {
    const [method, pattern] = route.split(' ');
    entries.forEach((entry, i) => {
      for (const role of ROLES) {
        const raw = entry.expect[role];
        const exp = typeof raw === 'object' && !Array.isArray(raw) ? raw : { status: raw, refused: false };
        const statuses = Array.isArray(exp.status) ? exp.status : [exp.status];
        const refused = exp.refused || statuses.every((s) => s >= 400);
        const label = entry.label || '';
        const name = `${route}${label ? ` (${label})` : ''}${entries.length > 1 && method === 'GET' ? ` #${i + 1}` : ''} as ${role} -> ` +
          `${statuses.join('|')}${exp.refused ? ' (refused)' : ''}`;
        test(name, async () => {
          const srv = ctx.srv;
          let client = w.c[role];
          if (entry.freshLogin && !['anonymous', 'deactivated', 'deactivated_token'].includes(role)) {
            client = await srv.login(client.user.username);
          }
          const prepped = entry.prep ? await entry.prep() : undefined;
          const spec = entry.req(prepped);
          const p = spec.path || pattern;
          const write = method !== 'GET';
          const before = write && refused ? dbDigest(srv, w.org1) : null;
          const opts = {};
          if (spec.headers) opts.headers = spec.headers;
          if (spec.raw !== undefined) opts.raw = spec.raw;
          const res = await client.req(method, p, spec.body, opts);
          const ctxMsg = `${method} ${p} as ${role}: ${res.status} ${res.text.slice(0, 300)}`;
          assert.ok(res.status < 500, `5xx! ${ctxMsg}`);
          assert.ok(statuses.includes(res.status), `expected ${statuses.join('|')}: ${ctxMsg}`);
          // below the route's declared minimum role: the route table's refusal
          const min = w.minRoles[route];
          if (min && ROLE_RANK[role] !== undefined && ROLE_RANK[role] < RANK[min]) {
            assert.equal(res.status, 403, `below the declared minimum role ${min}: ${ctxMsg}`);
            assert.equal(res.body?.error?.code, 'forbidden', `below the declared minimum role ${min}: ${ctxMsg}`);
          }
          if (res.status >= 400) expectErrorShape(res, ctxMsg);
          // no data the role may not see, whatever the status
          const mine = groupsOf(role);
          for (const g of Object.keys(TAG)) {
            if (mine.includes(g) || (entry.echoes || []).includes(g)) continue;
            assert.ok(!res.text.includes(TAG[g]), `${role} got data of visibility group ${g} (${TAG[g]}): ${ctxMsg}`);
          }
          // allowed reads show the records (the matrix is not vacuous)
          if (res.status < 300 && entry.shows) {
            const g = typeof entry.shows === 'string' ? (GROUP[entry.shows].includes(role) ? entry.shows : null) : entry.shows[role];
            if (g) assert.ok(res.text.includes(TAG[g]), `${role} should see group ${g} here: ${ctxMsg}`);
          }
          if (entry.check) entry.check(role, res);
          if (before) assertSameDigest(before, dbDigest(srv, w.org1), `refused ${method} ${p} as ${role}`);
        });
      }
    });
  }

  // ---- the victims are intact after the whole matrix ----
  test('rep A1\'s company, contact, visits and deal are intact after the matrix', async () => {
    const A1 = w.owner;
    const v = expectOk(await A1.get(`/api/v1/companies/${w.V.id}`));
    assert.equal(v.name, w.V.name);
    assert.equal(v.version, w.V.version + 3, 'only the three visits of the set-up changed it');
    assert.equal(v.visit_count, 3);
    assert.equal(v.contacts.length, 1);
    const d = expectOk(await A1.get(`/api/v1/companies/${w.R.id}/deals`));
    assert.equal(d.items.length, 1);
  });

  secretsTest(test, ctx);
  no5xxTest(test, ctx);
});
