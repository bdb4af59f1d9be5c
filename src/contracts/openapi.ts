import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, Reflector } from '@nestjs/core';
import {
  DECORATORS,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { ACCESS_KEY, type Access } from '../common/auth/decorators';
import { hasRole, ROLES } from '../common/auth/role';
import { ERROR_CATALOG, type ErrorCode } from '../common/errors/domain-error';
import { toProblem } from '../common/errors/problem';
import { Problem } from '../common/errors/problem.model';
import { PROBLEMS_KEY } from '../common/errors/problems.decorator';
import { DomainError } from '../common/errors/domain-error';
import type { PathParameterDoc } from '../common/http/id-or-slug.pipe';

/**
 * The OpenAPI document of the REST API, as served at /api/docs-json and committed as openapi.json.
 *
 * OpenAPI 3.1, so a field that may be null is `anyOf: [{ $ref }, { type: 'null' }]` (or
 * `type: ['string', 'null']`): plain JSON Schema 2020-12, which Ajv, openapi-typescript, Swagger
 * UI and Redocly all read the same way. (In 3.0, `nullable: true` beside an `allOf` is read
 * differently by different tools: Ajv-based validators refuse null there.) @nestjs/swagger makes
 * that conversion itself when the document says 3.1.
 *
 * What the decorators cannot say is added here, once for every route, from the same metadata the
 * server acts on: the path parameters (with the rule of the pipe that reads them), who may call
 * (security, from @Public / @RequireRole) and every error answer as a problem+json response.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const options = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Dateline')
    .setDescription(
      'A headless CMS for newsrooms. Public reads need no key; writes need `Authorization: Bearer <key>` ' +
        'with the editor or admin role. Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'An API key.' })
    .build();
  const document = SwaggerModule.createDocument(app, options, {
    extraModels: [Problem],
    // Spelled out because routeFacts finds each operation's handler by this id.
    operationIdFactory: operationId,
  });
  describeOperations(document, routeFacts(app));
  // DocumentBuilder writes `servers: []`, which validators refuse; absent means "this host".
  if (document.servers?.length === 0) delete document.servers;
  return document;
}

const operationId = (controller: string, method: string) => `${controller}_${method}`;

/** What the server knows about one route, read from its handler's metadata. */
interface RouteFacts {
  access: Access | undefined;
  problems: ErrorCode[];
  pathParameters: Map<string, PathParameterDoc>;
}

type RouteArgs = Record<string, { index: number; data?: unknown; pipes?: unknown[] }>;

/** Every REST handler of the application, by operation id. */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined)
          continue;
        // @ApiOperation({ operationId }) replaces the generated id.
        const declared = Reflect.getMetadata(DECORATORS.API_OPERATION, handler) as
          { operationId?: string } | undefined;
        const id = declared?.operationId ?? operationId(controller.name, name);
        if (facts.has(id)) throw new Error(`OpenAPI: two handlers would be operation ${id}`);
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as RouteArgs;
        facts.set(id, {
          access: reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [handler, controller]),
          problems: reflector.getAllAndMerge<ErrorCode[]>(PROBLEMS_KEY, [handler, controller]),
          pathParameters: pathParametersOf(args),
        });
      }
    }
  }
  return facts;
}

function pathParametersOf(args: RouteArgs): Map<string, PathParameterDoc> {
  const found = new Map<string, PathParameterDoc>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== Number(RouteParamtypes.PARAM) || typeof arg.data !== 'string') continue;
    for (const pipe of arg.pipes ?? []) {
      const owner = typeof pipe === 'function' ? pipe : (pipe as object | null)?.constructor;
      const doc = (owner as { pathParameter?: PathParameterDoc } | undefined)?.pathParameter;
      if (doc) found.set(arg.data, doc);
    }
  }
  return found;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function describeOperations(document: OpenAPIObject, facts: Map<string, RouteFacts>): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const route = operation.operationId ? facts.get(operation.operationId) : undefined;
      if (!route) throw new Error(`OpenAPI: no handler found for ${method.toUpperCase()} ${path}`);
      declarePathParameters(path, operation, route);
      operation.security = securityOf(route.access);
      describeErrors(operation, errorCodes(operation, route), route.access);
    }
  }
}

/**
 * Every `{name}` of the path as a required path parameter, in path order. @nestjs/swagger leaves
 * out those whose handler parameter is not a plain string (IdOrSlugPipe gives an object).
 */
function declarePathParameters(path: string, operation: OperationObject, route: RouteFacts): void {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const others = (operation.parameters ?? []).filter((p) => !('in' in p) || p.in !== 'path');
  const declared = new Map(
    (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'path' ? [[p.name, p] as const] : [])),
  );
  const pathParameters = names.map((name): ParameterObject => {
    const existing = declared.get(name);
    const doc = route.pathParameters.get(name);
    return {
      name,
      in: 'path',
      required: true,
      ...((existing?.description ?? doc?.description)
        ? { description: existing?.description ?? doc?.description }
        : {}),
      schema: doc?.schema ?? existing?.schema ?? { type: 'string' },
    };
  });
  operation.parameters = [...pathParameters, ...others];
}

