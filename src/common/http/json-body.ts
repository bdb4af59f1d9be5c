import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';

/**
 * How deeply a JSON body may nest arrays and objects. Dateline's deepest inputs (an import line's
 * list block inside its body, GraphQL variables around an article input) nest about six levels;
 * a body nested thousands deep only exhausts the stack of whatever walks it next (validation,
 * the GraphQL answer cache key), which answered 500.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when the JSON text nests deeper than maxDepth. A single pass over the text, before it is
 * parsed, so a deep body is refused without being built; brackets inside strings do not count.
 * Anything that is not valid JSON is left for the parser to refuse.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * application/json bodies for every route (REST and /graphql): Fastify's own parser
 * (secure-json-parse, refusing __proto__ and constructor.prototype), after the nesting check.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(
        new DomainError(
          'MALFORMED_BODY',
          `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`,
        ),
        undefined,
      );
      return;
    }
    void parse(req, body as string, done);
  });
}
