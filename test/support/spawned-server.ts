import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { testDatabaseUrl } from './test-database';

const ROOT = resolve(__dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (tsc) when it is missing or older than src/, so spawned processes run this code. */
export function ensureBuilt(): void {
  // tsc leaves unchanged outputs alone, so a stamp file records when the build last ran.
  const stamp = join(ROOT, 'dist/.built-for-tests');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  const started = new Date();
  const built = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
  writeFileSync(stamp, '');
  utimesSync(stamp, started, started);
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => res(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything written to stdout so far, split into lines. */
  lines(): string[];
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs `node <script> args…` from the build (asynchronously, so test servers keep answering). */
export async function runNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl(), NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const status = await new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  clearTimeout(timer);
  return { status, stdout, stderr };
}

/** Starts the built server (`node dist/main.js`) on a free port and waits until it is ready. */
export async function spawnServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  ensureBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testDatabaseUrl(),
      NODE_ENV: 'test',
      PORT: String(port),
      DB_POOL_SIZE: '2',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`the server exited while starting:\n${out}\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready:\n${out}\n${err}`);
    }
    ready = await fetch(`${url}/health/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    url,
    port,
    lines: () => out.split('\n').filter(Boolean),
    stderr: () => err,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
