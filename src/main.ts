import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/config';
import { createApp, type Dateline } from './app.factory';
import { DatabaseHealthService } from './health/database-health.service';
import { WsConnections } from './common/graphql/ws-connections';

/** However a shutdown goes, the process is gone this long after the first signal. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const dateline = await createApp(config, { seedDemoWhenEmpty: !config.databaseUrl });
  await dateline.app.listen({ port: config.port, host: '0.0.0.0' });
  const logger = new Logger('Dateline');
  const address = dateline.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`listening on http://localhost:${port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting at once`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: draining, then shutting down`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    shutdown(dateline).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Graceful shutdown: readiness answers 503 from now on; the listener closes, so new connections
 * are refused; requests in flight are answered; idle keep-alive connections are closed as they
 * become idle; then the application (GraphQL, the pool, the embedded database) closes.
 */
async function shutdown(dateline: Dateline): Promise<void> {
  dateline.app.get(DatabaseHealthService).startDraining();
  // Open subscriptions would keep the server from closing: their clients reconnect elsewhere.
  dateline.app.get(WsConnections).closeAll();
  const server = dateline.app.getHttpServer();
  await new Promise<void>((resolve) => {
    // Connections that finish their last request after close() would otherwise stay open until
    // their keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
  await dateline.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`Dateline could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
