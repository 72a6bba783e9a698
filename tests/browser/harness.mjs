// Starts the REAL tiejun binary on a loopback port with a fresh database made by
// `tiejun init`, and seeds it over the API. No browser download: Debian's
// /usr/bin/chromium is driven by playwright-core.
//
//   TIEJUN_BIN      the binary (default build/release/tiejun, relative to the repo root)
//   TIEJUN_WEB_DIR  serve the UI from this folder (e.g. web/dist) instead of the embedded copy
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'Tiejun-browser-pw-1';

function resolveFromRoot(p) {
  if (path.isAbsolute(p)) return p;
  const fromCwd = path.resolve(process.cwd(), p);
  return existsSync(fromCwd) ? fromCwd : path.resolve(REPO_ROOT, p);
}

export function binPath() {
  return resolveFromRoot(process.env.TIEJUN_BIN || 'build/release/tiejun');
}

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
});

for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

export class Server {
  async start() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'tiejun-browser-'));
    this.db = `sqlite:${this.dir}/t.db`;
    const pw = path.join(this.dir, 'pw');
    writeFileSync(pw, PASSWORD + '\n', { mode: 0o600 });
    execFileSync(binPath(), ['init', '--db', this.db, '--org', '铁军测试公司', '--admin', 'admin', '--password-file', pw], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const args = ['serve', '--db', this.db, '--listen', process.env.TIEJUN_TEST_LISTEN || '127.0.0.1:0'];
    if (process.env.TIEJUN_WEB_DIR) args.push('--web-dir', resolveFromRoot(process.env.TIEJUN_WEB_DIR));
    const child = spawn(binPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    children.add(child);
    this.stderr = '';
    child.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-50000)));
    this.base = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('tiejun serve printed no banner: ' + out + this.stderr)), 20000);
      const on = (d) => {
        out += d;
        const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
        if (m) {
          clearTimeout(timer);
          child.stdout.off('data', on);
          child.stdout.resume();
          resolve(m[1]);
        }
      };
      child.stdout.on('data', on);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tiejun serve exited (${code}): ${out}${this.stderr}`));
      });
    });
    return this;
  }

  async stop() {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const done = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
    }
    children.delete(c);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async login(username, password = PASSWORD) {
    const r = await fetch(this.base + '/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await r.json();
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(body)}`);
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('tj_session='));
    return new Client(this.base, cookie, body.csrf_token, body.user);
  }
}

