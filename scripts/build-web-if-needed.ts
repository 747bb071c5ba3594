// Builds the UI into dist/web unless the build there is newer than every file it is made from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(root, 'dist/web/index.html');
// The UI is made from these; the contracts are shared with the server.
const sources = ['src/web', 'src/contracts', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export async function buildWebIfNeeded(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  const sourceTime = Math.max(...sources.map((s) => join(root, s)).filter(existsSync).map(newestMtime));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourceTime) {
    log('build-web-if-needed: dist/web is up to date');
    return;
  }
  log('build-web-if-needed: building the UI into dist/web');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWebIfNeeded().catch((error: unknown) => {
    console.error('build-web-if-needed: the UI build FAILED', error);
    process.exit(1);
  });
}
