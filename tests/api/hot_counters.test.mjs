// Counters without a hot row: 64 connections logging visits for one rep at the same time
// all succeed (no 503 busy), and the rep's counters count every one of them. Before
// migration 0016 every visit's trigger upserted the rep's (org, rep, day) counter row, and
// on PostgreSQL (SERIALIZABLE) concurrent updates of one row failed after their retries.
// On SQLite (one writer) this passes trivially; it is the PostgreSQL run that proves it
// (TIEJUN_TEST_PG set).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, createUser, createTeam, createCompany, shanghaiDate } from './harness.mjs';

const CONNECTIONS = 64;
const ROUNDS = 8;

describe('hot counters', () => {
  const ctx = useServer({ before, after }, {
    org: 'Hot Counters Org', admin: 'hc_admin',
    // One worker (and one PostgreSQL connection) per client connection, so the 64 visits
    // of a round really run at the same time.
    args: ['--workers', String(CONNECTIONS)],
  });
  let admin, rep, repTok, companies;

  before(async () => {
    admin = await ctx.srv.login('hc_admin');
    const team = await createTeam(admin, { name: '热点一组' });
    await createUser(admin, { username: 'hc_rep', role: 'rep', team_id: team.id });
    rep = await ctx.srv.login('hc_rep');
    repTok = await ctx.srv.tokenFor(rep);
    companies = [];
    for (let i = 0; i < CONNECTIONS; i++) companies.push(await createCompany(rep, { name: `热点客户 ${i}` }));
    // A first visit each, so the concurrent ones below are repeat calls (the usual case).
    for (const c of companies) expectStatus(await rep.post('/api/v1/visits', { company_id: c.id, kind: 'call' }), 201);
  });

  test(`${CONNECTIONS} connections log ${CONNECTIONS * ROUNDS} visits for one rep: no 503, every visit counted`, async () => {
    const today = shanghaiDate(0);
    const before = expectStatus(await admin.get(`/api/v1/metrics/reps?from=${today}&to=${today}`), 200);
    const visitsBefore = before.items.find((x) => x.rep_id === rep.id)?.visits ?? 0;
    const statuses = {};
    await Promise.all(
      companies.map(async (c) => {
        for (let r = 0; r < ROUNDS; r++) {
          const res = await repTok.post('/api/v1/visits', { company_id: c.id, kind: 'call', duration_min: 10, notes: '并发回访' });
          statuses[res.status] = (statuses[res.status] || 0) + 1;
        }
      }),
    );
    assert.deepEqual(statuses, { 201: CONNECTIONS * ROUNDS }, 'every visit was accepted');
    const after = expectStatus(await admin.get(`/api/v1/metrics/reps?from=${today}&to=${today}`), 200);
    const m = after.items.find((x) => x.rep_id === rep.id);
    assert.equal(m.visits, visitsBefore + CONNECTIONS * ROUNDS, 'the counters count every visit');
  });

  test('the nightly job folds the deltas and the counters stay the same', async () => {
    const today = shanghaiDate(0);
    const q = `/api/v1/metrics/reps?from=${today}&to=${today}`;
    const before = expectStatus(await admin.get(q), 200);
    const { execFileSync } = await import('node:child_process');
    const { binPath } = await import('./harness.mjs');
    execFileSync(binPath(), ['jobs', 'run', '--db', ctx.srv.dbUrl], { stdio: 'pipe' });
    const after = expectStatus(await admin.get(q), 200);
    assert.deepEqual(after.items, before.items);
  });

  no5xxTest(test, ctx);
});
