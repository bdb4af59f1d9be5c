/**
 * Fuzz of the REST API: every operation of openapi.json, driven with generated path and query
 * parameters and bodies (from the published schemas, then spoiled), as anonymous, editor, admin
 * and with a bad key, against a newsroom of real rows. Nothing a client sends may answer 5xx, and
 * every 4xx is a problem document (RFC 9457, the contract's shape) with no stack trace or SQL.
 * Sources: OWASP API8:2023 Security Misconfiguration (crashes and verbose errors on unexpected
 * input) and API4:2023 Unrestricted Resource Consumption (huge and deeply nested input).
 *
 * Seeded and bounded in time (see test/support/fuzz.ts): a failure prints the seed and the
 * shrunk request; `FUZZ_SEED=<seed>` replays, `FUZZ_TIME_MS` fuzzes longer.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { expectNoLeak } from '../support/no-leak';
import {
  FUZZ_SEED,
  fuzzOptions,
  healContent,
  liveWebhookIds,
  preview,
  removeWebhooksSince,
  seedContent,
  type ContentPool,
} from '../support/fuzz';
import { openapi, operations, requestsFor, type GeneratedRequest } from '../support/fuzz-openapi';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Problem documents are checked against the Problem schema of openapi.json, as a strict outside
 * validator would read it (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema({ ...openapi, $id: 'https://dateline.dev/openapi.json' });
const validateProblem = ajv.compile({
  $ref: 'https://dateline.dev/openapi.json#/components/schemas/Problem',
});

const ops = operations();

describe(`Fuzz: every REST operation of openapi.json (seed ${FUZZ_SEED})`, () => {
  let t: TestApp;
  let pool: ContentPool;
  let webhooksBefore: Set<string>;
  const keys: Record<GeneratedRequest['role'], string | undefined> = {
    anonymous: undefined,
    editor: undefined,
    admin: undefined,
    badKey: 'dl_not_a_key_at_all',
  };

  beforeAll(async () => {
    // Production mode, as the suite's default: answers must carry no stack trace.
    t = await startTestApp({ nodeEnv: 'production' });
    webhooksBefore = await liveWebhookIds(t);
    pool = await seedContent(t);
    keys.editor = t.editorKey;
    keys.admin = t.adminKey;
  });
  afterAll(async () => {
    await removeWebhooksSince(t, webhooksBefore);
    await t.close();
  });

  async function send(req: GeneratedRequest): Promise<void> {
    const headers: Record<string, string> = { ...req.headers };
    const key = keys[req.role];
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${t.url}${req.url}`, {
      method: req.op.method,
      headers,
      body: req.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    const said = `${res.status} ${res.headers.get('content-type') ?? ''}: ${preview(text, 500)}`;
    if (res.status >= 500) throw new Error(`answered ${said}`);
    if (res.status < 400) return;
    // A 404 of an unknown route repeats the URL: the client's own words are no leak.
    expectNoLeak(text.split(req.url).join(''), `the ${res.status} answer`);
    if (!/^application\/problem\+json\b/.test(res.headers.get('content-type') ?? ''))
      throw new Error(`a ${res.status} that is not application/problem+json: ${said}`);
    let problem: { status?: unknown };
    try {
      problem = JSON.parse(text);
    } catch {
      throw new Error(`a ${res.status} whose body is not JSON: ${said}`);
    }
    if (!validateProblem(problem))
      throw new Error(`not a problem document (${ajv.errorsText(validateProblem.errors)}): ${said}`);
    if (problem.status !== res.status) throw new Error(`the problem's status is not the answer's: ${said}`);
  }

  it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: no 5xx, every 4xx a problem document',
    async (_name, op) => {
      try {
        await fc.assert(
          fc.asyncProperty(requestsFor(op, pool), (req) => send(req)),
          fuzzOptions(1 / ops.length),
        );
      } finally {
        if (op.method !== 'GET') await healContent(t, pool);
      }
    },
  );
});
