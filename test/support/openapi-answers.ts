import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { HttpAnswer } from './http-client';

/** The parts of an OpenAPI 3.1 document these checks read. */
export interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown>; 'x-problem-types'?: string[] }>;
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The committed openapi.json: what outside clients are generated from. */
export function committedOpenApi(): OpenApiDocument {
  return JSON.parse(readFileSync(resolve(__dirname, '../../openapi.json'), 'utf8')) as OpenApiDocument;
}

/** Every operation of the document, with its path template and method. */
export function operationsOf(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method] })),
  );
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const DOCUMENT_ID = 'https://dateline.dev/openapi.json';

/**
 * Checks real answers against the OpenAPI document the way a strict outside validator would: Ajv
 * in strict mode on JSON Schema 2020-12 (the dialect of OpenAPI 3.1), formats checked. The only
 * allowances: `example` (an OpenAPI annotation) and union types (`["string", "null"]`, the 3.1
 * spelling of a nullable field), which strict mode otherwise asks to be allowed explicitly.
 */
export class OpenApiAnswers {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp; params: number }[];

  constructor(readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addVocabulary(['example']);
    // The document's top level is OpenAPI, not schema: only the schemas inside it are compiled.
    this.ajv.addVocabulary(['openapi', 'info', 'paths', 'components', 'tags', 'servers', 'security']);
    this.ajv.addSchema({ ...doc, $id: DOCUMENT_ID });
    this.templates = Object.keys(doc.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (path.match(/\{/g) ?? []).length,
    }));
  }

  /** The path template a concrete URL path matches (fewest parameters first, as routers do). */
  templateOf(url: string): string | undefined {
    const path = url.split('?')[0];
    return this.templates.filter((t) => t.pattern.test(path)).sort((a, b) => a.params - b.params)[0]?.path;
  }

  /**
   * Throws unless the answer is documented: its status, its media type, a body that validates
   * against that response's schema, and for a problem, a `type` the response lists.
   */
  check(method: string, url: string, answer: HttpAnswer): void {
    const where = `${method.toUpperCase()} ${url} → ${answer.status}`;
    const template = this.templateOf(url);
    const operation = template ? this.doc.paths[template][method.toLowerCase()] : undefined;
    if (!template || !operation) throw new Error(`${where}: no such operation in openapi.json`);
    const response = operation.responses[String(answer.status)];
    if (!response) throw new Error(`${where}: status not documented for ${method.toUpperCase()} ${template}`);
    if (!response.content) {
      if (answer.text !== '') throw new Error(`${where}: documented without a body, answered ${answer.text}`);
      return;
    }
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!(mediaType in response.content))
      throw new Error(`${where}: ${mediaType} not documented (${Object.keys(response.content).join(', ')})`);
    const pointer = ['paths', template, method.toLowerCase(), 'responses', String(answer.status)]
      .concat(['content', mediaType, 'schema'])
      .map(escapePointer)
      .join('/');
    const validate = this.validator(`${DOCUMENT_ID}#/${pointer}`);
    if (!validate(answer.body)) {
      throw new Error(`${where}: body does not match its schema: ${this.ajv.errorsText(validate.errors)}`);
    }
    const problemTypes = response['x-problem-types'];
    if (mediaType === 'application/problem+json' && problemTypes) {
      const type = (answer.body as { type?: string }).type;
      if (!type || !problemTypes.includes(type))
        throw new Error(`${where}: problem type ${type} not listed (${problemTypes.join(', ')})`);
    }
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
