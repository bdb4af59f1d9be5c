import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The settings the server under test runs with: production mode, no rate limits, its own media
 * directory (renditions made by one server are never found by another).
 */
export function appServerEnv(databaseUrl: string, adminKey: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    RATE_LIMIT_REACTIONS_PER_MINUTE: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    // The load comes from one address: the per-client read budgets would refuse most of it.
    RATE_LIMIT_SEARCHES_PER_MINUTE: '0',
    RATE_LIMIT_GRAPHQL_COST_PER_MINUTE: '0',
    ADMIN_API_KEY: adminKey,
    DB_POOL_SIZE: '10',
    MEDIA_DIR: mkdtempSync(join(tmpdir(), 'dateline-bench-media-')),
  };
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts a server script on a free port; its output goes to this terminal. `cwd` is the checkout
 * the script belongs to (a built git ref runs from its own directory).
 */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  cwd?: string,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code) => {
    if (code !== null && code !== 0) process.stderr.write(`${script} exited with ${code}\n`);
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

export async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never became ready`);
}

/** Runs a command to its end, its output on this terminal; rejects when it fails. */
export function runCommand(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      code === 0
        ? ok()
        : fail(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}) in ${cwd}`)),
    );
  });
}