export class Client {
  constructor(base, cookie, csrf, user) {
    Object.assign(this, { base, cookie, csrf, user });
  }
  async req(method, p, body) {
    const headers = { cookie: this.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(this.base + '/api/v1' + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
  async ok(method, p, body) {
    const r = await this.req(method, p, body);
    if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

/** Today in Asia/Shanghai (the organisation's default zone), YYYY-MM-DD. */
export function shanghaiDate(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600000 + offsetDays * 86400000).toISOString().slice(0, 10);
}

/** An ISO time in Asia/Shanghai `daysAgo` days back at hh:mm local, never in the future. */
export function shanghaiTime(daysAgo, hh = 10, mm = 0) {
  const day = shanghaiDate(-daysAgo);
  const iso = `${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`;
  return Date.parse(iso) > Date.now() - 60000 ? new Date(Date.now() - 120000).toISOString().replace(/\.\d+Z$/, 'Z') : iso;
}

export const XSS_NAME = '<img src=x onerror=alert(1)>';

/**
 * A small team: admin; team 华东一组 managed by 王主管 (wang); reps 李娜 (lina) and 赵强 (zhaoq).
 * Companies for lina, one of them ready to become effective (need + budget known, payer not yet met),
 * a time sink for zhaoq (visited last month and twice this month), zhaoq's evening share, and a
 * company whose stored name is an HTML payload.
 */
export async function seed(srv) {
  const admin = await srv.login('admin');
  const team = await admin.ok('POST', '/teams', { name: '华东一组' });
  const mk = (username, display_name, role, extra = {}) =>
    admin.ok('POST', '/users', { username, display_name, role, team_id: team.id, password: PASSWORD, hire_date: '2025-03-03', ...extra });
  const wang = await mk('wang', '王主管', 'manager');
  await admin.ok('PATCH', `/teams/${team.id}`, { manager_id: wang.id });
  const lina = await mk('lina', '李娜', 'rep', { selling_style: 'driver' });
  const zhaoq = await mk('zhaoq', '赵强', 'rep');
  const rl = await srv.login('lina');
  const rz = await srv.login('zhaoq');

  const co = (c, f) => c.ok('POST', '/companies', f);
  const ready = await co(rl, { name: '杭州云帆科技有限公司', industry: '软件', industry_rank: 5, region: '杭州', budget_capacity: 50000000, source: 'referral', competitor: '纷享销客' });
  // The first meeting established need and budget; the payer was not there.
  await rl.ok('POST', '/visits', { company_id: ready.id, kind: 'visit', duration_min: 45, need: true, budget: true, met_payer: false, at: shanghaiTime(2), interest_reason: '同行推荐' });
  const others = [];
  for (const [name, industry, rank, region] of [
    ['宁波海运物流集团', '物流', 3, '宁波'],
    ['苏州精工制造股份', '制造', 12, '苏州'],
    ['上海晨光教育科技', '教育', 7, '上海'],
    ['温州瓯江食品有限公司', '食品', 2, '温州'],
  ])
    others.push(await co(rl, { name, industry, industry_rank: rank, region, budget_capacity: 20000000 + rank * 1000000, source: 'ad' }));
  const xss = await co(rl, { name: XSS_NAME, industry: '咨询', region: '<b>bold</b>' });
  const signedRef = await co(rl, { name: '杭州数澜网络科技', industry: '软件', industry_rank: 4, region: '杭州', budget_capacity: 80000000, source: 'competitor' });
  await rl.ok('POST', '/visits', { company_id: signedRef.id, kind: 'visit', duration_min: 60, need: true, budget: true, met_payer: true, at: shanghaiTime(20) });
  await rl.ok('POST', '/deals', { company_id: signedRef.id, amount: 12345600, signed_on: shanghaiDate(-19) });
  await rl.ok('POST', '/visits', { company_id: others[0].id, kind: 'call', duration_min: 15, need: true, at: shanghaiTime(1) });

  // zhaoq: a time sink (SPEC §3 (a)): first visited 35 days ago (at least time_sink_age_days, 30),
  // then twice within the last 30 days, still not effective.
  const sink = await co(rz, { name: '常州恒远化工有限公司', industry: '化工', industry_rank: 9, region: '常州', budget_capacity: 30000000, source: 'cold' });
  const today = shanghaiDate();
  await rz.ok('POST', '/visits', { company_id: sink.id, kind: 'visit', duration_min: 60, need: true, at: shanghaiTime(35) });
  await rz.ok('POST', '/visits', { company_id: sink.id, kind: 'visit', duration_min: 60, at: shanghaiTime(1) });
  await rz.ok('POST', '/visits', { company_id: sink.id, kind: 'visit', duration_min: 30, at: shanghaiTime(0, 9, 0) });
  const zNew = await co(rz, { name: '无锡蓝天环保科技', industry: '能源', industry_rank: 6, region: '无锡', budget_capacity: 40000000, source: 'exhibition' });
  await rz.ok('POST', '/visits', { company_id: zNew.id, kind: 'visit', duration_min: 40, need: true, budget: true, met_payer: true, at: shanghaiTime(0, 9, 30), attraction: '自动化报表' });
  await rz.ok('PUT', `/plans/${today}`, { company_ids: [sink.id, zNew.id], goal: '拿下无锡蓝天，推进恒远见老板', visits_planned: 5 });
  await rz.ok('PUT', `/reviews/${today}`, { wins: '无锡蓝天见到了总经理，当场确认预算', problems: '恒远化工还是见不到老板', help_wanted: '希望王主管明天陪访恒远化工' });

  // The public pool (公海): enough companies that the customer list pages.
  for (let i = 1; i <= 24; i++)
    await admin.ok('POST', '/companies', { name: `公海客户${String(i).padStart(2, '0')}号贸易公司`, industry: '零售', industry_rank: 20 + i, region: '南京', owner_id: null });

  // Values assessments and a training record (the method engine's people endpoints), when present.
  const rw = await srv.login('wang');
  const six = (n) => ({ customer_first: n, teamwork: n, embrace_change: n, integrity: 5, passion: n, dedication: n });
  const v1 = await rw.req('POST', '/values', { user_id: lina.id, period: '2026-Q4', ...six(4), comment: '客户第一，执行力强' });
  if (v1.status === 201) {
    await rw.ok('POST', '/values', { user_id: zhaoq.id, period: '2026-Q4', ...six(2), comment: '需要加强团队合作' });
    await rw.ok('POST', '/training', { user_id: zhaoq.id, kind: 'skills', title: '如何找到买单人', date: shanghaiDate(-3), hours: 2 });
  }

  return { team, wang, lina, zhaoq, ready, xss, sink, others, signedRef };
}
