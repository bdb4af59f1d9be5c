import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ArticlesModule } from './articles/articles.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './common/auth/auth.guard';
import { Clock } from './common/clock/clock';
import { ClockModule } from './common/clock/clock.module';
import { CommonModule } from './common/common.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { graphqlOptions } from './common/graphql/graphql.config';
import { GraphqlLoaders } from './common/graphql/loaders';
import { GraphqlRules } from './common/graphql/graphql-rules';
import { GraphqlWsServer } from './common/graphql/ws-server';
import { createValidationPipe } from './common/http/validation';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { DeliveryModule } from './delivery/delivery.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { MediaModule } from './media/media.module';
import { ObservabilityModule } from './observability/observability.module';
import { ReadCacheModule } from './read-cache/read-cache.module';
import { ReactionsModule } from './reactions/reactions.module';
import { RankingsModule } from './rankings/rankings.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { RelatedModule } from './related/related.module';
import { SectionsModule } from './sections/sections.module';
import { ViewsModule } from './views/views.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Wires configuration, the database, GraphQL and the feature modules; nothing else. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new Clock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        ObservabilityModule.forRoot(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config), retryAttempts: 2, retryDelay: 1000 }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [CommonModule],
          inject: [GraphqlLoaders, GraphqlRules],
          useFactory: (loaders: GraphqlLoaders, rules: GraphqlRules) =>
            graphqlOptions(config, loaders, rules),
        }),
        CommonModule,
        HealthModule,
        AuditModule,
        ApiKeysModule,
        SectionsModule,
        WebhooksModule,
        ReadCacheModule,
        ArticlesModule,
        ReactionsModule,
        ViewsModule,
        RankingsModule,
        RelatedModule,
        RecommendationsModule,
        ImportsModule,
        MediaModule,
        DeliveryModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // GraphQL over WebSocket (subscriptions); here because it needs GraphQLModule's schema.
        GraphqlWsServer,
      ],
    };
  }
}
