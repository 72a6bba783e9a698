// Bad input across the routes: one table. Every case asserts the status, the
// {"error":{"code","message"}} body, and that nothing answers 5xx.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { useServer, no5xxTest, expectStatus, createUser, createTeam, createCompany, secondOrg, shanghaiDate } from './harness.mjs';

const enc = encodeURIComponent;
const big = '9223372036854775808';  // INT64_MAX + 1

describe('bad input', () => {
  const ctx = useServer({ before, after }, { org: 'Bad Input Org', admin: 'bad_admin' });
  const who = {};
  const ids = {};

  before(async () => {
    const srv = ctx.srv;
    who.admin = await srv.login('bad_admin');
    const team = await createTeam(who.admin, { name: '输入组' });
    ids.team = team.id;
    for (const u of ['bad_repA', 'bad_repB']) await createUser(who.admin, { username: u, role: 'rep', team_id: team.id });
    who.repA = await srv.login('bad_repA');          // cookie + CSRF
    who.tokA = await srv.tokenFor(who.repA);         // bearer
    who.repB = await srv.login('bad_repB');
    who.org2 = await secondOrg(srv, 'bad2');
    who.anon = srv.anon();
    ids.cA = (await createCompany(who.repA, { name: '甲的公司' })).id;
    ids.cB = (await createCompany(who.repB, { name: '乙的公司' })).id;
    ids.cZ = (await createCompany(who.org2, { name: '外租户公司' })).id;
    ids.contactA = expectStatus(await who.repA.post(`/api/v1/companies/${ids.cA}/contacts`, { name: '联系人甲' }), 201).id;
    ids.repA = who.repA.id;
    ids.repB = who.repB.id;
    ids.org2admin = who.org2.id;
  });

  // Substitutes {cA} {cB} {cZ} {repA} {contactA} {team} in paths and raw bodies.
  const sub = (s) => s.replace(/\{(\w+)\}/g, (_, k) => String(ids[k]));
  // In object bodies, a string value "{cA}" becomes that id as a number.
  const fill = (v) => {
    if (typeof v === 'string') {
      const m = v.match(/^\{(\w+)\}$/);
      return m ? ids[m[1]] : v;
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };

  // [name, actor, method, path, body, status] — body: an object (sent as JSON),
  // or { raw: string|Buffer|function } sent verbatim, or { headers, raw }.
  const cases = [];
  const add = (name, actor, method, path, body, status) => cases.push({ name, actor, method, path, body, status });
  // Cases that have been seen to break the server for everyone after them
  // (an exception inside a read transaction leaks a pooled connection): they
  // run last, after the rest of the table and the data check.
  const late = [];
  const addLate = (name, actor, method, path, body, status) => late.push({ name, actor, method, path, body, status });

  // ---- malformed JSON, on several routes ----
  const malformed = ['{', '{"name": ', '{"name":"x",}', "{'name':'x'}", '{"name":"x"} trailing', 'name=x', '{"name":x}',
    '{"name":"x"}{"name":"y"}', '{"name":NaN}', '{"name":"x", "industry_rank": 01}', '{"name":"\\x41"}', '\x00', '{"name":"x"'];
  for (const raw of malformed) {
    add(`malformed JSON ${JSON.stringify(raw)} on POST /companies`, 'tokA', 'POST', '/api/v1/companies', { raw }, 400);
  }
  for (const [m, p, actor] of [['PATCH', '/api/v1/companies/{cA}', 'tokA'], ['POST', '/api/v1/visits', 'tokA'],
    ['POST', '/api/v1/deals', 'tokA'], ['PUT', '/api/v1/targets', 'admin'], ['PATCH', '/api/v1/settings', 'admin'],
    ['PUT', `/api/v1/plans/${shanghaiDate(0)}`, 'repA'], ['POST', '/api/v1/session', 'anon'], ['POST', '/api/v1/users', 'admin'],
    ['POST', '/api/v1/teams', 'admin'], ['POST', '/api/v1/companies/{cA}/contacts', 'repA'], ['PATCH', '/api/v1/users/{repA}', 'admin']]) {
    add(`malformed JSON on ${m} ${p}`, actor, m, p, { raw: '{"version": 1,' }, 400);
    add(`JSON array body on ${m} ${p}`, actor, m, p, { raw: '[{"name":"x"}]' }, 400);
  }
  for (const raw of ['[]', '"x"', '1', 'null', 'true', '[{"name":"x"}]']) {
    add(`JSON ${raw} instead of an object on POST /companies`, 'tokA', 'POST', '/api/v1/companies', { raw }, 400);
  }
  add('multipart body', 'tokA', 'POST', '/api/v1/companies', { raw: '--b\r\n\r\nx\r\n--b--', headers: { 'content-type': 'multipart/form-data; boundary=b' } }, 415);

  // ---- wrong types ----
  const wrongTypes = [
    ['POST', '/api/v1/companies', { name: 123 }],
    ['POST', '/api/v1/companies', { name: ['x'] }],
    ['POST', '/api/v1/companies', { name: { zh: 'x' } }],
    ['POST', '/api/v1/companies', { name: true }],
    ['POST', '/api/v1/companies', { name: 'x', industry_rank: '3' }],
    ['POST', '/api/v1/companies', { name: 'x', industry_rank: 3.5 }],
    ['POST', '/api/v1/companies', { name: 'x', industry_rank: true }],
    ['POST', '/api/v1/companies', { name: 'x', budget_capacity: '1000' }],
    ['POST', '/api/v1/companies', { name: 'x', budget_capacity: 10.5 }],
    ['POST', '/api/v1/companies', { name: 'x', region: 5 }],
    ['POST', '/api/v1/companies', { raw: '{"name":"x","owner_id":"{repA}"}' }],
    ['PATCH', '/api/v1/companies/{cA}', { version: '1' }],
    ['PATCH', '/api/v1/companies/{cA}', { version: 1.0001 }],
    ['PATCH', '/api/v1/companies/{cA}', { version: 1, status: 1 }],
    ['POST', '/api/v1/visits', { raw: '{"company_id":"{cA}"}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}.0}' }],
    ['POST', '/api/v1/visits', { company_id: 'cA' }],
    ['POST', '/api/v1/visits', { company_id: '{cA}', need: 'true' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "need": 1}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "budget": "yes"}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "met_payer": [true]}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "duration_min": "30"}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "notes": 42}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "location": "上海"}' }],
    ['POST', '/api/v1/visits', { raw: '{"company_id": {cA}, "location": {"lat": 91, "lng": 0}}' }],
    ['POST', '/api/v1/deals', { raw: '{"company_id": {cA}, "amount": "100"}' }],
    ['POST', '/api/v1/deals', { raw: '{"company_id": {cA}, "amount": 99.99}' }],
    ['POST', '/api/v1/deals', { raw: '{"company_id": {cA}, "amount": 100, "signed_on": 20260105}' }],
    ['POST', '/api/v1/companies/{cA}/contacts', { name: '张三', is_payer: 'yes' }],
    ['POST', '/api/v1/companies/{cA}/contacts', { name: '张三', is_payer: 1 }],
    ['PATCH', '/api/v1/contacts/{contactA}', { is_payer: 'false' }],
    ['POST', '/api/v1/tokens', { name: 7 }],
  ];
  for (const [m, p, body] of wrongTypes) {
    add(`wrong type: ${m} ${p} ${JSON.stringify(body)}`, 'tokA', m, p, body, 400);
  }
  for (const [m, p, body] of [
    ['PATCH', '/api/v1/users/{repA}', { active: 'false' }],
    ['PATCH', '/api/v1/users/{repA}', { active: 0 }],
    ['PATCH', '/api/v1/users/{repA}', { raw: '{"team_id":"{team}"}' }],
    ['POST', '/api/v1/users', { username: 'u1', password: 'password1', role: 'rep', team_id: 'one' }],
    ['POST', '/api/v1/users', { username: 12345678, password: 'password1', role: 'rep' }],
    ['POST', '/api/v1/users', { username: 'u2', password: 12345678, role: 'rep' }],
    ['POST', '/api/v1/teams', { name: ['x'] }],
    ['PATCH', '/api/v1/teams/{team}', { manager_id: 'boss' }],
    ['PUT', '/api/v1/targets', { scope: 'rep', scope_id: '{repA}', metric: 'visits_new', period: 'day', value: '3' }],
    ['PATCH', '/api/v1/settings', { quota_visits_new: '5' }],
    ['PATCH', '/api/v1/settings', { new_share_min: '0.8' }],
    ['PATCH', '/api/v1/settings', { holidays: [20261001] }],
    ['PATCH', '/api/v1/settings', { calls_count_as_visits: 'true' }],
    ['PATCH', '/api/v1/settings', { time_sink_visits: 2.5 }],
    ['PATCH', '/api/v1/settings', { plan_remind_at: ['09:30'] }],
    ['POST', '/api/v1/companies', { name: '合同到期公司', competitor_contract_end: 20270101 }],
    ['POST', '/api/v1/companies', { name: '合同到期公司', competitor_contract_end: '2027-02-30' }],
    ['GET', '/api/v1/targets/progress?period=week', undefined],
    ['GET', '/api/v1/targets/progress?as_of=2026-13-01', undefined],
    ['GET', '/api/v1/targets/progress?team_id=abc', undefined],
  ]) {
    add(`wrong type: ${m} ${p} ${JSON.stringify(body)}`, 'admin', m, p, body, 400);
  }

  // ---- missing required fields ----
  for (const [actor, m, p, body] of [
    ['tokA', 'POST', '/api/v1/companies', {}],
    ['tokA', 'POST', '/api/v1/companies', { name: null }],
    ['tokA', 'POST', '/api/v1/companies', { industry: '软件' }],
    ['tokA', 'PATCH', '/api/v1/companies/{cA}', {}],
    ['tokA', 'PATCH', '/api/v1/companies/{cA}', { name: '新名字' }],
    ['tokA', 'POST', '/api/v1/visits', {}],
    ['tokA', 'POST', '/api/v1/visits', { need: true }],
    ['tokA', 'POST', '/api/v1/deals', { company_id: '{cA}' }],
    ['tokA', 'POST', '/api/v1/deals', { amount: 100 }],
    ['repA', 'POST', '/api/v1/companies/{cA}/contacts', {}],
    ['repA', 'POST', '/api/v1/companies/{cA}/contacts', { title: '经理' }],
    ['repA', 'POST', '/api/v1/tokens', {}],
    ['anon', 'POST', '/api/v1/session', {}],
    ['anon', 'POST', '/api/v1/session', { username: 'bad_repA' }],
    ['admin', 'POST', '/api/v1/users', { password: 'password1', role: 'rep' }],
    ['admin', 'POST', '/api/v1/users', { username: 'nopw', role: 'rep' }],
    ['admin', 'POST', '/api/v1/users', { username: 'norole', password: 'password1' }],
    ['admin', 'POST', '/api/v1/users', { username: 'shortpw', password: 'short', role: 'rep' }],
    ['admin', 'POST', '/api/v1/users', { username: 'badrole', password: 'password1', role: 'boss' }],
    ['admin', 'POST', '/api/v1/users', { username: 'with space', password: 'password1', role: 'rep' }],
    ['admin', 'POST', '/api/v1/teams', {}],
    ['admin', 'PUT', '/api/v1/targets', { scope: 'rep', metric: 'visits_new', period: 'day', value: 3 }],
    ['admin', 'PUT', '/api/v1/targets', {}],
  ]) {
    add(`missing required: ${m} ${p} ${JSON.stringify(body)}`, actor, m, p, body, 400);
  }

  // ---- sizes and nesting ----
  add('huge body (9 MB) -> 413', 'tokA', 'POST', '/api/v1/companies', { raw: () => '{"name":"' + 'x'.repeat(9 * 1024 * 1024) + '"}' }, 413);
  add('huge body (9 MB) on a cookie write -> 413', 'repA', 'PATCH', '/api/v1/companies/{cA}', { raw: () => '{"notes":"' + '长'.repeat(3 * 1024 * 1024) + '"}' }, 413);
  add('deeply nested arrays (1000 levels)', 'tokA', 'POST', '/api/v1/companies', { raw: '['.repeat(1000) + ']'.repeat(1000) }, 400);
  add('deeply nested objects (1000 levels)', 'tokA', 'POST', '/api/v1/companies', { raw: '{"a":'.repeat(1000) + '1' + '}'.repeat(1000) }, 400);
  add('deeply nested in a field (1000 levels)', 'tokA', 'POST', '/api/v1/visits', { raw: '{"company_id":{cA},"location":' + '['.repeat(1000) + ']'.repeat(1000) + '}' }, 400);
  add('nested 100 levels', 'tokA', 'POST', '/api/v1/companies', { raw: '{"name":"x","a":' + '['.repeat(100) + ']'.repeat(100) + '}' }, 400);
  add('name of 10000 characters', 'tokA', 'POST', '/api/v1/companies', { name: '名'.repeat(10000) }, 400);
  add('notes of 5001 characters', 'tokA', 'POST', '/api/v1/visits', { company_id: '{cA}', notes: 'n'.repeat(5001) }, 400);

  // ---- NUL bytes and invalid UTF-8 ----
  const utf8Bad = [
    ['escaped NUL in a string', '{"name":"a\\u0000b"}'],
    ['raw NUL in a string', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0]), Buffer.from('b"}')])],
    ['raw control char in a string', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([1]), Buffer.from('b"}')])],
    ['invalid UTF-8 byte 0xff', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')])],
    ['truncated UTF-8 sequence', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xe4, 0xb8]), Buffer.from('"}')])],
    ['overlong UTF-8 "/"', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['UTF-8 encoded surrogate', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ['escaped lone high surrogate', '{"name":"a\\ud800b"}'],
    ['escaped lone low surrogate', '{"name":"a\\udc00b"}'],
    ['invalid UTF-8 in a key', Buffer.concat([Buffer.from('{"na'), Buffer.from([0xff]), Buffer.from('me":"x"}')])],
    ['GBK bytes', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('"}')])],
  ];
  for (const [label, raw] of utf8Bad) {
    add(`${label} on POST /companies`, 'tokA', 'POST', '/api/v1/companies', { raw }, 400);
  }
  add('escaped NUL in visit notes', 'tokA', 'POST', '/api/v1/visits', { raw: '{"company_id":{cA},"notes":"x\\u0000"}' }, 400);
  add('escaped NUL in a password', 'anon', 'POST', '/api/v1/session', { raw: '{"username":"bad_repA","password":"Tiejun-test-pw-1\\u0000"}' }, 400);
  add('escaped NUL in a username', 'anon', 'POST', '/api/v1/session', { raw: '{"username":"bad_repA\\u0000","password":"x"}' }, 400);
  add('escaped NUL in a review', 'repA', 'PUT', `/api/v1/reviews/${shanghaiDate(0)}`, { raw: '{"wins":"\\u0000"}' }, 400);

  // ---- integers beyond int64 ----
  for (const [m, p, raw] of [
    ['POST', '/api/v1/companies', `{"name":"x","industry_rank":${big}}`],
    ['POST', '/api/v1/companies', '{"name":"x","budget_capacity":99999999999999999999999}'],
    ['POST', '/api/v1/companies', '{"name":"x","budget_capacity":-9223372036854775809}'],
    ['POST', '/api/v1/companies', '{"name":"x","budget_capacity":1e400}'],
    ['POST', '/api/v1/companies', '{"name":"x","budget_capacity":18446744073709551616}'],
    ['POST', '/api/v1/companies', `{"name":"x","owner_id":${big}}`],
    ['PATCH', '/api/v1/companies/{cA}', `{"version":${big}}`],
    ['PATCH', '/api/v1/companies/{cA}', '{"version":18446744073709551615}'],
    ['POST', '/api/v1/visits', '{"company_id":18446744073709551616}'],
    ['POST', '/api/v1/visits', `{"company_id":${big}}`],
    ['POST', '/api/v1/visits', `{"company_id":{cA},"duration_min":${big}}`],
    ['POST', '/api/v1/deals', `{"company_id":{cA},"amount":${big}}`],
    ['POST', '/api/v1/deals', '{"company_id":{cA},"amount":-9223372036854775809}'],
  ]) {
    add(`integer beyond int64: ${m} ${p} ${raw}`, 'tokA', m, p, { raw }, 400);
  }
  add('integer beyond int64 in a target value', 'admin', 'PUT', '/api/v1/targets', { raw: `{"scope":"rep","scope_id":{repA},"metric":"visits_new","period":"day","value":${big}}` }, 400);
  add('integer beyond int64 in settings', 'admin', 'PATCH', '/api/v1/settings', { raw: `{"min_order_value":${big}}` }, 400);

  // ---- unknown, non-numeric, foreign ids ----
  const idRoutes = [
    ['GET', '/api/v1/companies/ID'],
    ['PATCH', '/api/v1/companies/ID', { version: 1, name: 'x' }],
    ['DELETE', '/api/v1/companies/ID'],
    ['POST', '/api/v1/companies/ID/claim', {}],
    ['GET', '/api/v1/companies/ID/contacts'],
    ['POST', '/api/v1/companies/ID/contacts', { name: '某人' }],
    ['GET', '/api/v1/companies/ID/visits'],
    ['GET', '/api/v1/companies/ID/deals'],
  ];
  const badIds = [
    ['unknown id', '999999'], ['non-numeric id', 'abc'], ['id with a suffix', '1abc'], ['negative id', '-1'], ['id 0', '0'],
    ['decimal id', '1.0'], ['exponent id', '1e3'], ['hex id', '0x10'], ['id beyond int64', '99999999999999999999'],
    ['id just beyond int64', big], ['id with a space', '1%20'], ['id with a plus', '+1'], ['unicode id', enc('一')],
    ['empty-ish id', '%20'],
  ];
  for (const [label, id] of badIds) {
    for (const [m, p, body] of idRoutes) {
      add(`${label}: ${m} ${p.replace('ID', id)}`, 'tokA', m, p.replace('ID', id), body, 404);
    }
  }
  for (const [m, p, body] of [
    ['GET', '/api/v1/users/ID'], ['PATCH', '/api/v1/users/ID', { display_name: 'x' }], ['PATCH', '/api/v1/teams/ID', { name: 'x' }],
    ['PATCH', '/api/v1/contacts/ID', { name: 'x' }],
  ]) {
    for (const id of ['999999', 'abc', '-1', '0', '99999999999999999999']) add(`bad id: ${m} ${p.replace('ID', id)}`, 'admin', m, p.replace('ID', id), body, 404);
  }
  for (const [label, key] of [['another rep\'s id', 'cB'], ['another org\'s id', 'cZ']]) {
    for (const [m, p, body] of idRoutes) {
      add(`${label}: ${m} ${p}`, 'tokA', m, p.replace('ID', `{${key}}`), body, 404);
    }
    add(`${label}: POST /visits`, 'tokA', 'POST', '/api/v1/visits', { company_id: `{${key}}`, need: true }, 404);
    add(`${label}: POST /deals`, 'tokA', 'POST', '/api/v1/deals', { company_id: `{${key}}`, amount: 100 }, 404);
    add(`${label}: PUT /plans naming it`, 'repA', 'PUT', `/api/v1/plans/${shanghaiDate(0)}`, { company_ids: [`{${key}}`] }, 400);
  }
  for (const [m, p, body] of idRoutes) add(`another org's id as its admin: ${m} ${p}`, 'admin', m, p.replace('ID', '{cZ}'), body, 404);
  add('unknown company in a visit', 'tokA', 'POST', '/api/v1/visits', { company_id: 999999 }, 404);
  add('unknown company in a deal', 'tokA', 'POST', '/api/v1/deals', { company_id: 999999, amount: 1 }, 404);
  add('another org\'s user: GET', 'admin', 'GET', '/api/v1/users/{org2admin}', undefined, 404);
  add('another org\'s user: PATCH', 'admin', 'PATCH', '/api/v1/users/{org2admin}', { active: false }, 404);
  add('another org\'s contact: PATCH by the org2 admin', 'org2', 'PATCH', '/api/v1/contacts/{contactA}', { name: 'x' }, 404);

  // ---- hostile sorts ----
  for (const s of ['name;drop table companies', 'name desc', '(select 1)', 'name,id', 'name--', 'NAME', '-', '--name', 'id', '1',
    "name' OR '1'='1", 'CASE WHEN 1 THEN name END', 'name collate nocase', '-(select password_hash from users)']) {
    add(`hostile sort ${JSON.stringify(s)}`, 'tokA', 'GET', `/api/v1/companies?sort=${enc(s)}`, undefined, 400);
  }

  // ---- unknown query parameters ----
  for (const [actor, p] of [
    ['tokA', '/api/v1/companies?foo=1'],
    ['tokA', '/api/v1/companies?Limit=5'],
    ['tokA', '/api/v1/companies?q=x&sort=name&page=2'],
    ['tokA', '/api/v1/companies/{cA}/visits?foo=1'],
    ['admin', '/api/v1/users?role=rep'],
    ['admin', '/api/v1/metrics/reps?rep_id=1'],
    ['admin', '/api/v1/audit?user_id=1'],
    ['repA', `/api/v1/reviews/${shanghaiDate(0)}?date=x`],
    ['tokA', '/api/v1/companies/{cA}?fields=name'],
    ['tokA', '/api/v1/companies/{cA}/contacts?foo=1'],
    ['tokA', '/api/v1/companies/{cA}/deals?foo=1'],
    ['tokA', '/api/v1/me?foo=1'],
    ['admin', '/api/v1/teams?foo=1'],
    ['admin', '/api/v1/targets?rep_id=1'],
    ['admin', '/api/v1/settings?foo=1'],
    ['admin', '/api/v1/targets/progress?rep_id=1'],
  ]) {
    add(`unknown query parameter: GET ${p}`, actor, 'GET', p, undefined, 400);
  }
  add('unknown query parameter on a write: POST /companies?owner=2', 'tokA', 'POST', '/api/v1/companies?owner=2', { name: '查询参数公司' }, 400);

  // ---- duplicate query parameters ----
  for (const [actor, p] of [
    ['tokA', '/api/v1/companies?limit=1&limit=2'],
    ['tokA', '/api/v1/companies?q=a&q=b'],
    ['tokA', '/api/v1/companies?sort=name&sort=-name'],
    ['tokA', '/api/v1/companies?status=prospect&status=prospect'],
    ['tokA', '/api/v1/companies?limit=5&limit=5'],
    ['admin', '/api/v1/audit?limit=1&limit=1'],
    ['admin', '/api/v1/metrics/reps?from=2026-01-01&from=2026-01-02'],
    ['repA', `/api/v1/plans/${shanghaiDate(0)}?rep_id={repA}&rep_id={repA}`],
  ]) {
    add(`duplicate query parameter: GET ${p}`, actor, 'GET', p, undefined, 400);
  }

  // ---- bad percent-encoding and bad bytes in the URL ----
  for (const [label, p] of [
    ['%zz in a value', '/api/v1/companies?q=%zz'],
    ['lone % in a value', '/api/v1/companies?q=%'],
    ['% with one hex digit', '/api/v1/companies?q=%4'],
    ['% with one hex digit, then more', '/api/v1/companies?q=%4&limit=5'],
    ['%zz in a key', '/api/v1/companies?%zz=1'],
    ['invalid UTF-8 %ff', '/api/v1/companies?q=%ff'],
    ['overlong UTF-8', '/api/v1/companies?q=%C0%AF'],
    ['encoded surrogate', '/api/v1/companies?q=%ED%A0%80'],
    ['NUL in a value', '/api/v1/companies?q=a%00b'],
    ['NUL in a key', '/api/v1/companies?q%00=1'],
    ['%zz in the path', '/api/v1/companies/%zz'],
    ['lone % in the path', '/api/v1/companies/1%'],
    ['NUL in the path', '/api/v1/companies/1%00'],
    ['%zz in a cursor', '/api/v1/companies?cursor=%zz'],
  ]) {
    add(`bad percent-encoding: ${label}`, 'tokA', 'GET', p, undefined, 400);
  }

  // ---- integers in the query (run last: see `late`) ----
  for (const [label, actor, p] of [
    ['limit of 20 digits', 'tokA', '/api/v1/companies?limit=99999999999999999999'],
    ['limit of 19 digits (beyond int64)', 'tokA', '/api/v1/companies?limit=9999999999999999999'],
    ['owner_id just beyond int64', 'tokA', `/api/v1/companies?owner_id=${big}`],
    ['owner_id of 19 nines', 'tokA', '/api/v1/companies?owner_id=9999999999999999999'],
    ['negative limit beyond int64', 'tokA', '/api/v1/companies?limit=-9223372036854775809'],
    ['limit=+5 (a space)', 'tokA', '/api/v1/companies?limit=+5'],
    ['limit=5.0', 'tokA', '/api/v1/companies?limit=5.0'],
    ['limit=0x10', 'tokA', '/api/v1/companies?limit=0x10'],
    ['limit=-0', 'tokA', '/api/v1/companies?limit=-0'],
    ['limit of unicode digits', 'tokA', `/api/v1/companies?limit=${enc('５')}`],
    ['entity_id beyond int64', 'admin', '/api/v1/audit?entity_id=9999999999999999999'],
    ['team_id beyond int64', 'admin', '/api/v1/metrics/reps?team_id=9999999999999999999'],
    ['rep_id beyond int64', 'repA', `/api/v1/plans/${shanghaiDate(0)}?rep_id=9999999999999999999`],
    ['visits limit beyond int64', 'tokA', '/api/v1/companies/{cA}/visits?limit=9999999999999999999'],
    ['users team_id beyond int64', 'admin', '/api/v1/users?team_id=9999999999999999999'],
  ]) {
    addLate(`query integer: ${label}`, actor, 'GET', p, undefined, 400);
  }

  // ---- the computed views: their query parameters ----
  const views = [
    ['/api/v1/alerts', ['rep_id', 'team_id']],
    ['/api/v1/prospects', ['rep_id']],
    ['/api/v1/diagnosis', ['team_id']],
    ['/api/v1/leaderboard', ['team_id']],
    ['/api/v1/coaching', ['rep_id', 'team_id']],
    ['/api/v1/rhythm', ['team_id']],
    ['/api/v1/feed', ['team_id']],
    ['/api/v1/insights/discovery', ['team_id']],
    ['/api/v1/insights/conversion', ['team_id']],
    ['/api/v1/talent', ['team_id']],
  ];
  for (const [p, params] of views) {
    add(`view ${p}: unknown parameter`, 'admin', 'GET', `${p}?foo=1`, undefined, 400);
    add(`view ${p}: as_of not a date`, 'admin', 'GET', `${p}?as_of=2026-02-30`, undefined, 400);
    add(`view ${p}: as_of garbage`, 'admin', 'GET', `${p}?as_of=${enc("'; drop table visits; --")}`, undefined, 400);
    add(`view ${p}: as_of twice`, 'admin', 'GET', `${p}?as_of=2026-01-05&as_of=2026-01-06`, undefined, 400);
    add(`view ${p}: bad percent-encoding`, 'admin', 'GET', `${p}?as_of=%zz`, undefined, 400);
    if (params.includes('team_id')) {
      add(`view ${p}: team_id=abc`, 'admin', 'GET', `${p}?team_id=abc`, undefined, 400);
      addLate(`view ${p}: team_id beyond int64`, 'admin', 'GET', `${p}?team_id=9999999999999999999`, undefined, 400);
      add(`view ${p}: unknown team`, 'admin', 'GET', `${p}?team_id=999999`, undefined, 404);
      add(`view ${p}: another org's team`, 'org2', 'GET', `${p}?team_id={team}`, undefined, 404);
    }
    if (params.includes('rep_id')) {
      add(`view ${p}: rep_id=abc`, 'admin', 'GET', `${p}?rep_id=abc`, undefined, 400);
      addLate(`view ${p}: rep_id beyond int64`, 'admin', 'GET', `${p}?rep_id=9999999999999999999`, undefined, 400);
      add(`view ${p}: another rep's rep_id`, 'tokA', 'GET', `${p}?rep_id={repB}`, undefined, 404);
      add(`view ${p}: another org's rep_id`, 'org2', 'GET', `${p}?rep_id={repA}`, undefined, 404);
    }
  }
  add('leaderboard: unknown period', 'admin', 'GET', '/api/v1/leaderboard?period=year', undefined, 400);
  add('leaderboard: unknown metric', 'admin', 'GET', '/api/v1/leaderboard?metric=password_hash', undefined, 400);
  add('alerts: unknown kind', 'admin', 'GET', '/api/v1/alerts?kind=everything', undefined, 400);
  add('prospects: limit 0', 'admin', 'GET', '/api/v1/prospects?limit=0', undefined, 400);
  for (const [label, id] of [['another rep\'s company', '{cB}'], ['another org\'s company', '{cZ}'], ['non-numeric id', 'abc'], ['unknown id', '999999']]) {
    add(`fit: ${label}`, 'tokA', 'GET', `/api/v1/companies/${id}/fit`, undefined, 404);
  }

  // ---- routes and methods ----
  add('unknown route', 'tokA', 'GET', '/api/v1/nothing-here', undefined, 404);
  add('unknown API version', 'tokA', 'GET', '/api/v2/companies', undefined, 404);
  add('unknown route, anonymous', 'anon', 'GET', '/api/v1/nothing-here', undefined, 404);
  add('wrong method on a collection', 'tokA', 'DELETE', '/api/v1/companies', undefined, 405);
  add('wrong method on an item', 'tokA', 'POST', '/api/v1/companies/{cA}', { name: 'x' }, 405);
  add('wrong method on /me', 'tokA', 'DELETE', '/api/v1/me', undefined, 405);
  add('PUT on a PATCH route', 'tokA', 'PUT', '/api/v1/companies/{cA}', { version: 1 }, 405);

  // ---- auth-ish bad input ----
  add('bearer token with Latin-1 bytes', 'anon', 'GET', '/api/v1/me', { headers: { authorization: 'Bearer tj_\u00ff\u00fe\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9' } }, 401);
  add('bearer token with quotes and semicolons', 'anon', 'GET', '/api/v1/me', { headers: { authorization: "Bearer tj_'; DROP TABLE api_tokens; --" } }, 401);
  add('bearer token of 10000 characters', 'anon', 'GET', '/api/v1/me', { headers: { authorization: 'Bearer ' + 'a'.repeat(10000) } }, 401);
  add('two session cookies, one garbage', 'anon', 'GET', '/api/v1/me', { headers: { cookie: 'tj_session=zzz; tj_session=yyy' } }, 401);

  // ---- run the table ----
  const run = (c) =>
    test(`${c.name} -> ${c.status}`, async () => {
      const srv = ctx.srv;
      const actor = who[c.actor];
      const path = sub(c.path);
      let res;
      if (c.body && (c.body.raw !== undefined || c.body.headers)) {
        let raw = typeof c.body.raw === 'function' ? c.body.raw() : c.body.raw;
        if (typeof raw === 'string') raw = sub(raw);
        else if (Buffer.isBuffer(raw)) raw = Buffer.from(sub(raw.toString('latin1')), 'latin1');
        res = await actor.req(c.method, path, undefined, { raw, headers: c.body.headers });
      } else if (c.body !== undefined) {
        res = await actor.req(c.method, path, fill(c.body));
      } else {
        res = await actor.req(c.method, path);
      }
      expectStatus(res, c.status, c.name);
    });
  for (const c of cases) run(c);

  // ---- raw HTTP edge cases fetch cannot send ----
  // The request is written and the socket left open (Connection: close ends it): a client that
  // half-closes its side has hung up (README, deadlines), so only the truncated body does that.
  function rawRequest(text, halfClose = false) {
    return new Promise((resolve, reject) => {
      const port = Number(new URL(ctx.srv.base).port);
      const s = net.connect(port, '127.0.0.1');
      const chunks = [];
      s.on('data', (d) => chunks.push(d));
      s.on('error', reject);
      s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      s.setTimeout(5000, () => s.destroy());
      if (halfClose) s.end(text);
      else s.write(text);
    });
  }
  const rawCases = [
    ['raw 0xff byte in the path', () => Buffer.concat([Buffer.from('GET /api/v1/companies/'), Buffer.from([0xff]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${who.tokA.token}\r\nConnection: close\r\n\r\n`)]), [400, 404]],
    ['raw UTF-8 in the path', () => Buffer.concat([Buffer.from('GET /api/v1/companies/'), Buffer.from('一', 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${who.tokA.token}\r\nConnection: close\r\n\r\n`)]), [400, 404]],
    ['raw 0xff byte in the query', () => Buffer.concat([Buffer.from('GET /api/v1/companies?q='), Buffer.from([0xff]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${who.tokA.token}\r\nConnection: close\r\n\r\n`)]), [400]],
    ['request line of 20000 characters', `GET /api/v1/companies?q=${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, [414, 431, 400]],
    ['a header of 20000 characters', `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\nConnection: close\r\n\r\n`, [431, 400]],
    ['garbage request line', 'HELLO WORLD\r\n\r\n', [400]],
    ['bad Content-Length', 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}', [400]],
    ['body shorter than Content-Length', 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{}', []],
  ];
  for (const [label, text, statuses] of rawCases) {
    test(`raw HTTP: ${label} -> ${statuses.join('/') || 'no answer or 4xx'}`, async () => {
      const out = await rawRequest(typeof text === 'function' ? text() : text, statuses.length === 0);
      const m = out.match(/^HTTP\/1\.[01] (\d{3})/);
      if (!m) {
        assert.equal(statuses.length, 0, `no HTTP answer: ${JSON.stringify(out.slice(0, 200))}`);
        return;
      }
      const st = Number(m[1]);
      assert.ok(st < 500, `5xx: ${out.slice(0, 300)}`);
      if (statuses.length) assert.ok(statuses.includes(st), `status ${st}: ${out.slice(0, 300)}`);
      else assert.ok(st >= 400, out.slice(0, 300));
      const body = out.slice(out.indexOf('\r\n\r\n') + 4);
      const j = JSON.parse(body);
      assert.equal(typeof j.error.code, 'string');
      assert.equal(typeof j.error.message, 'string');
    });
  }

  test('after all that, the data is intact', async () => {
    const a = expectStatus(await who.admin.get(`/api/v1/companies/${ids.cA}`), 200);
    assert.equal(a.name, '甲的公司');
    assert.equal(a.visit_count, 0);
    assert.equal(a.status, 'prospect');
    const b = expectStatus(await who.repB.get(`/api/v1/companies/${ids.cB}`), 200);
    assert.equal(b.name, '乙的公司');
    const z = expectStatus(await who.org2.get(`/api/v1/companies/${ids.cZ}`), 200);
    assert.equal(z.name, '外租户公司');
    const s = expectStatus(await who.admin.get('/api/v1/settings'), 200);
    assert.equal(s.version, 1, 'settings untouched');
    const l = expectStatus(await who.admin.get('/api/v1/companies?limit=200'), 200);
    // ('查询参数公司' is the unknown-query-parameter case; it fails on its own if created)
    const names = l.items.map((c) => c.name).filter((n) => n !== '查询参数公司').sort();
    assert.deepEqual(names, ['乙的公司', '甲的公司'].sort(), 'no company was created by bad input');
  });

  for (const c of late) run(c);

  test('the server still answers after all of that', async () => {
    expectStatus(await who.tokA.get('/api/v1/me'), 200);
    expectStatus(await who.admin.get(`/api/v1/companies/${ids.cA}`), 200);
    expectStatus(await who.tokA.post('/api/v1/companies', { name: '最后的公司' }), 201, 'writes still work');
  });

  no5xxTest(test, ctx);
});
