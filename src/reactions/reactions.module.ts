import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { ReactionRepository } from './reaction.repository';
import { ReactionsController } from './reactions.controller';
import { ReactionsResolver } from './reactions.resolver';
import { ReactionsService } from './reactions.service';

@Module({
  imports: [ArticlesModule],
  controllers: [ReactionsController],
  providers: [ReactionsService, ReactionRepository, ReactionsResolver],
  exports: [ReactionsService],
})
export class ReactionsModule {}
