// Starts the real server as a child process (as `npm start` does) and stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Milliseconds from spawn until /api/health answered 200. */
  readyAfterMs: number;
  stop(): Promise<number | null>;
}

/** A demo server runs the test MitID: on any free port, so parallel servers do not compete for 3001. */
function demoTestIdp(env: Record<string, string | undefined>): boolean {
  const demo = env.BINDELED_DEMO === undefined ? !env.DATABASE_URL : ['1', 'true', 'yes', 'on'].includes(env.BINDELED_DEMO);
  return demo && !env.MITID_ISSUER;
}

/** An env value of undefined removes that variable from the child's environment. */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...(demoTestIdp(env) ? { TEST_IDP_PORT: '0' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within ${timeoutMs} ms: ${output}`);
    }
    const status = await fetch(`${url}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const readyAfterMs = Date.now() - started;
  return {
    url,
    child,
    readyAfterMs,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

export function runScript(script: string, env: Record<string, string | undefined>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
