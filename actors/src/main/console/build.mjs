// Bundles the console's pages with esbuild: one module per page and the shared chunk (ECharts,
// tree-shaken to the parts imported in src/charts.js), written with the static files into the module's classes/console/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
// What the case pages (account, campaign) share is written once, in partials/: a page names a
// partial with <!-- include NAME key=value ... --> on a line of its own, and gets the partial with
// each {{key}} replaced by its value.
const include = /^[ \t]*<!-- include (\S+)((?: \w+=\S+)*) -->\n/gm;
function expand(html) {
  return html.replace(include, (_, name, args) => {
    let part = readFileSync(join('partials', name), 'utf8');
    for (const [, key, value] of args.matchAll(/ (\w+)=(\S+)/g)) {
      part = part.replaceAll(`{{${key}}}`, value);
    }
    if (part.includes('{{')) {
      throw new Error(`${name}: a {{key}} was not given`);
    }
    return part;
  });
}
for (const f of readdirSync('static')) {
  if (f.endsWith('.html')) {
    writeFileSync(join(out, f), expand(readFileSync(join('static', f), 'utf8')));
  } else {
    cpSync(join('static', f), join(out, f));
  }
}
