// What each page downloads before its first screen: the static import closure of the entry,
// the shell (Authed) and the page's chunk, with gzip sizes, from a build's manifest.
//   (cd web && npx vite build --manifest) && node bench/ui/chunks.mjs [web/dist]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const dist = path.resolve(process.argv[2] || 'web/dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 6 }).length;
const byFile = Object.fromEntries(Object.entries(manifest).map(([k, v]) => [k, v]));

function closure(keys) {
  const seen = new Set();
  const css = new Set();
  const walk = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const c of byFile[k].css ?? []) css.add(c);
    for (const i of byFile[k].imports ?? []) walk(i);
  };
  keys.forEach(walk);
  return { js: [...seen].map((k) => byFile[k].file), css: [...css] };
}

const entry = Object.keys(byFile).find((k) => byFile[k].isEntry);
const authed = Object.keys(byFile).find((k) => k.endsWith('src/Authed.tsx'));
const pages = Object.keys(byFile).filter((k) => /src\/pages\/[A-Za-z]+\.tsx$/.test(k));
const base = closure([entry]);
const baseKiB = [...base.js, ...base.css].reduce((s, f) => s + gz(f), 0) / 1024;
console.log(`entry (login): ${baseKiB.toFixed(0)} KiB gz`);
const sh = closure([entry, authed]);
console.log(`entry + shell: ${([...sh.js, ...sh.css].reduce((s, f) => s + gz(f), 0) / 1024).toFixed(0)} KiB gz`);
for (const p of pages) {
  const c = closure([entry, authed, p]);
  const files = [...c.js, ...c.css].map((f) => [f, gz(f)]).sort((a, b) => b[1] - a[1]);
  const total = files.reduce((s, [, n]) => s + n, 0) / 1024;
  console.log(`${path.basename(p, '.tsx').padEnd(14)} ${total.toFixed(0).padStart(4)} KiB gz, ${files.length} files; largest: ${files.slice(0, 6).map(([f, n]) => `${path.basename(f)} ${(n / 1024).toFixed(0)}`).join(', ')}`);
}
