import { resolve } from 'node:path';
import ts from 'typescript';
import { tourWithGeneratedClient } from '../clients/openapi-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const ROOT = resolve(__dirname, '../..');
const CLIENT = resolve(ROOT, 'test/clients/openapi-client.ts');

/**
 * `tsc --noEmit --strict` on some files, with the project's module settings (what a client
 * project on Node would use); the messages of every error, each with its file and line.
 */
function typeErrors(files: string[], extra?: { name: string; text: string }): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json not readable');
  const options: ts.CompilerOptions = {
    ...config.options,
    strict: true,
    noEmit: true,
    incremental: false,
    rootDir: undefined,
    tsBuildInfoFile: undefined,
  };
  const host = ts.createCompilerHost(options);
  if (extra) {
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => (resolve(f) === extra.name ? extra.text : readFile(f));
    host.fileExists = (f) => resolve(f) === extra.name || fileExists(f);
    host.getSourceFile = (f, lang, ...rest) =>
      resolve(f) === extra.name ? ts.createSourceFile(f, extra.text, lang) : getSourceFile(f, lang, ...rest);
  }
  const program = ts.createProgram([...files, ...(extra ? [extra.name] : [])], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(`${ROOT}/`, '')}:${line + 1} TS${d.code}: ${text}`;
  });
}

/** Casts, non-null assertions and `any` in a file: what would hide a wrong type. */
function escapes(file: string): string[] {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isAsExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node) ||
      node.kind === ts.SyntaxKind.AnyKeyword
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`line ${line + 1}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * An outside client, made the way its users make one: types generated from openapi.json by
 * openapi-typescript (test/clients/dateline-api.ts, kept current by the contracts test), calls
 * through openapi-fetch. The program (test/clients/openapi-client.ts) must compile under strict
 * with no casts, and then do what a frontend does against a real server.
 */
describe('A client generated from openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('compiles under strict with no casts', () => {
    expect(escapes(CLIENT)).toEqual([]);
    expect(typeErrors([CLIENT])).toEqual([]);
  });

  it('types what the document says: path parameters required, nullable fields nullable, problems typed', () => {
    const probe = resolve(ROOT, 'test/clients/probe.ts');
    const lines = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './dateline-api';",
      'export async function probe(): Promise<string> {',
      "  const client = createClient<paths>({ baseUrl: 'http://localhost' });",
      "  await client.GET('/api/v1/articles/{idOrSlug}', { params: { path: {} } });",
      "  const res = await client.GET('/api/v1/articles/{idOrSlug}', { params: { path: { idOrSlug: 'a' } } });",
      '  if (res.error) return `${res.error.status} ${res.error.title}: ${res.error.detail}`;',
      '  const section: string = res.data.section.name;',
      '  const hero: string = res.data.heroImage.url;',
      '  const ok: string | null = res.data.section?.name ?? res.data.heroImage?.url ?? null;',
      "  return section + hero + (ok ?? '');",
      '}',
    ];
    const errors = typeErrors([], { name: probe, text: lines.join('\n') });
    // Exactly the three mistakes: the missing path parameter, and two fields that may be null.
    expect(errors).toEqual([
      expect.stringMatching(/^test\/clients\/probe\.ts:5 TS2741: Property 'idOrSlug' is missing/),
      expect.stringMatching(/^test\/clients\/probe\.ts:8 TS18047: 'res\.data\.section' is possibly 'null'/),
      expect.stringMatching(/^test\/clients\/probe\.ts:9 TS18047: 'res\.data\.heroImage' is possibly 'null'/),
    ]);
  });

  it('creates an article, reads it by slug, lists its section, reacts, and reads typed problems', async () => {
    const names = { section: unique('harbours'), slug: unique('ferry-service-resumes') };
    const tour = await tourWithGeneratedClient(t.url, t.editorKey, names);

    expect(tour.created).toMatchObject({
      slug: names.slug,
      status: 'published',
      section: { slug: names.section },
    });
    expect(tour.read.id).toBe(tour.created.id);
    expect(tour.read.body).toEqual([
      { type: 'paragraph', text: 'Ferries left Incheon at dawn.' },
      { type: 'heading', level: 2, text: 'Three days closed' },
    ]);
    expect(tour.sectionName).toBe('Harbours');
    expect(tour.heroAlt).toBe('A ferry leaves Incheon');
    expect(tour.headings).toEqual(['h2 Three days closed']);
    expect(tour.listedSlugs).toEqual([names.slug]);
    expect(tour.sectionChildren).toEqual([]);
    expect(tour.reactionCount).toBe(1);
    expect(tour.missing).toEqual({
      status: 404,
      problem: expect.objectContaining({
        status: 404,
        type: 'https://dateline.dev/problems/article-not-found',
        title: 'Article not found',
      }),
    });
    expect(tour.unauthorised).toEqual({
      status: 401,
      problem: expect.objectContaining({
        status: 401,
        type: 'https://dateline.dev/problems/unauthenticated',
      }),
    });

    // What the client saw is what the server holds.
    const server = await t.anonymous.get(`/api/v1/articles/${names.slug}`);
    expect(server.body.reactions).toEqual([{ articleId: tour.created.id, type: 'veryGood', count: 1 }]);
  });
});
