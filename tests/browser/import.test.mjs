// The acceptance case of issue 6 through the web UI: a real-looking 10,000-row
// GBK CSV as Chinese Excel saves it (bench/import/gen_companies.py, which also
// predicts the exact report) is previewed and imported on the Import page with
// the progress bar, the report matches the file row for row, and importing it
// again changes nothing. Screenshots go to test-artifacts/screenshots/.
//
//   node --test --test-concurrency=1 tests/browser/import.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Server, PASSWORD, REPO_ROOT } from './harness.mjs';
import { SHOTS, DESKTOP, launchChromium, newPage, login } from './browser.mjs';

const GEN = path.join(REPO_ROOT, 'bench', 'import', 'gen_companies.py');

let srv;
let browser;
let gen;
const problems = [];

async function newDesktopPage() {
  const page = await newPage(browser, problems, DESKTOP, 'zh', { timeout: 30000 });
  // Remembers whether the import progress bar ever showed (it may come and go between two polls of the test).
  await page.context().addInitScript(() => {
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=import-progress]')) window.__sawProgress = true;
    }).observe(document, { childList: true, subtree: true });
  });
  return page;
}

/** The five numbers of the report card, as the page shows them. */
async function shownCounts(page) {
  const card = page.getByTestId('import-card');
  const out = {};
  for (const [key, label] of [['rows', '总行数'], ['created', '新增'], ['updated', '更新'], ['unchanged', '未变'], ['rejected', '拒绝']]) {
    const v = await card.locator('.ant-statistic').filter({ has: page.locator('.ant-statistic-title', { hasText: new RegExp(`^${label}$`) }) }).locator('.ant-statistic-content-value').innerText();
    out[key] = Number(v.replace(/[^\d]/g, ''));
  }
  return out;
}

async function importThroughPage(page, { expectApplied }) {
  const card = page.getByTestId('import-card');
  await card.locator('input[type=file]').setInputFiles(gen.file);
  await card.getByText('跳过错误行，导入其余行').click();
  await page.getByRole('button', { name: '预览', exact: true }).click();
  await card.getByRole('columnheader', { name: '对应字段' }).waitFor();
  const preview = await shownCounts(page);
  await page.getByRole('button', { name: '确认导入', exact: true }).click();
  await card.locator('.ant-result-title').waitFor({ timeout: 60000 });
  const title = await card.locator('.ant-result-title').innerText();
  const done = await shownCounts(page);
  return { preview, done, title, expectApplied };
}

describe('import through the web UI', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    srv = await new Server().start();
    const admin = await srv.login('admin');
    const team = await admin.ok('POST', '/teams', { name: '导入组' });
    for (const [u, n] of [['im_rep1', '张伟'], ['im_rep2', '李娜']])
      await admin.ok('POST', '/users', { username: u, display_name: n, role: 'rep', team_id: team.id, password: PASSWORD });
    const out = path.join(srv.dir, '客户名单-GBK.csv');
    const exp = path.join(srv.dir, 'expect.json');
    const r = spawnSync('python3', [GEN, '--rows', '10000', '--encoding', 'gbk', '--owners', 'im_rep1,im_rep2', '--out', out, '--expect', exp], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    gen = { file: out, expect: JSON.parse(readFileSync(exp, 'utf8')) };
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('a 10,000-row GBK CSV: preview and import report exactly what the file holds; a re-import changes nothing', { timeout: 180000 }, async () => {
    const e = gen.expect;
    const admin = await srv.login('admin');
    const page = await newDesktopPage();
    await login(page, srv.base, 'admin', { at: '/data' });
    await page.getByTestId('page-data').waitFor();

    const first = await importThroughPage(page, { expectApplied: true });
    const want = { rows: e.rows, created: e.created, updated: e.updated, unchanged: e.unchanged, rejected: e.rejected };
    assert.deepEqual(first.preview, want, 'the preview is the exact report');
    assert.deepEqual(first.done, want, 'the import did what the preview said');
    assert.equal(first.title, `已导入 ${e.rows - e.rejected} 行`);
    const rejects = await page.getByTestId('import-card').locator('li').count();
    assert.equal(rejects, e.rejected_rows.length, 'every rejected row is listed with its reason');
    assert.equal(await page.getByTestId('import-card').locator('li').first().innerText().then((s) => s.startsWith(`第 ${e.rejected_rows[0]} 行`)), true);
    const info = await page.getByTestId('import-card').locator('.ant-descriptions').innerText();
    assert.match(info, /gb18030/i, 'the encoding was detected as GBK/GB18030');
    await page.screenshot({ path: path.join(SHOTS, 'import-gbk-10k-done-1440x900.png'), fullPage: true });
    // Turning a phone (or narrowing the window) switches the shell to the phone layout:
    // the page stays mounted, and the report with it.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('tabbar').waitFor();
    assert.equal(await page.getByTestId('import-card').locator('.ant-result-title').innerText(), first.title, 'the report survives the layout switch');
    await page.screenshot({ path: path.join(SHOTS, 'import-gbk-10k-done-390x844.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('page-title').waitFor();
    assert.equal(await page.getByTestId('import-card').locator('.ant-result-title').count(), 1);

    // The companies are really there, as many as the file names.
    let n = 0;
    for (let cursor = ''; ; ) {
      const r = await admin.ok('GET', `/companies?limit=200${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      n += r.items.length;
      if (!r.next_cursor) break;
      cursor = r.next_cursor;
    }
    assert.equal(n, e.companies);
    assert.equal(await page.evaluate(() => window.__sawProgress === true), true, 'the progress bar showed during the import');

    // Again: nothing created, nothing updated.
    await page.getByRole('button', { name: '再导入一个文件', exact: true }).click();
    const again = await importThroughPage(page, { expectApplied: true });
    assert.deepEqual(again.done, { rows: e.rows, created: 0, updated: 0, unchanged: e.rows - e.rejected, rejected: e.rejected });
    await page.context().close();
    assert.deepEqual(problems, []);
  });

  test('the progress endpoint is the caller\'s own: another user gets 404, a bad id 400', async () => {
    const admin = await srv.login('admin');
    const rep = await srv.login('im_rep1');
    const body = '公司名称,地区\n进度测试有限公司,杭州\n';
    const r = await fetch(srv.base + '/api/v1/imports?progress_id=mine-12345678', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'text/csv' },
      body,
    });
    assert.equal(r.status, 200, await r.text());
    const p = await admin.ok('GET', '/imports/progress?id=mine-12345678');
    assert.equal(p.finished, true);
    assert.equal(p.phase, 'done');
    assert.equal((await rep.req('GET', '/imports/progress?id=mine-12345678')).status, 404);
    assert.equal((await admin.req('GET', '/imports/progress?id=x')).status, 400);
    assert.equal((await admin.req('GET', '/imports/progress?id=mine-12345678&x=1')).status, 400);
  });
});
