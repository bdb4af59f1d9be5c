import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
} from 'graphql';
import {
  CloseCode,
  handleProtocols,
  makeServer,
  MessageType,
  parseMessage,
  type Context,
  type SubscribePayload,
} from 'graphql-ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError } from '../errors/domain-error';
import { clientAddress, proxyTrust, type ProxyTrust } from '../http/client-address';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../http/json-body';
import type { DatelineRequest } from '../http/request-context';
import { DOCUMENT_TOO_LARGE_MESSAGE, documentTooLarge } from './document-size';
import type { GraphqlContext } from './graphql.config';
import { GraphqlRules } from './graphql-rules';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION, MAX_WS_MESSAGE_BYTES } from './limits';
import { GraphqlLoaders } from './loaders';
import { WsConnections } from './ws-connections';

const GRAPHQL_PATH = '/graphql';
/** graphql-ws's own keep-alive: a ping this often; no pong within as long ends the connection. */
const KEEP_ALIVE_MS = 12_000;
/** Closes a connection whose address already holds its share (graphql-ws does not retry it). */
const TOO_MANY_CONNECTIONS = 4429;

type ConnectionParams = Record<string, unknown> | undefined;

/** What each connection carries: its socket, its upgrade request and the client's address. */
interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
  clientIp: string;
}

type WsContext = Context<ConnectionParams, Extra>;

/** The key a client sends in connection_init, the way browsers can (they cannot set headers). */
function authorizationParam(params: ConnectionParams): unknown {
  return params?.authorization ?? params?.Authorization;
}

/** What a client may send; graphql-ws validates the rest of each message itself. */
const CLIENT_MESSAGE_TYPES = new Set<string>([
  MessageType.ConnectionInit,
  MessageType.Ping,
  MessageType.Pong,
  MessageType.Subscribe,
  MessageType.Complete,
]);

/**
 * A well-formed message of a type only a server sends (connection_ack, next, error): graphql-ws
 * throws on it, as if something had failed here. It is the client's mistake (4400), not ours.
 */
function sentByServerOnly(text: string): boolean {
  try {
    return !CLIENT_MESSAGE_TYPES.has(parseMessage(text).type);
  } catch {
    return false;
  }
}

/** Marks a subscribe message that nested too deep, for prepare to refuse. */
const TOO_DEEP = 'dateline.tooDeep';

/**
 * Holds each message to the nesting limit of HTTP's JSON bodies (MAX_JSON_DEPTH): graphql-ws
 * echoes a ping's payload with JSON.stringify, which a payload nested thousands deep overflows,
 * and nothing a client needs to send nests that deep. A subscribe message keeps its id and its
 * document, so that it is refused like any bad request for that id (prepare); any other message
 * that deep gives undefined: the connection is closed (4400).
 */
function withinDepth(text: string): string | undefined {
  if (!nestsDeeperThan(text, MAX_JSON_DEPTH)) return text;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return text; // not JSON: graphql-ws refuses it (4400)
  }
  const m = message as { type?: unknown; id?: unknown; payload?: { query?: unknown } | null } | null;
  if (m?.type !== MessageType.Subscribe || typeof m.id !== 'string' || typeof m.payload?.query !== 'string')
    return undefined;
  return JSON.stringify({
    id: m.id,
    type: m.type,
    payload: { query: m.payload.query, extensions: { [TOO_DEEP]: true } },
  });
}

/** A refusal before execution, with its code in the error table (RATE_LIMITED, PAYLOAD_TOO_LARGE…). */
function refusal(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error });
}

