// Companies: create/get/patch with versions, search, filters, sorting, cursor
// paging, nurture, drop and claim, illegal transitions, delete.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, no5xxTest, expectStatus, createUser, createTeam, createCompany, PASSWORD } from './harness.mjs';

const enc = encodeURIComponent;

describe('companies', () => {
  const ctx = useServer({ before, after }, { org: 'Companies Org', admin: 'co_admin' });
  let admin, rep, rep2, pager;

  before(async () => {
    const srv = ctx.srv;
    admin = await srv.login('co_admin');
    const team = await createTeam(admin, { name: '华东组' });
    for (const u of ['co_rep', 'co_rep2', 'co_pager'])
      await createUser(admin, { username: u, role: 'rep', team_id: team.id, password: PASSWORD });
    rep = await srv.login('co_rep');
    rep2 = await srv.login('co_rep2');
    // the pager works through a bearer token (no CSRF)
    pager = await srv.tokenFor(await srv.login('co_pager'));
  });

  const get = async (c, id) => expectStatus(await c.get(`/api/v1/companies/${id}`), 200);
  const list = async (c, query) => expectStatus(await c.get(`/api/v1/companies?${query}`), 200, query);

  // ---------- create / get / patch ----------

  test('create: 201 with id, status prospect, version 1, owner = the creating rep, all fields echoed', async () => {
    const body = {
      name: '杭州西湖数据科技有限公司', industry: '软件', industry_rank: 7, region: '浙江杭州',
      budget_capacity: 50000000, source: 'referral', competitor: '用友',
    };
    const r = await rep.post('/api/v1/companies', body);
    const c = expectStatus(r, 201);
    assert.ok(Number.isInteger(c.id) && c.id > 0);
    assert.equal(c.status, 'prospect');
    assert.equal(c.version, 1);
    assert.equal(c.owner_id, rep.id);
    assert.equal(c.is_new, true);
    assert.equal(c.effective, false);
    for (const [k, v] of Object.entries(body)) assert.deepEqual(c[k], v, k);
    const g = await get(rep, c.id);
    for (const [k, v] of Object.entries(body)) assert.deepEqual(g[k], v, k);
    assert.deepEqual(g.contacts, []);
    assert.equal(g.need, false);
    assert.equal(g.budget, false);
    assert.equal(g.payer_met, false);
  });

  const badCreates = [
    ['no name', {}],
    ['empty name', { name: '' }],
    ['blank name', { name: '   ' }],
    ['name of 201 characters', { name: '公'.repeat(201) }],
    ['name as number', { name: 123 }],
    ['industry_rank 0', { name: 'x', industry_rank: 0 }],
    ['industry_rank -3', { name: 'x', industry_rank: -3 }],
    ['industry_rank "3"', { name: 'x', industry_rank: '3' }],
    ['industry_rank 1.5', { name: 'x', industry_rank: 1.5 }],
    ['budget_capacity -1', { name: 'x', budget_capacity: -1 }],
    ['budget_capacity 1e16', { name: 'x', budget_capacity: 1e16 }],
    ['budget_capacity "100"', { name: 'x', budget_capacity: '100' }],
    ['region of 51 characters', { name: 'x', region: 'r'.repeat(51) }],
    ['unknown field', { name: 'x', website: 'https://example.com' }],
    ['status', { name: 'x', status: 'signed' }],
  ];
  for (const [label, body] of badCreates) {
    test(`create: ${label} -> 400`, async () => {
      expectStatus(await rep.post('/api/v1/companies', body), 400, label);
    });
  }

  test('create: a name of exactly 200 characters is fine', async () => {
    expectStatus(await rep.post('/api/v1/companies', { name: '公'.repeat(200) }), 201);
  });

  test('patch: with the current version -> 200 and version + 1; stale version -> 409 and unchanged', async () => {
    const c = await createCompany(rep, { name: '版本测试公司', industry: '制造', industry_rank: 3 });
    const p = expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 1, region: '苏州', industry_rank: null }), 200);
    assert.equal(p.version, 2);
    assert.equal(p.region, '苏州');
    assert.equal(p.industry_rank, null, 'null clears an optional number');
    assert.equal(p.industry, '制造', 'fields not named are kept');
    const b = await get(rep, c.id);
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 1, region: '无锡' }), 409);
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 3, region: '无锡' }), 409, 'a future version');
    assert.deepEqual(await get(rep, c.id), b);
    const p2 = expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 2, name: '版本测试公司二' }), 200);
    assert.equal(p2.version, 3);
  });

  const badPatches = [
    ['no version', { region: 'x' }],
    ['version "1"', { version: '1', region: 'x' }],
    ['version 0', { version: 0, region: 'x' }],
    ['empty name', { version: 1, name: '' }],
    ['unknown status', { version: 1, status: 'won' }],
    ['nurture_reason without status', { version: 1, nurture_reason: 'x' }],
    ['drop_reason without status', { version: 1, drop_reason: 'x' }],
    ['unknown field', { version: 1, colour: 'red' }],
  ];
  for (const [label, body] of badPatches) {
    test(`patch: ${label} -> 400, unchanged`, async () => {
      const c = await createCompany(rep, { name: `坏补丁 ${label}` });
      expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, body), 400, label);
      const g = await get(rep, c.id);
      assert.equal(g.version, 1);
      assert.equal(g.name, `坏补丁 ${label}`);
    });
  }

  test('patch: two concurrent writers with the same version -> one 200, one 409', async () => {
    const c = await createCompany(rep, { name: '并发写公司' });
    const rs = await Promise.all([
      rep.patch(`/api/v1/companies/${c.id}`, { version: 1, region: '甲' }),
      admin.patch(`/api/v1/companies/${c.id}`, { version: 1, region: '乙' }),
    ]);
    const st = rs.map((r) => r.status).sort();
    assert.deepEqual(st, [200, 409], rs.map((r) => r.text).join(' | '));
    assert.equal((await get(rep, c.id)).version, 2);
  });

  // ---------- search ----------

  const S = {};
  test('search fixtures', async () => {
    S.yunqi = await createCompany(rep, { name: '杭州云栖科技有限公司', industry: '软件' });
    S.mingzhu = await createCompany(rep, { name: '上海明珠贸易有限公司', industry: '零售' });
    S.changcheng = await createCompany(rep, { name: '北京长城科技集团', industry: '软件' });
    S.percent = await createCompany(rep, { name: '深圳100%纯净水公司', industry: '餐饮' });
    S.acme = await createCompany(rep, { name: 'ACME Robotics 机器人', industry: '制造' });
    S.other = await createCompany(rep2, { name: '广州云栖科技分公司', industry: '软件' });  // rep2's, invisible to rep
    expectStatus(await rep.post(`/api/v1/companies/${S.mingzhu.id}/contacts`, { name: '司马相如', title: '采购总监' }), 201);
  });

  const searches = [
    // [label, q, keys expected among S (exactly)]
    ['3+ chars via FTS', '云栖科', ['yunqi']],
    ['4 chars via FTS', '科技有限', ['yunqi']],
    ['2-char like 科技', '科技', ['yunqi', 'changcheng']],
    ['1 char', '栖', ['yunqi']],
    ['a contact\'s full name', '司马相如', ['mingzhu']],
    ['a contact\'s 2-char prefix', '司马', ['mingzhu']],
    ['surrounding blanks are trimmed', '  云栖科技 ', ['yunqi']],
    ['% is literal', '%', ['percent']],
    ['_ is literal', '_', []],
    ['100% is literal', '100%', ['percent']],
    ['ASCII is case-insensitive (FTS)', 'acme', ['acme']],
    ['ASCII is case-insensitive (LIKE)', 'ac', ['acme']],
    ['FTS syntax is not interpreted: OR', '云栖 OR 长城', []],
    ['FTS syntax is not interpreted: quote', '"云栖', []],
    ['FTS syntax is not interpreted: star', '云栖*', []],
    ['FTS syntax is not interpreted: NEAR(', 'NEAR(云栖', []],
    ['SQL is not interpreted', "' OR 1=1 --", []],
    ['no match', '不存在的名字', []],
  ];
  for (const [label, q, keys] of searches) {
    test(`search q=${JSON.stringify(q)} (${label})`, async () => {
      const r = await list(rep, `q=${enc(q)}&limit=200`);
      const got = Object.keys(S).filter((k) => r.items.some((c) => c.id === S[k].id)).sort();
      assert.deepEqual(got, [...keys].sort(), JSON.stringify(r.items.map((c) => c.name)));
    });
  }

  test('search follows renames of companies and contacts', async () => {
    const contacts = expectStatus(await rep.get(`/api/v1/companies/${S.mingzhu.id}/contacts`), 200);
    expectStatus(await rep.patch(`/api/v1/contacts/${contacts.items[0].id}`, { name: '诸葛孔明' }), 200);
    assert.ok((await list(rep, `q=${enc('诸葛孔明')}`)).items.some((c) => c.id === S.mingzhu.id));
    assert.ok(!(await list(rep, `q=${enc('司马相如')}`)).items.some((c) => c.id === S.mingzhu.id));
    const g = await get(rep, S.changcheng.id);
    expectStatus(await rep.patch(`/api/v1/companies/${g.id}`, { version: g.version, name: '北京长城电子集团' }), 200);
    assert.ok(!(await list(rep, `q=${enc('长城科技')}`)).items.some((c) => c.id === S.changcheng.id));
    assert.ok((await list(rep, `q=${enc('长城电子')}`)).items.some((c) => c.id === S.changcheng.id));
  });

  // ---------- filters ----------

  test('filters: status, industry, owner_id and their combination', async () => {
    const v = expectStatus(await rep.post('/api/v1/visits', { company_id: S.yunqi.id, need: true }), 201);
    assert.equal(v.status, 'contacted');
    const contacted = await list(rep, 'status=contacted&limit=200');
    assert.ok(contacted.items.length >= 1 && contacted.items.every((c) => c.status === 'contacted'));
    assert.ok(contacted.items.some((c) => c.id === S.yunqi.id));
    const prospects = await list(rep, 'status=prospect&limit=200');
    assert.ok(prospects.items.every((c) => c.status === 'prospect'));
    assert.ok(!prospects.items.some((c) => c.id === S.yunqi.id));
    const soft = await list(rep, `industry=${enc('软件')}&limit=200`);
    assert.ok(soft.items.every((c) => c.industry === '软件'));
    assert.ok(soft.items.some((c) => c.id === S.changcheng.id));
    assert.ok(!soft.items.some((c) => c.id === S.other.id), 'not another rep\'s');
    const mine = await list(rep, `owner_id=${rep.id}&limit=200`);
    assert.ok(mine.items.length > 5 && mine.items.every((c) => c.owner_id === rep.id));
    const both = await list(rep, `status=prospect&industry=${enc('软件')}&limit=200`);
    assert.deepEqual(both.items.map((c) => c.id).filter((id) => id === S.changcheng.id || id === S.yunqi.id), [S.changcheng.id]);
    const adminSoft = await list(admin, `industry=${enc('软件')}&owner_id=${rep2.id}`);
    assert.deepEqual(adminSoft.items.map((c) => c.id), [S.other.id]);
  });

  const badFilters = ['status=won', 'status=PROSPECT', 'owner_id=abc', 'owner_id=0', 'owner_id=-1', 'owner_id=1.5',
    'limit=0', 'limit=201', 'limit=-1', 'limit=ten', 'limit=1e2'];
  for (const q of badFilters) {
    test(`filters: ${q} -> 400`, async () => {
      expectStatus(await rep.get(`/api/v1/companies?${q}`), 400, q);
    });
  }

  // ---------- paging and sorting ----------

  const P = [];
  test('paging fixtures: 45 companies with ties on every sort key but the (unique) name', async () => {
    const now = Date.now();
    for (let i = 0; i < 45; i++) {
      P.push(await createCompany(pager, {
        // names are unique per organisation (SPEC §3 撞单): 9 name stems, each numbered
        name: `分页公司${String.fromCharCode(0x4e00 + (i % 9))}${i}`,
        industry: ['软件', '制造', '零售'][i % 3],
        industry_rank: i % 4 === 0 ? null : (i % 5) + 1,
        budget_capacity: i % 6 === 0 ? null : (i % 4) * 1000000,
      }));
    }
    for (let i = 0; i < 6; i++) {
      const at = new Date(now - (i + 1) * 3600000 - (i % 2) * 60000).toISOString();
      expectStatus(await pager.post('/api/v1/visits', { company_id: P[i].id, at }), 201);
      if (i < 2) expectStatus(await pager.post('/api/v1/visits', { company_id: P[i].id, at }), 201);
    }
  });

  async function walk(c, base, limit = 20) {
    const ids = [];
    let cursor = null;
    for (let page = 0; page < 100; page++) {
      const r = await list(c, `${base}&limit=${limit}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
      assert.ok(r.items.length <= limit);
      ids.push(...r.items.map((x) => x.id));
      if (!r.next_cursor) return { ids, pages: page + 1 };
      assert.equal(r.items.length, limit, 'only the last page may be short');
      cursor = r.next_cursor;
    }
    throw new Error('paging does not end');
  }

  const keyOf = {
    name: (c) => c.name,
    created_at: (c) => Date.parse(c.created_at),
    updated_at: (c) => Date.parse(c.updated_at),
    industry_rank: (c) => c.industry_rank ?? 1e9,
    budget_capacity: (c) => c.budget_capacity ?? -1,
    last_visit_at: (c) => (c.last_visit_at ? Date.parse(c.last_visit_at) : 0),
    visit_count: (c) => c.visit_count,
    status: (c) => c.status,
  };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  test('paging: limit 20 walks all 45 rows in 3 pages, no duplicates, no gaps', async () => {
    const all = await list(pager, 'limit=200');
    const w = await walk(pager, 'sort=name');
    assert.equal(w.pages, Math.ceil(all.items.length / 20));
    assert.equal(new Set(w.ids).size, w.ids.length, 'no duplicates');
    for (const c of P) assert.ok(w.ids.includes(c.id), `row ${c.id} reached`);
    assert.deepEqual(w.ids, all.items.map((c) => c.id), 'same rows in the same order as one big page');
  });

  for (const key of Object.keys(keyOf)) {
    for (const dir of ['', '-']) {
      test(`sort=${dir}${key}: 200, ordered (ties by id), and cursor paging agrees`, async () => {
        const all = await list(pager, `sort=${dir}${key}&limit=200`);
        const items = all.items;
        assert.ok(items.length >= 45);
        for (let i = 1; i < items.length; i++) {
          const a = items[i - 1], b = items[i];
          let c = cmp(keyOf[key](a), keyOf[key](b));
          if (c === 0) c = cmp(a.id, b.id);
          if (dir === '-') c = -c;
          assert.ok(c < 0, `rows ${i - 1} and ${i} out of order for ${dir}${key}: ${JSON.stringify([keyOf[key](a), a.id, keyOf[key](b), b.id])}`);
        }
        for (const limit of [7, 20]) {
          const w = await walk(pager, `sort=${dir}${key}`, limit);
          assert.deepEqual(w.ids, items.map((c) => c.id), `limit ${limit}`);
        }
      });
    }
  }

  test('paging: a filter and a search page correctly too', async () => {
    const all = await list(pager, `industry=${enc('软件')}&q=${enc('分页')}&limit=200`);
    assert.equal(all.items.length, 15);
    const w = await walk(pager, `industry=${enc('软件')}&q=${enc('分页')}&sort=-budget_capacity`, 4);
    assert.deepEqual(new Set(w.ids), new Set(all.items.map((c) => c.id)));
    assert.equal(w.ids.length, 15);
  });

  const hostileSorts = ['name;drop table companies', 'name desc', '(select 1)', 'name,id', 'NAME', '--name', '-',
    'id', 'org_id', 'password_hash', 'name--', ' name', 'name ', '+name', '1', 'name)', 'rowid', 'random()'];
  for (const s of hostileSorts) {
    test(`sort=${JSON.stringify(s)} -> 400`, async () => {
      expectStatus(await pager.get(`/api/v1/companies?sort=${enc(s)}`), 400, s);
    });
  }

  test('sort: the database survives the hostile sorts', async () => {
    assert.ok((await list(pager, 'limit=200')).items.length >= 45);
  });

  const b64 = (s) => Buffer.from(s).toString('base64url');
  const tamperedCursors = [
    ['appended garbage', (c) => c + '!!'],
    ['cut in half', (c) => c.slice(0, Math.floor(c.length / 2))],
    ['not base64', () => '%%%'],
    ['base64 of junk', () => b64('not json')],
    ['base64 of {}', () => b64('{}')],
    ['base64 of []', () => b64('[1,2]')],
    ['base64 of null', () => b64('null')],
    ['id as string', () => b64('{"s":"name","v":"x","id":"1"}')],
    ['v as object', () => b64('{"s":"name","v":{"a":1},"id":1}')],
    ['v as array', () => b64('{"s":"name","v":[1],"id":1}')],
    ['v as bool', () => b64('{"s":"name","v":true,"id":1}')],
    ['from another sort', () => b64('{"s":"created_at","v":1,"id":1}')],
    ['from the other direction', () => b64('{"s":"-name","v":"x","id":1}')],
    ['huge', () => 'A'.repeat(5000)],
  ];
  for (const [label, make] of tamperedCursors) {
    test(`cursor: ${label} -> 400`, async () => {
      const first = await list(pager, 'sort=name&limit=20');
      assert.ok(first.next_cursor);
      const r = await pager.get(`/api/v1/companies?sort=name&limit=20&cursor=${enc(make(first.next_cursor))}`);
      expectStatus(r, 400, label);
    });
  }

  test('cursor: a forged but well-formed cursor is only a position: SQL in it is data, scope still applies', async () => {
    const forged = b64('{"s":"name","v":"\' OR 1=1 --","id":0}');
    const r = await list(pager, `sort=name&limit=200&cursor=${enc(forged)}`);
    assert.ok(r.items.length > 0);
    const me = expectStatus(await pager.get('/api/v1/me'), 200);
    for (const c of r.items) assert.ok(c.owner_id === me.id || c.owner_id === null, `leaked ${c.id}`);
  });

  test('cursor: a cursor of sort=name used with sort=-name -> 400', async () => {
    const first = await list(pager, 'sort=name&limit=20');
    expectStatus(await pager.get(`/api/v1/companies?sort=-name&cursor=${enc(first.next_cursor)}`), 400);
  });

  // ---------- nurture ----------

  test('nurture: needs nurture_reason and revisit_on (400 without), cap 5 -> the 6th is 409', async () => {
    const N = [];
    for (let i = 0; i < 6; i++) N.push(await createCompany(rep2, { name: `培养公司${i}` }));
    const bad = [
      { status: 'nurture' },
      { status: 'nurture', nurture_reason: '明年预算' },
      { status: 'nurture', revisit_on: '2027-03-01' },
      { status: 'nurture', nurture_reason: '   ', revisit_on: '2027-03-01' },
      { status: 'nurture', nurture_reason: '明年预算', revisit_on: '2027-02-30' },
      { status: 'nurture', nurture_reason: '明年预算', revisit_on: '2027/03/01' },
      { status: 'nurture', nurture_reason: '明年预算', revisit_on: 20270301 },
    ];
    for (const b of bad) {
      expectStatus(await rep2.patch(`/api/v1/companies/${N[0].id}`, { version: 1, ...b }), 400, JSON.stringify(b));
    }
    assert.equal((await get(rep2, N[0].id)).status, 'prospect');
    for (let i = 0; i < 5; i++) {
      const r = expectStatus(await rep2.patch(`/api/v1/companies/${N[i].id}`, {
        version: 1, status: 'nurture', nurture_reason: `原因${i}`, revisit_on: '2027-03-01',
      }), 200, `nurture #${i + 1}`);
      assert.equal(r.status, 'nurture');
      assert.equal(r.nurture_reason, `原因${i}`);
      assert.equal(r.revisit_on, '2027-03-01');
      assert.equal(r.owner_id, rep2.id);
    }
    const sixth = { version: 1, status: 'nurture', nurture_reason: '第六个', revisit_on: '2027-03-01' };
    const r6 = expectStatus(await rep2.patch(`/api/v1/companies/${N[5].id}`, sixth), 409, '6th nurture');
    assert.match(r6.error.code, /cap/);
    const g6 = await get(rep2, N[5].id);
    assert.equal(g6.status, 'prospect');
    assert.equal(g6.version, 1);
    // the cap counts per rep: a manager-free admin can still park the 6th for the same rep? no: same owner, same cap
    expectStatus(await admin.patch(`/api/v1/companies/${N[5].id}`, sixth), 409, 'the cap is the owner\'s, whoever asks');
    const nurturing = await list(rep2, 'status=nurture&limit=200');
    assert.equal(nurturing.items.length, 5);
    // dropping one frees a slot
    const g0 = await get(rep2, N[0].id);
    expectStatus(await rep2.patch(`/api/v1/companies/${N[0].id}`, { version: g0.version, status: 'dropped', drop_reason: '不再跟进' }), 200);
    expectStatus(await rep2.patch(`/api/v1/companies/${N[5].id}`, sixth), 200, 'a slot is free again');
  });

  // ---------- drop, pool, claim ----------

  test('dropped: needs drop_reason; loses its owner, goes to the pool with its history; claim', async () => {
    const c = await createCompany(rep, { name: '放弃测试公司' });
    expectStatus(await rep.post('/api/v1/visits', { company_id: c.id, need: true, duration_min: 30 }), 201);
    const v2 = (await get(rep, c.id)).version;
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: v2, status: 'dropped' }), 400, 'no reason');
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: v2, status: 'dropped', drop_reason: '' }), 400, 'empty');
    const d = expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: v2, status: 'dropped', drop_reason: '付款人不在本地' }), 200);
    assert.equal(d.status, 'dropped');
    assert.equal(d.owner_id, null);
    assert.equal(d.drop_reason, '付款人不在本地');
    assert.equal(d.visit_count, 1, 'history kept');
    const pool = await list(rep2, 'owner_id=pool&limit=200');
    assert.ok(pool.items.some((x) => x.id === c.id), 'in the pool for every rep');
    const dropped = await list(rep2, 'status=dropped&limit=200');
    assert.ok(dropped.items.some((x) => x.id === c.id));
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: d.version, name: '改名' }), 409, 'the old owner must claim too');
    const cl = expectStatus(await rep2.post(`/api/v1/companies/${c.id}/claim`, {}), 200);
    assert.equal(cl.owner_id, rep2.id);
    assert.equal(cl.status, 'contacted', 'status follows the facts again');
    assert.equal(cl.need, true, 'qualification history kept');
    assert.equal(cl.drop_reason, null);
    assert.equal(cl.version, d.version + 1);
    const visits = expectStatus(await rep2.get(`/api/v1/companies/${c.id}/visits`), 200);
    assert.equal(visits.items.length, 1, 'the visit history came along');
    expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 404, 'the old owner no longer sees it');
    expectStatus(await rep2.post(`/api/v1/companies/${c.id}/claim`, {}), 409, 'claiming an owned company');
  });

  test('claim: two reps race for one pool company -> one 200, one 409', async () => {
    const c = await createCompany(admin, { name: '抢客户公司', owner_id: null });
    const rs = await Promise.all([rep.post(`/api/v1/companies/${c.id}/claim`, {}), rep2.post(`/api/v1/companies/${c.id}/claim`, {})]);
    // the loser gets 409 (already owned) or 404 (now another rep's, so invisible)
    const st = rs.map((r) => r.status).sort();
    assert.ok(st[0] === 200 && (st[1] === 409 || st[1] === 404), rs.map((r) => r.text).join(' | '));
    const loser = rs.find((r) => r.status !== 200);
    expectStatus(loser, loser.status);
    const g = await get(admin, c.id);
    assert.equal(g.owner_id, rs[0].status === 200 ? rep.id : rep2.id, 'the winner owns it');
  });

  // ---------- illegal transitions ----------

  async function companyIn(state) {
    const c = await createCompany(rep, { name: `状态 ${state} ${Math.random()}` });
    if (state === 'contacted') expectStatus(await rep.post('/api/v1/visits', { company_id: c.id, need: true }), 201);
    if (state === 'effective')
      expectStatus(await rep.post('/api/v1/visits', { company_id: c.id, need: true, budget: true, met_payer: true }), 201);
    if (state === 'signed') expectStatus(await rep.post('/api/v1/deals', { company_id: c.id, amount: 880000 }), 201);
    if (state === 'nurture') {
      const g = await get(rep, c.id);
      expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: g.version, status: 'nurture', nurture_reason: 'x', revisit_on: '2027-01-04' }), 200);
    }
    if (state === 'dropped') {
      const g = await get(rep, c.id);
      expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: g.version, status: 'dropped', drop_reason: 'x' }), 200);
    }
    const g = await get(admin, c.id);
    assert.equal(g.status, state);
    return g;
  }

  const illegal = [
    ['signed', 'dropped', { drop_reason: '不要了' }],
    ['signed', 'nurture', { nurture_reason: 'x', revisit_on: '2027-01-04' }],
    ['signed', 'prospect'],
    ['signed', 'effective'],
    ['prospect', 'effective'],
    ['prospect', 'signed'],
    ['prospect', 'contacted'],
    ['contacted', 'signed'],
    ['contacted', 'prospect'],
    ['contacted', 'effective'],
    ['effective', 'signed'],
    ['effective', 'prospect'],
    ['nurture', 'signed'],
    ['dropped', 'prospect', {}, 'admin'],
    ['dropped', 'nurture', { nurture_reason: 'x', revisit_on: '2027-01-04' }, 'admin'],
    ['dropped', 'signed', {}, 'admin'],
  ];
  for (const [from, to, extra = {}, actor = 'rep'] of illegal) {
    test(`illegal transition ${from} -> ${to} by PATCH -> 409, unchanged`, async () => {
      const c = await companyIn(from);
      const who = actor === 'admin' ? admin : rep;
      expectStatus(await who.patch(`/api/v1/companies/${c.id}`, { version: c.version, status: to, ...extra }), 409);
      assert.deepEqual(await get(admin, c.id), c);
    });
  }

  test('a deal on a dropped company -> 409; a signed company stays signed and existing', async () => {
    const d = await companyIn('dropped');
    expectStatus(await admin.post('/api/v1/deals', { company_id: d.id, amount: 100 }), 409);
    const s = await companyIn('signed');
    assert.equal(s.is_new, false);
    assert.equal(s.effective, false);
  });

  // ---------- delete ----------

  test('delete -> 204, then 404 everywhere and gone from lists and search', async () => {
    const c = await createCompany(rep, { name: '删除测试独特公司' });
    const r = await rep.del(`/api/v1/companies/${c.id}`);
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 404);
    expectStatus(await admin.get(`/api/v1/companies/${c.id}`), 404);
    expectStatus(await rep.patch(`/api/v1/companies/${c.id}`, { version: 2, name: 'x' }), 404);
    expectStatus(await rep.del(`/api/v1/companies/${c.id}`), 404);
    expectStatus(await rep.post('/api/v1/visits', { company_id: c.id }), 404);
    expectStatus(await rep.post(`/api/v1/companies/${c.id}/contacts`, { name: 'x' }), 404);
    assert.equal((await list(rep, `q=${enc('删除测试独特')}`)).items.length, 0);
    assert.ok(!(await list(admin, 'limit=200&sort=-created_at')).items.some((x) => x.id === c.id));
  });

  test('delete: a signed customer keeps its history (409); another rep -> 404; admin may delete a rep\'s', async () => {
    const s = await companyIn('signed');
    expectStatus(await rep.del(`/api/v1/companies/${s.id}`), 409);
    expectStatus(await admin.del(`/api/v1/companies/${s.id}`), 409);
    const c = await createCompany(rep, { name: '别人删不掉的公司' });
    expectStatus(await rep2.del(`/api/v1/companies/${c.id}`), 404);
    expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
    assert.equal((await admin.del(`/api/v1/companies/${c.id}`)).status, 204);
    expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 404);
  });

  no5xxTest(test, ctx);
});
