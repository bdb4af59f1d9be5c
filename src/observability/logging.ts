import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config';

/** A client's X-Request-Id is kept when it is 1 to 128 printable ASCII characters. */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** Query parameters whose values never reach a log line. */
const SECRET_PARAM = /key|token|secret|password|auth/i;

const PROBE = /^\/(health\/|metrics(\?|$))/;

/** The route a request was matched to, set by the metrics hook; `unmatched` for a 404. */
export interface RoutedRequest extends IncomingMessage {
  routeTemplate?: string;
}

/**
 * The request id: the client's X-Request-Id when it is usable, else a new UUID. Fastify's
 * genReqId, so request.id, the log lines and the X-Request-Id answer header all carry it.
 */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** pino-http's fallback when no Fastify request id is present. */
function pinoRequestId(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdOf(req);
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The URL with the value of every secret-looking query parameter replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=[Redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * JSON logs through pino: one line per request with its id, method, route template, status and
 * duration. Headers and bodies are not logged at all, and the redact list is a second guard for
 * anything that carries a key.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: pinoRequestId,
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Probes (health checks, scrapes) every few seconds would drown the rest: debug level.
      customLogLevel: (req, res, err) => {
        if (err || res.statusCode >= 500) return 'error';
        return PROBE.test(req.url ?? '') ? 'debug' : 'info';
      },
      customSuccessObject: (req, res, value: Record<string, unknown>) => ({
        ...value,
        route: (req as RoutedRequest).routeTemplate ?? 'unmatched',
      }),
      customErrorObject: (req, res, error, value: Record<string, unknown>) => ({
        ...value,
        route: (req as RoutedRequest).routeTemplate ?? 'unmatched',
      }),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.key',
          '*.apiKey',
          '*.secret',
          '*.password',
          '*.token',
        ],
        censor: '[Redacted]',
      },
    },
  };
}
