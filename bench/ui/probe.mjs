// What a page's first load spends, for finding the causes behind a Lighthouse score
// (bench/ui/lighthouse.mjs): Lighthouse 12 cannot name the LCP element or the shifting
// nodes with current Debian chromium (its TraceElements gatherer fails), so this opens the
// page in the same chromium at the mobile preset's size and 4x CPU slowdown and prints
//   - each layout shift with the nodes that moved,
//   - the LCP candidates (element, size, time),
//   - long tasks, every request (time, size, status),
//   - with PROBE_TRACE=1, each main-thread task over 12.5 ms unthrottled (what Lighthouse, which
//     multiplies by 4, counts as long) with what it spent its time on (run with PROBE_CPU=1),
//   - with PROBE_PROFILE=1, the CPU profile's self time by function (build the UI with
//     `npx vite build --minify false` first to get readable names).
//
//   node bench/ui/probe.mjs http://127.0.0.1:34202 /today rep1
//
// Environment: CHROME_PATH (default /usr/bin/chromium), PROBE_CPU (slowdown, default 4).
import puppeteer from 'puppeteer-core';

const [base, path = '/', user] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/ui/probe.mjs BASE_URL [PATH] [USER]');
  process.exit(2);
}
const CPU = Number(process.env.PROBE_CPU || 4);

async function cookieFor(username) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'tiejun-demo' }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  const c = r.headers.getSetCookie().map((x) => x.split(';')[0]).find((x) => x.startsWith('tj_session='));
  return c.split('=')[1];
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  if (user) await page.setCookie({ name: 'tj_session', value: await cookieFor(user), url: base });
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  await page.evaluateOnNewDocument(() => {
    const describe = (n) => {
      if (!n) return '(none)';
      if (n.nodeType !== 1) n = n.parentElement;
      if (!n) return '(text)';
      const cls = typeof n.className === 'string' ? n.className.split(' ').slice(0, 3).join('.') : '';
      const tid = n.closest('[data-testid]')?.getAttribute('data-testid');
      return `${n.tagName.toLowerCase()}${cls ? '.' + cls : ''}${tid ? ` [in ${tid}]` : ''} "${(n.textContent || '').trim().slice(0, 40)}"`;
    };
    window.__probe = { shifts: [], lcp: [], long: [] };
    new PerformanceObserver((l) => {
      for (const e of l.getEntries())
        window.__probe.shifts.push({
          t: Math.round(e.startTime),
          v: e.value,
          input: e.hadRecentInput,
          src: (e.sources || []).map((s) => `${describe(s.node)} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`),
        });
    }).observe({ type: 'layout-shift', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__probe.lcp.push({ t: Math.round(e.startTime), size: e.size, el: describe(e.element) });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__probe.long.push({ t: Math.round(e.startTime), d: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  });
  const reqs = [];
  const t0 = Date.now();
  page.on('requestfinished', async (r) => {
    const res = r.response();
    let size = 0;
    try {
      size = (await res.buffer()).length;
    } catch {
      /* redirects */
    }
    reqs.push({ t: Date.now() - t0, status: res.status(), size, url: r.url().replace(base, '') });
  });
  if (process.env.PROBE_PROFILE === '1') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  if (process.env.PROBE_TRACE === '1')
    await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'] });
  await page.goto(base + path, { waitUntil: 'networkidle0' });
  await new Promise((r) => setTimeout(r, 1500));
  const probe = await page.evaluate(() => window.__probe);
  if (process.env.PROBE_TRACE === '1') {
    const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8'));
    const ev = trace.traceEvents;
    const nav = ev.find((e) => e.name === 'navigationStart' || e.name === 'NavigationStartToFirstContentfulPaint');
    // The page's renderer: of the CrRendererMain threads, the busiest.
    const mains = ev.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const busy = (m) => ev.reduce((s, e) => s + (e.pid === m.pid && e.tid === m.tid && e.name === 'RunTask' ? e.dur || 0 : 0), 0);
    const main = mains.sort((a, b) => busy(b) - busy(a))[0];
    const mine = ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
    const tasks = mine.filter((e) => e.name === 'RunTask' && e.dur > 12500);
    const t0 = nav ? nav.ts : tasks[0]?.ts ?? 0;
    console.log(`main-thread tasks over 12.5 ms (x4 = Lighthouse's 50 ms): ${tasks.length}, ${(tasks.reduce((s, t) => s + t.dur, 0) / 1000).toFixed(0)} ms`);
    for (const t of tasks) {
      const kids = mine.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
      const by = new Map();
      for (const k of kids) {
        if (!['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'ParseAuthorStyleSheet', 'UpdateLayoutTree', 'Layout', 'Paint', 'ParseHTML', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'MajorGC', 'MinorGC', 'HitTest', 'PrePaint', 'Layerize', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'V8.GC_MC_BACKGROUND_MARKING'].includes(k.name)) continue;
        const url = (k.args?.data?.url || k.args?.data?.functionName || '').replace(/^.*\//, '');
        const key = `${k.name}${url ? ' ' + url : ''}`;
        by.set(key, (by.get(key) || 0) + k.dur / 1000);
      }
      const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' | ');
      console.log(`  at ${((t.ts - t0) / 1000).toFixed(0)} ms: ${(t.dur / 1000).toFixed(1)} ms  ${top}`);
    }
  }
  console.log('requests (ms since navigation, status, bytes):');
  for (const q of reqs.sort((a, b) => a.t - b.t)) console.log(`  ${String(q.t).padStart(5)} ${q.status} ${String(q.size).padStart(7)} ${q.url}`);
  console.log('LCP candidates:');
  for (const l of probe.lcp) console.log(`  ${l.t} ms size ${l.size} ${l.el}`);
  console.log(`layout shifts (total ${probe.shifts.filter((s) => !s.input).reduce((s, x) => s + x.v, 0).toFixed(3)}):`);
  for (const s of probe.shifts) {
    console.log(`  ${s.t} ms ${s.v.toFixed(4)}${s.input ? ' (after input)' : ''}`);
    for (const x of s.src) console.log(`      ${x}`);
  }
  console.log(`long tasks (${probe.long.length}, ${probe.long.reduce((s, x) => s + Math.max(0, x.d - 50), 0)} ms over 50 ms):`);
  console.log('  ' + probe.long.map((l) => `${l.t}+${l.d}`).join(' '));
  if (process.env.PROBE_PROFILE === '1') {
    const { profile } = await cdp.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    const dt = profile.timeDeltas;
    for (let i = 0; i < profile.samples.length; i++) {
      const n = byId.get(profile.samples[i]);
      const f = n.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`;
      self.set(key, (self.get(key) || 0) + (dt[i] || 0) / 1000);
    }
    const byFile = new Map();
    for (const [k, v] of self) {
      const file = k.split(' ')[1].split(':')[0] || '(native)';
      byFile.set(file, (byFile.get(file) || 0) + v);
    }
    console.log('CPU self time by file (ms, throttled):');
    for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${v.toFixed(0).padStart(6)} ${k}`);
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
    const incl = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const seen = new Set();
      for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id).callFrame;
        if (!f.functionName || seen.has(f.functionName)) continue;
        seen.add(f.functionName);
        incl.set(f.functionName, (incl.get(f.functionName) || 0) + (dt[i] || 0) / 1000);
      }
    }
    console.log('CPU inclusive time by function name (ms, throttled):');
    for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${v.toFixed(0).padStart(6)} ${k}`);
    console.log('CPU self time by function (ms, throttled):');
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${v.toFixed(0).padStart(6)} ${k}`);
  }
} finally {
  await browser.close();
}
