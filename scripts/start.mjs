#!/usr/bin/env node
// `npm start`: build the web app and the server bundle when they are missing or older than
// their sources, then run the server (plain JavaScript from dist/server) in this process.
// Honours PORT, DATA_DIR, DATABASE_URL and SMTP_URL.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(...dirs) {
  let t = 0;
  for (const dir of dirs) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
  }
  return t;
}

const stale = (file, ...dirs) => !existsSync(file) || statSync(file).mtimeMs < newest(...dirs.map((d) => join(root, d)));

if (stale(join(root, 'dist/web/index.html'), 'src/web', 'src/shared')) {
  console.log('Building the web app…');
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
if (stale(join(root, 'dist/server/main.js'), 'src/server', 'src/shared')) {
  execFileSync(process.execPath, [join(root, 'scripts/build-server.mjs')], { cwd: root, stdio: 'inherit' });
}

await import('../dist/server/main.js');
