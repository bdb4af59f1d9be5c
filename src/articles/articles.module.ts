import { Module, OnModuleInit } from '@nestjs/common';
import { GraphqlLoaders } from '../common/graphql/loaders';
import { SectionsModule } from '../sections/sections.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ArticleEvents } from './article-events';
import { ArticleReader } from './article-reader.service';
import { ArticleWriter } from './article-writer.service';
import { ARTICLE_LOADERS, createArticleLoaders } from './article.loaders';
import { ArticleRepository } from './article.repository';
import { ArticleStore } from './article-store';
import { ArticlesController } from './articles.controller';
import { ArticlesResolver } from './articles.resolver';
import { ArticlesService } from './articles.service';
import { DemoSeeder } from './demo/demo-seeder';
import { EditLeases } from './editing/edit-leases.service';
import { EditingController } from './editing/editing.controller';
import { createEditingLoaders, EDITING_LOADERS } from './editing/editing.loaders';
import { EditingRepository } from './editing/editing.repository';
import { EditingResolver } from './editing/editing.resolver';
import { PreviewLinks } from './editing/preview-links.service';
import { WorkingCopies } from './editing/working-copies.service';
import { ReadCacheModule } from '../read-cache/read-cache.module';
import { ArticleFastPath } from './article-fast-path';

@Module({
  imports: [SectionsModule, WebhooksModule, ReadCacheModule],
  controllers: [ArticlesController, EditingController],
  providers: [
    ArticlesService,
    ArticleReader,
    ArticleWriter,
    ArticleEvents,
    ArticleRepository,
    ArticleStore,
    ArticlesResolver,
    DemoSeeder,
    ArticleFastPath,
    EditingRepository,
    EditLeases,
    PreviewLinks,
    WorkingCopies,
    EditingResolver,
  ],
  exports: [
    ArticlesService,
    ArticleReader,
    ArticleWriter,
    ArticleStore,
    DemoSeeder,
    ArticleFastPath,
    EditLeases,
  ],
})
export class ArticlesModule implements OnModuleInit {
  constructor(
    private readonly loaders: GraphqlLoaders,
    private readonly reader: ArticleReader,
    private readonly leases: EditLeases,
  ) {}

  onModuleInit(): void {
    this.loaders.register(ARTICLE_LOADERS, (req) => createArticleLoaders(this.reader, req));
    this.reader.cache.useCountsReader((ids) => this.reader.reactionsOf(ids));
    this.loaders.register(EDITING_LOADERS, () => createEditingLoaders(this.leases));
  }
}