/** A public route takes a key too (editors see more); a role route needs one. */
function securityOf(access: Access | undefined): OperationObject['security'] {
  return access?.kind === 'public' ? [{}, { bearer: [] }] : [{ bearer: [] }];
}

/** The error codes an operation can answer: what every route of its kind can, and its own. */
function errorCodes(operation: OperationObject, route: RouteFacts): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.problems);
  const parameters = (operation.parameters ?? []).flatMap((p) => ('in' in p ? [p.in] : []));
  const hasPathParameters = parameters.includes('path');
  if (hasPathParameters || parameters.includes('query') || operation.requestBody)
    codes.add('VALIDATION_FAILED');
  if (operation.requestBody) {
    codes.add('MALFORMED_BODY');
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  if (hasPathParameters) {
    codes.add('MALFORMED_URL');
    codes.add('URI_TOO_LONG');
  }
  // A path that names something by id or slug may name nothing; the route's own @Problems says
  // which thing (ARTICLE_NOT_FOUND…). Without one, the generic code is listed.
  if (route.pathParameters.size > 0 && ![...codes].some((c) => ERROR_CATALOG[c].status === 404))
    codes.add('NOT_FOUND');
  // A key that is sent is checked on every route, public ones included.
  codes.add('UNAUTHENTICATED');
  const access = route.access;
  if (!access || (access.kind === 'role' && ROLES.some((role) => !hasRole(fakePrincipal(role), access.role))))
    codes.add('FORBIDDEN');
  // Every route: the bad-key budget (RATE_LIMIT_AUTH_FAILURES_PER_MINUTE) and the database (a
  // full pool, or the database gone, is 503 rather than a hang).
  codes.add('RATE_LIMITED');
  codes.add('DATABASE_UNAVAILABLE');
  const order = Object.keys(ERROR_CATALOG);
  return [...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

const fakePrincipal = (role: (typeof ROLES)[number]) => ({ keyId: '', name: '', role });

const RETRY_AFTER: HeaderObject = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer' },
};
const RATE_LIMIT_HEADERS: Record<string, HeaderObject> = {
  'Retry-After': RETRY_AFTER,
  'RateLimit-Limit': { description: 'Requests allowed in the window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};

/**
 * One response per error status, application/problem+json, listing its problem types (also as
 * `x-problem-types`, for tools and tests). A response the handler documents itself (such as
 * /health/ready's 503 body) keeps its own content and description.
 */
function describeErrors(operation: OperationObject, codes: ErrorCode[], access: Access | undefined): void {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, statusCodes] of byStatus) {
    const declared = operation.responses[String(status)];
    if (declared && '$ref' in declared) continue;
    const types = statusCodes.map((code) => problemType(code));
    const listed = statusCodes.map((code, i) => `${ERROR_CATALOG[code].title} (\`${types[i]}\`)`).join('; ');
    const description = [
      declared?.description,
      whenAnswered(status, access, !!declared?.description),
      `${listed}.`,
    ];
    const response: ResponseObject = {
      ...declared,
      description: description.filter(Boolean).join(' '),
      content: {
        ...declared?.content,
        'application/problem+json': { schema: { $ref: getSchemaPath(Problem) } },
      },
    };
    if (status === 429) response.headers = { ...RATE_LIMIT_HEADERS, ...declared?.headers };
    if (status === 503) response.headers = { 'Retry-After': RETRY_AFTER, ...declared?.headers };
    (response as ResponseObject & { 'x-problem-types': string[] })['x-problem-types'] = types;
    operation.responses[String(status)] = response;
  }
}

/** Why the statuses every route shares are answered, in a sentence. */
function whenAnswered(status: number, access: Access | undefined, hasOwnReason: boolean): string | undefined {
  switch (status) {
    case 401:
      return access?.kind === 'public'
        ? 'The key is optional here, but one that is sent must be valid.'
        : 'No key was sent, or it is not valid.';
    case 403:
      return access?.kind === 'role' ? `The key's role may not do this: it needs ${access.role}.` : undefined;
    case 429:
      return `${hasOwnReason ? 'Or this' : 'This'} client sent too many requests with a bad key (RATE_LIMIT_AUTH_FAILURES_PER_MINUTE).`;
    case 503:
      return 'The database cannot be reached, or no connection came free in time (DB_ACQUIRE_TIMEOUT_MS).';
    default:
      return undefined;
  }
}

/** The `type` member of the problem document a code is answered with. */
function problemType(code: ErrorCode): string {
  return toProblem(new DomainError(code, '')).type;
}
