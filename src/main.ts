import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';

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
  process.stdout.write(`Dateline listening on http://localhost:${config.port}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    dateline.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Dateline could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
