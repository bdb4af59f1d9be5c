import { Global, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ArticlesModule } from '../articles/articles.module';
import { AuditModule } from '../audit/audit.module';
import { ClockModule } from '../common/clock/clock.module';
import { CommonModule } from '../common/common.module';
import type { AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { dataSourceOptions } from '../database/data-source';
import { MetricsService } from '../observability/metrics.service';

/** The metrics the services count into; the command line never serves them. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
class CliMetricsModule {}

/** The articles feature without HTTP or GraphQL, over the command's own DataSource. */
@Module({})
class CliArticlesModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: CliArticlesModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config),
          dataSourceFactory: () => Promise.resolve(dataSource),
        }),
        CommonModule,
        AuditModule,
        CliMetricsModule,
        ArticlesModule,
      ],
    };
  }
}

/**
 * Runs fn with the same services the server uses (the demo seeder, the article writer), wired by
 * Nest, so a command never hand-builds a service's dependencies.
 */
export async function withArticles<T>(
  config: AppConfig,
  dataSource: DataSource,
  fn: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliArticlesModule.forRoot(config, dataSource), {
    logger: false,
    // A wiring error is thrown (and printed as the command's one error line), not a silent exit.
    abortOnError: false,
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
