import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { systemActor } from '../../src/common/auth/actor';
import { createApp, type Dateline } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { testDatabaseUrl } from './test-database';
import { HttpClient } from './http-client';
import { TestClock } from './test-clock';

export interface TestApp {
  dateline: Dateline;
  url: string;
  /** Anonymous, editor and admin clients for the same server. */
  anonymous: HttpClient;
  editor: HttpClient;
  admin: HttpClient;
  editorKey: string;
  adminKey: string;
  /** The server's clock: move it instead of waiting for a schedule or a time to live. */
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * The settings a test server starts with: quiet, no rate limits unless asked for, and production
 * mode, so that every error answer of the whole suite is checked for stack traces and SQL
 * (`DATELINE_TEST_NODE_ENV=test npm test` runs in test mode instead). Introspection stays on
 * (tests introspect); a test passing `nodeEnv: 'production'` itself gets production's default.
 */
const suiteNodeEnv = process.env.DATELINE_TEST_NODE_ENV === 'test' ? 'test' : 'production';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnv = overrides.nodeEnv ?? suiteNodeEnv;
  const introspection =
    overrides.nodeEnv === undefined && suiteNodeEnv === 'production' ? { graphqlIntrospection: true } : {};
  return {
    ...loadConfig({ NODE_ENV: nodeEnv, LOG_LEVEL: 'silent' }),
    databaseUrl: testDatabaseUrl(),
    dbPoolSize: 4,
    rateLimitReactionsPerMinute: 0,
    rateLimitAuthFailuresPerMinute: 0,
    rateLimitSearchesPerMinute: 0,
    rateLimitGraphqlCostPerMinute: 0,
    ...introspection,
    ...overrides,
  };
}

/**
 * Starts the real application on a free port, with a fresh editor key and admin key and a clock the
 * test can move (it follows the system clock until moved). With
 * `nodeEnv: 'production'` (introspection then off, as in production) every client checks each
 * error answer it gets for stack traces and SQL (expectNoLeak).
 */
export async function startTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const clock = new TestClock();
  const dateline = await createApp(testConfig(overrides), { clock });
  await dateline.app.listen({ port: 0, host: '127.0.0.1' });
  const address = dateline.app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  const clientOptions = { checkLeaks: dateline.config.nodeEnv === 'production' };
  const keys = dateline.app.get(ApiKeysService);
  const setup = systemActor('test setup');
  const editorKey = (await keys.create('test editor', 'editor', setup)).key;
  const adminKey = (await keys.create('test admin', 'admin', setup)).key;
  return {
    dateline,
    url,
    anonymous: new HttpClient(url, undefined, clientOptions),
    editor: new HttpClient(url, editorKey, clientOptions),
    admin: new HttpClient(url, adminKey, clientOptions),
    editorKey,
    adminKey,
    clock,
    close: () => dateline.close(),
  };
}

/** A value that no other test will pick: for slugs, names and external ids. */
export function unique(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
