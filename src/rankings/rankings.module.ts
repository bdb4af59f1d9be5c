import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { SectionsModule } from '../sections/sections.module';
import { RankingsController } from './rankings.controller';
import { RankingsRepository } from './rankings.repository';
import { RankingsResolver } from './rankings.resolver';
import { RankingsService } from './rankings.service';

@Module({
  imports: [ArticlesModule, SectionsModule],
  controllers: [RankingsController],
  providers: [RankingsService, RankingsRepository, RankingsResolver],
  exports: [RankingsService],
})
export class RankingsModule {}
