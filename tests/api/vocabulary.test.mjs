// The vocabularies over HTTP (SPEC §3, issue 12): the managed industry list in the
// settings, aliases mapped on write, unknown industries and styles refused with a
// clear 400 {"error":{"code","message"}}, and fit on a rep's pipeline.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, expectStatus, createUser, createTeam, createCompany, PASSWORD } from './harness.mjs';

describe('vocabulary', () => {
  const ctx = useServer({ before, after }, { org: 'Vocabulary Org', admin: 'vo_admin' });
  let admin, rep, team;

  before(async () => {
    admin = await ctx.srv.login('vo_admin');
    team = await createTeam(admin, { name: '华北组' });
    await createUser(admin, { username: 'vo_rep', role: 'rep', team_id: team.id, password: PASSWORD, selling_style: 'driver' });
    rep = await ctx.srv.login('vo_rep');
  });

  const error400 = (r, code) => {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, code, r.text);
    assert.equal(typeof r.body.error.message, 'string');
    return r.body.error.message;
  };

  test('settings carry the standard industry list with aliases', async () => {
    const s = expectStatus(await rep.get('/api/v1/settings'), 200);
    const names = s.industries.map((i) => i.name);
    for (const n of ['互联网', '软件', '电商', '制造', '新能源', '政府与公共事业']) assert.ok(names.includes(n), n);
    assert.ok(s.industries.find((i) => i.name === '制造').aliases.includes('制造业'));
  });

  test('an alias is mapped on create; an unknown industry is a 400 naming the nearest', async () => {
    const c = await createCompany(rep, { name: '北京制造业样板公司', industry: '制造业' });
    assert.equal(c.industry, '制造');
    const msg = error400(await rep.post('/api/v1/companies', { name: '未知行业公司', industry: '智能制造' }), 'unknown_industry');
    assert.match(msg, /制造/);
    const p = await rep.patch(`/api/v1/companies/${c.id}`, { version: c.version, industry: '房地' });
    assert.match(error400(p, 'unknown_industry'), /房地产/);
  });

  const badLists = [
    ['not a list', '制造', 'invalid_field'],
    ['an item without a name', [{ aliases: [] }], 'invalid_industries'],
    ['a repeated name', [{ name: '制造', aliases: [] }, { name: '制造', aliases: [] }], 'invalid_industries'],
    ['an alias that is a name', [{ name: '制造', aliases: [] }, { name: '其他', aliases: ['制造'] }], 'invalid_industries'],
    ['an alias not a string', [{ name: '制造', aliases: [3] }], 'invalid_field'],
    ['an unknown key', [{ name: '制造', aliases: [], color: 'red' }], 'invalid_field'],
    ['a name of 51 characters', [{ name: '业'.repeat(51), aliases: [] }], 'invalid_industries'],
  ];
  for (const [label, industries, code] of badLists)
    test(`PATCH settings industries: ${label} -> 400 ${code}`, async () => {
      error400(await admin.patch('/api/v1/settings', { industries }), code);
    });

  test('PATCH settings industries: a rep gets 403; the admin adds one and it is used', async () => {
    const s = expectStatus(await admin.get('/api/v1/settings'), 200);
    const list = [...s.industries, { name: '通信', aliases: ['电信', 'Telecom'] }];
    expectStatus(await rep.patch('/api/v1/settings', { industries: list }), 403);
    const after = expectStatus(await admin.patch('/api/v1/settings', { industries: list, version: s.version }), 200);
    assert.ok(after.industries.some((i) => i.name === '通信'));
    assert.equal((await createCompany(rep, { name: '电信样板公司', industry: 'telecom' })).industry, '通信');
    const r = await admin.patch('/api/v1/settings', { industries: s.industries });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.error.code, 'industry_in_use');
  });

  test('styles: one vocabulary; anything else is 400 unknown_style', async () => {
    error400(await admin.post('/api/v1/users', { username: 'vo_bad', password: PASSWORD, role: 'rep', team_id: team.id, selling_style: 'decisive' }), 'unknown_style');
    const u = expectStatus(await admin.post('/api/v1/users', { username: 'vo_ok', password: PASSWORD, role: 'rep', team_id: team.id, selling_style: '分析型' }), 201);
    assert.equal(u.selling_style, 'analytical');
    error400(await rep.patch(`/api/v1/users/${u.id}`, { selling_style: 'calm' }), 'unknown_style');
    const c = await createCompany(rep, { name: '风格样板公司', industry: '软件' });
    error400(await rep.post(`/api/v1/companies/${c.id}/contacts`, { name: '张总', style: '顾问式' }), 'unknown_style');
    const ct = expectStatus(await rep.post(`/api/v1/companies/${c.id}/contacts`, { name: '张总', is_payer: true, style: 'driver' }), 201);
    assert.equal(ct.style, 'driver');
    // The rep's own pipeline shows how the buyer suits them (same style, no record yet: good).
    const got = expectStatus(await rep.get(`/api/v1/companies/${c.id}`), 200);
    assert.equal(got.fit.level, 'good');
    assert.equal(got.fit.payer_style, 'driver');
  });
});
