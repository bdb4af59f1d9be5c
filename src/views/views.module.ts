import { Module } from '@nestjs/common';
import { ReactionsModule } from '../reactions/reactions.module';
import { ViewRepository } from './view.repository';
import { ViewsController } from './views.controller';
import { ViewsResolver } from './views.resolver';
import { ViewsService } from './views.service';

@Module({
  imports: [ReactionsModule],
  controllers: [ViewsController],
  providers: [ViewsService, ViewRepository, ViewsResolver],
})
export class ViewsModule {}
