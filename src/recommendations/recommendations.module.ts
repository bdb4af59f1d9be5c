import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { RankingsModule } from '../rankings/rankings.module';
import { RelatedModule } from '../related/related.module';
import { SectionsModule } from '../sections/sections.module';
import { RecommendationsController } from './recommendations.controller';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsResolver } from './recommendations.resolver';
import { RecommendationsService } from './recommendations.service';

@Module({
  imports: [ArticlesModule, SectionsModule, RankingsModule, RelatedModule],
  controllers: [RecommendationsController],
  providers: [RecommendationsService, RecommendationsRepository, RecommendationsResolver],
})
export class RecommendationsModule {}
