// The audit log over HTTP: every change writes who, when, old and new; a
// change that is refused or rolled back writes nothing (the transaction-level
// proof, with a commit that fails after the audit row was written, is in
// tests/app/security_test.cpp); reps and managers read only their own entries;
// no route can alter or delete an entry, and the database refuses it too.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { useServer, no5xxTest, expectStatus, buildOrg, createCompany, shanghaiDate, PASSWORD } from '../api/harness.mjs';
import { RUN, watchSecrets, secretsTest, openapiOps, dbDigest, assertSameDigest } from './lib.mjs';

describe('audit', () => {
  const ctx = useServer({ before, after }, { org: `Audit ${RUN}`, admin: `au${RUN}_admin` });
  let org, admin, mgr, rep, rep2, orgId;

  before(async () => {
    watchSecrets(ctx.srv);
    org = await buildOrg(ctx.srv, { prefix: `au${RUN}`, director: false, repsA: 2, repsB: 0 });
    ({ admin, mgrA: mgr } = org);
    [rep, rep2] = org.repsA;
    orgId = (await admin.get('/api/v1/me')).body.org.id;
  });

  const latest = async (entity, id) => {
    const r = expectStatus(await admin.get(`/api/v1/audit?entity=${entity}${id ? `&entity_id=${id}` : ''}&limit=5`), 200);
    return r.items[0];
  };
  const count = async () => expectStatus(await admin.get('/api/v1/audit?limit=500'), 200).items.length;
  const near = (iso) => Math.abs(Date.parse(iso) - Date.now()) < 120000;

  test('every change records who, when, the old and the new state', async () => {
    const c = await createCompany(rep, { name: `审计客户${RUN}`, region: '北京' });
    let e = await latest('company', c.id);
    assert.deepEqual([e.action, e.user_id, e.old, e.new.name], ['create', rep.id, null, c.name]);
    assert.ok(near(e.at), `when: ${e.at}`);

    const p = expectStatus(await mgr.patch(`/api/v1/companies/${c.id}`, { version: c.version, region: '上海' }), 200);
    e = await latest('company', c.id);
    assert.deepEqual([e.action, e.user_id, e.old.region, e.new.region, e.new.version], ['update', mgr.id, '北京', '上海', p.version]);

    const v = expectStatus(await rep.post('/api/v1/visits', { company_id: c.id, need: true, notes: '审计拜访' }), 201);
    e = await latest('visit', v.id);
    assert.deepEqual([e.action, e.user_id, e.new.notes], ['create', rep.id, '审计拜访']);
    e = await latest('company', c.id);
    assert.deepEqual([e.action, e.old.need, e.new.need, e.old.visit_count, e.new.visit_count], ['visit', false, true, 0, 1]);

    const d = expectStatus(await rep.post('/api/v1/deals', { company_id: c.id, amount: 880000 }), 201);
    e = await latest('deal', d.id);
    assert.deepEqual([e.action, e.user_id, e.new.amount], ['create', rep.id, 880000]);
    e = await latest('company', c.id);
    assert.deepEqual([e.action, e.old.status, e.new.status], ['sign', 'contacted', 'signed']);

    const t1 = expectStatus(await mgr.put('/api/v1/targets', { scope: 'rep', scope_id: rep.id, metric: 'visits_new', period: 'day', value: 4, reason: '起步' }), 200);
    expectStatus(await mgr.put('/api/v1/targets', { scope: 'rep', scope_id: rep.id, metric: 'visits_new', period: 'day', value: 3, reason: '取中间值' }), 200);
    e = await latest('target', t1.id);
    assert.deepEqual([e.action, e.user_id, e.old.value, e.new.value, e.new.reason], ['update', mgr.id, 4, 3, '取中间值']);

    expectStatus(await admin.patch('/api/v1/settings', { nurture_cap: 4 }), 200);
    e = await latest('settings');
    assert.deepEqual([e.action, e.user_id, e.old.nurture_cap, e.new.nurture_cap], ['update', admin.id, 5, 4]);

    expectStatus(await admin.patch(`/api/v1/users/${rep2.id}`, { selling_style: '分析型' }), 200);
    e = await latest('user', rep2.id);
    assert.deepEqual([e.action, e.user_id, e.new.selling_style], ['update', admin.id, 'analytical']);  // SPEC §3: one style vocabulary (分析型 is stored as its key)

    const x = await createCompany(rep, { name: `将删除${RUN}` });
    expectStatus(await rep.del(`/api/v1/companies/${x.id}`), 204);
    e = await latest('company', x.id);
    assert.deepEqual([e.action, e.user_id, e.old.name, e.new], ['delete', rep.id, x.name, null]);

    expectStatus(await rep.put(`/api/v1/plans/${shanghaiDate(0)}`, { goal: '五家' }), 200);
    expectStatus(await rep.put(`/api/v1/plans/${shanghaiDate(0)}`, { goal: '六家' }), 200);
    e = await latest('plan', rep.id);
    assert.deepEqual([e.action, e.old.goal, e.new.goal], ['update', '五家', '六家']);

    const imp = await admin.req('POST', '/api/v1/imports', undefined, { raw: `公司名称,地区\n导入审计${RUN},杭州\n`, headers: { 'content-type': 'text/csv' } });
    expectStatus(imp, 200);
    const id = expectStatus(await admin.get(`/api/v1/companies?q=${encodeURIComponent(`导入审计${RUN}`)}`), 200).items[0].id;
    // an imported company is audited one row per company, or (bulk imports) by one
    // "import_file" row naming the file and the ids it created
    e = await latest('company', id);
    if (e) {
      assert.deepEqual([e.action, e.user_id, e.new.region], ['import', admin.id, '杭州']);
    } else {
      const all = expectStatus(await admin.get('/api/v1/audit?entity=company&limit=20'), 200).items;
      const f = all.find((x) => x.action === 'import_file');
      assert.ok(f, `no audit row for the imported company ${id}: ${JSON.stringify(all).slice(0, 300)}`);
      assert.equal(f.user_id, admin.id);
      assert.ok(near(f.at));
      const covers = (f.new.created_company_ids || []).some((r) => {
        const [lo, hi = lo] = String(r).split('-').map(Number);
        return id >= lo && id <= hi;
      });
      assert.ok(covers, `the import_file row lists the created company ${id}: ${JSON.stringify(f.new)}`);
    }
  });

  test('refused and rolled-back changes leave no audit row (409 stale, 409 cap, 403, 404, 400, import rolled back)', async () => {
    const srv = ctx.srv;
    const c = await createCompany(rep, { name: `回滚${RUN}` });
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: c.version, region: 'A' }), 200);
    expectStatus(await admin.patch('/api/v1/settings', { nurture_cap: 0 }), 200);
    const before = await count();
    const digest = dbDigest(srv, orgId);
    for (const [what, r, st] of [
      ['stale PATCH', await rep.patch(`/api/v1/companies/${c.id}`, { version: c.version, region: 'B' }), 409],
      ['nurture over the cap', await rep.patch(`/api/v1/companies/${c.id}`, { version: c.version + 1, status: 'nurture', nurture_reason: 'x', revisit_on: shanghaiDate(10) }), 409],
      ['a rep sets a target', await rep.put('/api/v1/targets', { scope: 'rep', scope_id: rep2.id, metric: 'visits_new', period: 'day', value: 9 }), 403],
      ['another rep\'s company', await rep2.patch(`/api/v1/companies/${c.id}`, { version: c.version + 1, region: 'C' }), 404],
      ['an unknown field', await rep.patch(`/api/v1/companies/${c.id}`, { version: c.version + 1, hacked: 1 }), 400],
      ['an all-or-nothing import with one bad row', await admin.req('POST', '/api/v1/imports', undefined, {
        raw: `公司名称,行业排名\n好行${RUN},3\n坏行${RUN},不是数字\n`, headers: { 'content-type': 'text/csv' } }), 200],
    ]) {
      expectStatus(r, st, what);
    }
    assert.equal(await count(), before, 'no new audit row');
    assertSameDigest(digest, dbDigest(srv, orgId), 'refused changes');
    expectStatus(await admin.patch('/api/v1/settings', { nurture_cap: 5 }), 200);
  });

  test('reps and managers read only their own audit entries; another organisation reads none', async () => {
    const c = await createCompany(rep, { name: `我的审计${RUN}` });
    expectStatus(await mgr.patch(`/api/v1/companies/${c.id}`, { version: c.version, region: '广州' }), 200);
    for (const [who, client] of [['rep', rep], ['rep2', rep2], ['manager', mgr]]) {
      const all = expectStatus(await client.get('/api/v1/audit?limit=500'), 200);
      for (const e of all.items) assert.equal(e.user_id, client.id, `${who} read another's entry: ${JSON.stringify(e).slice(0, 200)}`);
      const one = expectStatus(await client.get(`/api/v1/audit?entity=company&entity_id=${c.id}`), 200);
      for (const e of one.items) assert.equal(e.user_id, client.id);
    }
    const repView = expectStatus(await rep.get(`/api/v1/audit?entity=company&entity_id=${c.id}`), 200);
    assert.ok(!JSON.stringify(repView).includes('广州'), 'the rep does not see the manager\'s change in the audit log');
    const adminView = expectStatus(await admin.get(`/api/v1/audit?entity=company&entity_id=${c.id}`), 200);
    assert.ok(adminView.items.some((e) => e.user_id === mgr.id), 'the admin sees everyone\'s');
  });

  test('no route alters or deletes audit entries', async () => {
    const ops = await openapiOps(ctx.srv);
    const auditOps = ops.filter((op) => op.includes('audit'));
    assert.deepEqual(auditOps, ['GET /api/v1/audit'], 'the only audit route is the read');
    const id = (await latest('company')).id;
    const before = await count();
    for (const [m, p] of [['POST', '/api/v1/audit'], ['PUT', '/api/v1/audit'], ['PATCH', '/api/v1/audit'], ['DELETE', '/api/v1/audit'],
      ['GET', `/api/v1/audit/${id}`], ['PATCH', `/api/v1/audit/${id}`], ['DELETE', `/api/v1/audit/${id}`]]) {
      const r = await admin.req(m, p, m === 'GET' || m === 'DELETE' ? undefined : { action: 'forged' });
      assert.ok([404, 405].includes(r.status), `${m} ${p}: ${r.status}`);
    }
    assert.equal(await count(), before);
  });

  test('the database itself refuses to change or delete an audit row', () => {
    const url = ctx.srv.dbUrl;
    const tryIt = (sql) => {
      try {
        if (url.startsWith('sqlite:')) execFileSync('sqlite3', [url.slice(7), sql], { stdio: 'pipe' });
        else execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
        return 'allowed';
      } catch (e) {
        return String(e.stderr || e.message);
      }
    };
    for (const sql of ["UPDATE audit_log SET action = 'forged'", 'DELETE FROM audit_log']) {
      const out = tryIt(sql);
      assert.notEqual(out, 'allowed', `${sql} was allowed`);
      assert.match(out, /append-only|permission|denied|not allowed/i, out);
    }
  });

  secretsTest(test, ctx);
  no5xxTest(test, ctx);
});
