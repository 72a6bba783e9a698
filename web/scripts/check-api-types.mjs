// The contract from C++ to TypeScript, checked before every web build (npm run build):
//  1. docs/openapi.json is what scripts/openapi/gen_openapi.py generates (it reads the
//     route table in src/http/api.cpp);
//  2. web/src/api/schema.d.ts is what openapi-typescript generates from it (run
//     `npm run gen:api` and commit the result).
// Then `tsc` fails wherever the UI does not follow the API (web/src/api.ts aliases the
// generated types).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const spec = path.resolve(here, '../../docs/openapi.json');
const out = path.resolve(here, '../src/api/schema.d.ts');
const tmp = mkdtempSync(path.join(tmpdir(), 'tj-openapi-'));
try {
  execFileSync('python3', [path.resolve(here, '../../scripts/openapi/gen_openapi.py'), path.join(tmp, 'openapi.json')], { stdio: 'pipe' });
  if (readFileSync(path.join(tmp, 'openapi.json'), 'utf8') !== readFileSync(spec, 'utf8')) {
    console.error('docs/openapi.json is stale: run python3 scripts/openapi/gen_openapi.py docs/openapi.json and commit it');
    process.exit(1);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const ast = await openapiTS(JSON.parse(readFileSync(spec, 'utf8')));
const want = astToString(ast);
const have = readFileSync(out, 'utf8');
const norm = (s) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();  // the generator's banner may differ
if (norm(want) !== norm(have)) {
  const a = norm(want).split('\n'), b = norm(have).split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  console.error(`web/src/api/schema.d.ts is stale against docs/openapi.json (first difference at line ${i + 1}):`);
  console.error(`  generated: ${a[i] ?? '(end)'}\n  checked in: ${b[i] ?? '(end)'}`);
  console.error('run: (cd web && npm run gen:api) and commit web/src/api/schema.d.ts');
  process.exit(1);
}
console.log('web/src/api/schema.d.ts matches docs/openapi.json');
