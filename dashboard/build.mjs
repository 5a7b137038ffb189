// Bundles the dashboard into ../server/wwwroot, which is committed so the server serves it without Node.js.
// `npm run check` builds into a temporary folder instead and fails when the committed bundle differs from what the
// sources and the lockfile produce, so the bundle can never drift from its sources unnoticed.
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const committed = new URL('../server/wwwroot/', import.meta.url).pathname;
const checking = process.argv.includes('--check');
const out = checking ? await mkdtemp(join(tmpdir(), 'workforce-dashboard-')) : committed;

await build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  outdir: out,
  logLevel: 'warning',
});
await build({
  entryPoints: { app: 'src/styles.css' },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
await cp('src/index.html', join(out, 'index.html'));

if (checking) {
  const differing = [];
  const names = new Set([...(await readdir(out)), ...(await readdir(committed))]);
  for (const name of names) {
    const [built, shipped] = await Promise.all([join(out, name), join(committed, name)].map((path) => readFile(path).catch(() => null)));
    if (!built || !shipped || !built.equals(shipped)) differing.push(name);
  }
  await rm(out, { recursive: true });
  if (differing.length > 0) {
    console.error(`server/wwwroot is out of date (${differing.join(', ')}); run: npm --prefix dashboard run build`);
    process.exit(1);
  }
  console.log('server/wwwroot matches the dashboard sources.');
}
