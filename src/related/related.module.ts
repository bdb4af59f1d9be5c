import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { SectionsModule } from '../sections/sections.module';
import { RelatedController } from './related.controller';
import { RelatedRepository } from './related.repository';
import { RelatedResolver } from './related.resolver';
import { RelatedService } from './related.service';

@Module({
  imports: [ArticlesModule, SectionsModule],
  controllers: [RelatedController],
  providers: [RelatedService, RelatedRepository, RelatedResolver],
  exports: [RelatedService],
})
export class RelatedModule {}