/** graphql-js's parse and validation errors, coded as Apollo codes them over HTTP. */
function coded(
  error: GraphQLError,
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED',
): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * GraphQL over WebSocket (graphql-ws) on /graphql, for subscriptions only. Each subscribe
 * message passes what an HTTP request passes, from the same GraphqlRules instance: document
 * size, graphql-js validation with the same rules (introspection, depth, aliases), cost and page
 * sizes, the client's cost budget, then the resolvers' own auth guard, with the key from connection_init's
 * `authorization` (or the upgrade request's Authorization header) checked for every operation.
 * Queries and mutations go over HTTP, where caching, persisted queries and the rest apply; over
 * the socket they are refused (BAD_USER_INPUT). Messages are capped at MAX_WS_MESSAGE_BYTES,
 * subscriptions per connection and connections per client address too (limits.ts).
 *
 * It is ours rather than the Apollo driver's (`subscriptions` option) because the driver's
 * WebSocket server takes no message limit and sees no upgrade it could refuse.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GraphQL-WS');
  private readonly trust: ProxyTrust | false;
  private wss?: WebSocketServer;
  private httpServer?: Server;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly rules: GraphqlRules,
    private readonly loaders: GraphqlLoaders,
    private readonly connections: WsConnections,
  ) {
    this.trust = proxyTrust(config.trustProxy);
  }

  onApplicationBootstrap(): void {
    const protocol = makeServer<ConnectionParams, Extra>({
      // A key that is not a string cannot be checked: the connection is refused (4403).
      onConnect: (ctx) => ['string', 'undefined'].includes(typeof authorizationParam(ctx.connectionParams)),
      onSubscribe: (ctx, _id, payload) => this.prepare(ctx, payload),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => this.formatResultError(e)) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => this.rules.formatError(e.toJSON(), e)),
    });
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_WS_MESSAGE_BYTES,
      handleProtocols: (protocols) => handleProtocols(protocols),
    });
    wss.on('connection', (socket: WebSocket, request: IncomingMessage, clientIp: string) => {
      this.connections.add(socket);
      this.serve(protocol, socket, { socket, request, clientIp });
    });
    this.wss = wss;
    this.httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.httpServer.on('upgrade', this.upgrade);
  }

  async onApplicationShutdown(): Promise<void> {
    this.httpServer?.off('upgrade', this.upgrade);
    const wss = this.wss;
    if (!wss) return;
    this.connections.closeAll();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  private readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const wss = this.wss;
    if (!wss || (req.url ?? '').split('?')[0] !== GRAPHQL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // The address HTTP would see for this request (TRUST_PROXY), holding its place until the
    // TCP connection closes, however the upgrade goes.
    const clientIp = clientAddress(req, this.trust);
    const admitted = this.connections.reserve(clientIp, socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Upgraded first, so the client is told why (a refused upgrade is only "1006" to it).
      if (!admitted) return ws.close(TOO_MANY_CONNECTIONS, 'Too many connections from this address');
      wss.emit('connection', ws, req, clientIp);
    });
  };

  /** Runs the graphql-ws protocol on one socket (what graphql-ws's own `useServer` does, logged our way). */
  private serve(
    protocol: ReturnType<typeof makeServer<ConnectionParams, Extra>>,
    socket: WebSocket,
    extra: Extra,
  ) {
    // Protocol errors (a message over maxPayload, a malformed frame) are the client's: ws has
    // already closed the connection with the fitting code (1009, 1002).
    socket.on('error', (err) => this.logger.debug(`WebSocket closed on a protocol error: ${err.message}`));
    let pongWait: NodeJS.Timeout | undefined;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            const text = withinDepth(data.toString('utf8'));
            if (text === undefined) {
              socket.close(CloseCode.BadRequest, `A message nests more than ${MAX_JSON_DEPTH} levels deep`);
              return;
            }
            handle(text).catch((err: unknown) => {
              if (sentByServerOnly(text)) {
                socket.close(CloseCode.BadRequest, 'Unexpected message');
                return;
              }
              this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      clearInterval(ping);
      clearTimeout(pongWait);
      closed(code, reason.toString('utf8')).catch((err: unknown) =>
        this.logger.error(err instanceof Error ? err.message : String(err)),
      );
    });
  }

  /** An execution result's error, coded as Apollo codes it over HTTP. */
  private formatResultError(err: GraphQLError): GraphQLFormattedError {
    // An error with no path is about the request, not a field: graphql-js refusing its variables
    // (a wrong type, a missing value). Apollo codes these BAD_USER_INPUT; uncoded, they would read
    // as unexpected (INTERNAL_SERVER_ERROR, and a stack trace logged at error level).
    if (err.path === undefined && err.extensions.code === undefined)
      return this.rules.formatError({ ...err.toJSON(), extensions: { code: 'BAD_USER_INPUT' } }, err);
    return this.rules.formatError(err.toJSON(), err);
  }

  /**
   * Checks one subscribe message and turns it into what graphql-js executes, or into the errors
   * the client gets (graphql-ws sends them as its `error` message, formatted by onError).
   */
  private async prepare(
    ctx: WsContext,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    // This subscription is already counted in ctx.subscriptions.
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return [
        refusal(
          new DomainError(
            'RATE_LIMITED',
            `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions at once on one connection; complete one first.`,
          ),
        ),
      ];
    }
    if (payload.extensions?.[TOO_DEEP] === true) {
      const message = `The message nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`;
      return [refusal(new DomainError('MALFORMED_BODY', message))];
    }
    if (documentTooLarge(payload.query))
      return [refusal(new DomainError('PAYLOAD_TOO_LARGE', DOCUMENT_TOO_LARGE_MESSAGE))];
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      if (err instanceof GraphQLError) return [coded(err, 'GRAPHQL_PARSE_FAILED')];
      throw err;
    }
    const schema = this.schemaHost.schema;
    const invalid = validate(schema, document, [...specifiedRules, ...this.rules.validationRules]);
    if (invalid.length > 0) return invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return [badInput('Name the operation to run (operationName): the document has several, or none.')];
    const variables = payload.variables ?? {};
    try {
      // The limits first, so that a query over them is told so, as over HTTP.
      this.rules.cost.check(schema, document, variables, operationName);
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
        return [
          badInput(
            `Only subscriptions are served over WebSocket; send this ${operation.operation} to ${GRAPHQL_PATH} over HTTP.`,
          ),
        ];
      }
      const contextValue = this.contextFor(ctx);
      // Spends the client's read budgets as an HTTP operation does (the cost check again is memoised).
      await this.rules.admit(contextValue.req, { schema, document, operation, operationName, variables });
      return { schema, document, operationName, variableValues: variables, contextValue };
    } catch (err) {
      if (err instanceof GraphQLError) return [err];
      throw err;
    }
  }

  /**
   * The request a WebSocket operation stands for: the upgrade's headers and the client's address,
   * with the key of connection_init if it sent one. A new one per operation, so the key is
   * checked (and a revoked key refused) for each subscription, as for each HTTP request.
   */
  private contextFor(ctx: WsContext): GraphqlContext {
    const { request, clientIp } = ctx.extra;
    const param = authorizationParam(ctx.connectionParams);
    const req = {
      headers: {
        ...request.headers,
        authorization: typeof param === 'string' ? param : request.headers.authorization,
      },
      ip: clientIp,
      principal: undefined,
    } as unknown as DatelineRequest;
    return { req, loaders: this.loaders.forRequest(req) };
  }
}
