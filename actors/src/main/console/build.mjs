// Bundles the console's pages with esbuild: one module per page and the shared chunk (ECharts,
// tree-shaken to the parts imported in src/charts.js), written with the static files into the module's classes/console/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? '../../../target/classes/console';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { cases: 'src/cases.js', account: 'src/account.js', campaign: 'src/campaign.js' },
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  target: ['es2020'],
  legalComments: 'linked',
  outdir: out,
  logLevel: 'warning',
});
for (const f of readdirSync('static')) {
  cpSync(join('static', f), join(out, f));
}
