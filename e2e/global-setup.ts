// Builds the UI if needed, starts the real server on a free port with a fresh demo database, stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildWebIfNeeded } from '../scripts/build-web-if-needed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, server: ChildProcess, logPath: string): Promise<void> {
  // The server loads the whole demo data before it answers: minutes on a loaded 2-core machine.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} before it was ready; see ${logPath}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer /api/health with 200 within 300 s; see ${logPath}`);
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const forced = setTimeout(() => server.kill('SIGKILL'), 15_000);
    server.once('exit', () => {
      clearTimeout(forced);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject) {
  await buildWebIfNeeded();

  const dataDir = mkdtempSync(join(tmpdir(), 'bindeled-e2e-'));
  const port = await freePort();
  // The demo's test MitID (identity provider) gets a free port of its own too.
  const idpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const logPath = join(root, 'test-results/e2e-server.log');
  const log = createWriteStream(logPath);

  // Node runs tsx's loader directly, so SIGTERM reaches the server itself (no npx or shell in between).
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    // PUBLIC_URL: the MitID callback comes back to the address the browser uses (its cookies are set there).
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BINDELED_DEMO: '1', LOG_LEVEL: 'warn', TEST_IDP_PORT: String(idpPort), PUBLIC_URL: baseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);

  try {
    await waitForHealth(baseUrl, server, logPath);
  } catch (error) {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    await stop(server);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
